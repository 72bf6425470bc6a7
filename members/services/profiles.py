"""Profiles, skills, interests, avatars and roles."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import Value, prefetch_related_objects
from django.db.models.functions import Lower
from django.utils.text import slugify

from community.realtime import send_event_on_commit
from community.roles import Role

from ..avatars import reencode_avatar
from ..errors import InvalidRole, InvalidSkill, MemberError
from ..models import AuditEntry, Interest, Member, MemberSkill, Skill
from ..selectors import check_change_role_permission, check_manage_skills_permission, role_of
from .audit import describe_member, record_audit_entry

PROFILE_FIELDS = (
    "display_name",
    "headline",
    "organisation",
    "job_title",
    "location",
    "bio",
    "website",
    "linkedin_url",
    "github_url",
    "mastodon_url",
)
MAX_SKILLS = 30
MAX_INTERESTS = 20


@transaction.atomic
def create_member(
    *,
    email: str,
    handle: str,
    password: str | None,
    display_name: str = "",
    role: str = Role.MEMBER,
    verified: bool = False,
) -> Member:
    """Create an account outside the sign-up form (seed data, administrators): the member role by
    default, and the e-mail address known to allauth, verified or not."""
    member = Member(username=handle.lower(), email=email, display_name=display_name or handle)
    member.set_password(password) if password else member.set_unusable_password()
    member.full_clean(exclude=["password", "search_document"])
    return register_member(member=member, role=role, verified=verified)


@transaction.atomic
def register_member(*, member: Member, role: str = Role.MEMBER, verified: bool | None = None) -> Member:
    """Store a new account that a form prepared (sign-up, the Django admin, `create_member`): the
    handle in lower case, the handle as display name until the member gives one, exactly one role,
    and the search document, so the directory finds the member from the start. `verified` records
    the e-mail address for allauth, verified or not; None leaves that to allauth (its sign-up does it)."""
    from allauth.account.models import EmailAddress

    member.username = member.username.lower()
    member.display_name = member.display_name or member.username
    member.save()
    if verified is not None:
        EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=verified)
    set_role(actor=None, member=member, role=role)
    refresh_search_document(member=member)
    return member


def refresh_search_document(*, member: Member) -> None:
    """Rebuild the member's full-text document (PostgreSQL only; SQLite searches the columns)."""
    if connection.vendor != "postgresql":
        return
    skills = " ".join(member.skills.values_list("name", flat=True))
    document = (
        SearchVector(Value(member.name), weight="A", config="simple")
        + SearchVector(Value(member.username), weight="A", config="simple")
        + SearchVector(Value(f"{member.headline} {skills}"), weight="B", config="english")
        + SearchVector(
            Value(f"{member.organisation} {member.job_title} {member.location}"), weight="C", config="simple"
        )
        + SearchVector(Value(member.bio), weight="D", config="english")
    )
    Member.objects.filter(pk=member.pk).update(search_document=document)


@transaction.atomic
def update_profile(*, member: Member, **changes: str) -> Member:
    """Change the member's own profile fields. Unknown fields are refused, not ignored."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise MemberError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(member, field, value.strip() if isinstance(value, str) else value)
    member.full_clean(exclude=["password", "avatar", "search_document"])
    member.save(update_fields=[*changes])
    refresh_search_document(member=member)
    return member


@transaction.atomic
def edit_profile(
    *,
    member: Member,
    fields: dict[str, str],
    skills: Iterable[Skill] | None = None,
    interests: Iterable[str] | None = None,
    avatar=None,
    remove_avatar_file: bool = False,
) -> Member:
    """Apply one edit of the profile page or `PATCH /api/v1/me/` as a whole: all of it, or nothing."""
    update_profile(member=member, **fields)
    if interests is not None:
        set_interests(member=member, names=interests)
    if skills is not None:
        set_skills(member=member, skills=skills)
    if avatar is not None:
        set_avatar(member=member, upload=avatar)  # last: it is the step that writes a file
    elif remove_avatar_file:
        remove_avatar(member=member)
    return member


@transaction.atomic
def set_avatar(*, member: Member, upload) -> Member:
    """Store a re-encoded copy of the upload as the avatar; the old file is removed after commit."""
    picture = reencode_avatar(upload)
    old = member.avatar.name
    member.avatar.save(picture.name, picture, save=False)
    member.save(update_fields=["avatar"])
    if old:
        storage = member.avatar.storage
        transaction.on_commit(lambda: storage.delete(old))
    return member


@transaction.atomic
def remove_avatar(*, member: Member) -> Member:
    old = member.avatar.name
    if old:
        storage = member.avatar.storage
        member.avatar = ""
        member.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(old))
    return member


@transaction.atomic
def set_skills(*, member: Member, skills: Iterable[Skill]) -> Member:
    """Replace the member's skills. Proposed skills are allowed only if the member proposed them."""
    chosen = {skill.pk: skill for skill in skills}
    if len(chosen) > MAX_SKILLS:
        raise InvalidSkill(f"List at most {MAX_SKILLS} skills.", field="skills")
    for skill in chosen.values():
        if skill.status == Skill.Status.PROPOSED and skill.proposed_by_id != member.pk:
            raise InvalidSkill(f"“{skill.name}” is awaiting review and cannot be added yet.", field="skills")
    current = set(member.member_skills.values_list("skill_id", flat=True))
    member.member_skills.exclude(skill_id__in=chosen).delete()
    MemberSkill.objects.bulk_create(
        [MemberSkill(member=member, skill_id=pk) for pk in chosen if pk not in current], ignore_conflicts=True
    )
    refresh_search_document(member=member)
    return member


@transaction.atomic
def set_interests(*, member: Member, names: Iterable[str]) -> Member:
    """Replace the member's interests with the given names, creating interests the site lacks."""
    cleaned: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > 60:
            raise MemberError("An interest is at most 60 characters.", field="interests")
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > MAX_INTERESTS:
        raise MemberError(f"List at most {MAX_INTERESTS} interests.", field="interests")
    existing = {interest.name.lower() for interest in _interests_named(cleaned)}
    Interest.objects.bulk_create(
        [Interest(name=name) for key, name in cleaned.items() if key not in existing], ignore_conflicts=True
    )
    member.interests.set(_interests_named(cleaned))
    return member


def _interests_named(lowered_names: Iterable[str]) -> list[Interest]:
    return list(Interest.objects.annotate(key=Lower("name")).filter(key__in=list(lowered_names)))


def propose_skill(*, member: Member | None, name: str) -> Skill:
    """Return the skill of that name if the taxonomy has it, or add it as proposed by the member."""
    name = " ".join(name.split())
    if not name:
        raise InvalidSkill("Give the skill a name.", field="name")
    if len(name) > 60:
        raise InvalidSkill("A skill name is at most 60 characters.", field="name")
    slug = slugify(name)
    if not slug:
        raise InvalidSkill("A skill name needs at least one letter or digit.", field="name")
    existing = Skill.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Skill.objects.create(
                name=name, slug=_free_slug(slug), status=Skill.Status.PROPOSED, proposed_by=member
            )
    except IntegrityError:
        # Someone proposed the same name at the same moment: theirs stands.
        return Skill.objects.get(name__iexact=name)


def _free_slug(slug: str) -> str:
    candidate, n = slug, 2
    while Skill.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def add_skill(*, actor: Member | None, name: str) -> Skill:
    """Put a skill straight into the taxonomy (managers; `actor=None` is the system), or approve the
    existing one of that name. A manager's addition is audited."""
    if actor is not None:
        check_manage_skills_permission(actor)
    skill = propose_skill(member=actor, name=name)
    if skill.status != Skill.Status.APPROVED:
        skill.status = Skill.Status.APPROVED
        skill.save(update_fields=["status"])
        if actor is not None:
            record_audit_entry(actor=actor, action=AuditEntry.Action.SKILL_ADDED, target=skill.name, skill=skill)
    return skill


@transaction.atomic
def approve_skill(*, actor: Member, skill: Skill) -> Skill:
    """Managers take a proposed skill into the taxonomy; audited."""
    check_manage_skills_permission(actor)
    if skill.status != Skill.Status.APPROVED:
        skill.status = Skill.Status.APPROVED
        skill.save(update_fields=["status"])
        record_audit_entry(actor=actor, action=AuditEntry.Action.SKILL_APPROVED, target=skill.name, skill=skill)
    return skill


@transaction.atomic
def rename_skill(*, actor: Member, skill: Skill, name: str) -> Skill:
    """Rename a skill; a name another skill already has is refused (merge instead). Audited."""
    check_manage_skills_permission(actor)
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise InvalidSkill("A skill name is 1 to 60 characters.", field="name")
    if Skill.objects.filter(name__iexact=name).exclude(pk=skill.pk).exists():
        raise InvalidSkill(f"A skill called “{name}” exists already: merge the two instead.", field="name")
    old_name, skill.name = skill.name, name
    skill.save(update_fields=["name"])
    if old_name != name:
        record_audit_entry(
            actor=actor,
            action=AuditEntry.Action.SKILL_RENAMED,
            target=f"{old_name} → {name}",
            skill=skill,
            details={"from": old_name, "to": name},
        )
    for member in skill.members.all():
        refresh_search_document(member=member)
    return skill


@transaction.atomic
def merge_skills(*, actor: Member, source: Skill, target: Skill) -> Skill:
    """Fold `source` into `target`: its members keep the skill under the target's name. Audited."""
    check_manage_skills_permission(actor)
    if source.pk == target.pk:
        raise InvalidSkill("A skill cannot be merged into itself.")
    holders = list(MemberSkill.objects.filter(skill=source).values_list("member_id", flat=True))
    MemberSkill.objects.bulk_create([MemberSkill(member_id=pk, skill=target) for pk in holders], ignore_conflicts=True)
    record_audit_entry(
        actor=actor,
        action=AuditEntry.Action.SKILL_MERGED,
        target=f"{source.name} → {target.name}",
        skill=target,
        details={"merged": source.name, "into": target.name, "members": len(holders)},
    )
    source.delete()
    for member in Member.objects.filter(pk__in=holders):
        refresh_search_document(member=member)
    return target


@transaction.atomic
def set_role(*, actor: Member | None, member: Member, role: str) -> Member:
    """Give the member exactly one role. Only managers and administrators may do this; only
    administrators may make or unmake an administrator. `actor=None` is the system (seed, migration).
    A change of role is audited (a new account's first role, member, is not a change)."""
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidRole(f"“{role}” is not a role here.", field="role") from None
    prefetch_related_objects([member], "groups")  # one read serves the permission check and the audit
    if actor is not None:
        check_change_role_permission(actor, member=member, role=new_role)
    old_role = role_of(member)
    role_groups = Group.objects.filter(name__in=[r.value for r in Role])
    member.groups.remove(*role_groups)
    member.groups.add(Group.objects.get(name=new_role.value))
    member.is_staff = new_role in {Role.ADMINISTRATOR, Role.MANAGER}
    member.is_superuser = new_role is Role.ADMINISTRATOR
    member.save(update_fields=["is_staff", "is_superuser"])
    if new_role != old_role:
        record_audit_entry(
            actor=actor,
            action=AuditEntry.Action.ROLE_CHANGED,
            target=describe_member(member),
            member=member,
            details={"from": old_role.value, "to": new_role.value},
        )
    send_event_on_commit({"type": "role.changed", "role": new_role.value}, groups=[f"member.{member.pk}"])
    return member
