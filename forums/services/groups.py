"""Groups and who belongs to them: managers create groups; members join, ask or are invited."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from members.models import MailKind, Member, Notification
from members.services import notify

from .. import selectors
from ..errors import ForumError
from ..models import Group, GroupMembership

# Paths under /forums/ that are not groups.
RESERVED_SLUGS = {"new-group", "search", "moderation", "people", "memberships", "threads", "polls", "posts"}
GROUP_FIELDS = ("name", "description", "kind", "visibility", "policy", "contributions_before_promotion")


def _validate(fields: dict) -> dict:
    name = (fields.get("name") or "").strip()
    if not 3 <= len(name) <= 80:
        raise ForumError("A group's name is 3 to 80 characters.", field="name")
    if not slugify(name):
        raise ForumError("A group's name needs letters or digits.", field="name")
    if slugify(name) in RESERVED_SLUGS:
        raise ForumError(f"“{name}” is reserved for a page of the forums; choose another name.", field="name")
    for field, choices in (("kind", Group.Kind), ("visibility", Group.Visibility), ("policy", Group.Policy)):
        if field in fields and fields[field] not in choices.values:
            raise ForumError(f"Choose one of: {', '.join(choices.values)}.", field=field)
    threshold = fields.get("contributions_before_promotion", 3)
    if not isinstance(threshold, int) or not 0 <= threshold <= 100:
        raise ForumError("Between 0 and 100 contributions.", field="contributions_before_promotion")
    if len(fields.get("description") or "") > 2000:
        raise ForumError("Keep the description under 2,000 characters.", field="description")
    return {**fields, "name": name}


@transaction.atomic
def create_group(*, actor: Member, **fields) -> Group:
    """A community manager opens a group and moderates it from the start."""
    selectors.check_manage_groups_permission(actor)
    fields = _validate({key: value for key, value in fields.items() if key in GROUP_FIELDS})
    try:
        with transaction.atomic():
            group = Group.objects.create(slug=slugify(fields["name"])[:80], created_by=actor, member_count=1, **fields)
    except IntegrityError:
        raise ForumError(f"There is already a group called {fields['name']}.", field="name") from None
    GroupMembership.objects.create(group=group, member=actor, role=GroupMembership.Role.MODERATOR)
    return group


@transaction.atomic
def update_group(*, actor: Member, group: Group, **fields) -> Group:
    selectors.check_manage_groups_permission(actor)
    changes = {key: value for key, value in fields.items() if key in GROUP_FIELDS}
    changes = _validate({**{field: getattr(group, field) for field in GROUP_FIELDS}, **changes})
    for field, value in changes.items():
        setattr(group, field, value)
    try:
        with transaction.atomic():
            group.save(update_fields=list(GROUP_FIELDS))
    except IntegrityError:
        raise ForumError(f"There is already a group called {changes['name']}.", field="name") from None
    return group


@transaction.atomic
def join_group(*, member: Member, group: Group) -> GroupMembership:
    """Open groups take anyone who can see them; request-to-join groups wait for a group moderator;
    invitation-only groups take those invited."""
    membership = GroupMembership.objects.select_for_update().filter(group=group, member=member).first()
    invited = membership is not None and membership.status == GroupMembership.Status.INVITED
    if not invited:  # an invitation is how one finds a private group
        selectors.check_read_group_permission(member, group)
    selectors.check_not_suspended(member)
    if membership and membership.status == GroupMembership.Status.ACTIVE:
        raise ForumError(f"You are already a member of {group.name}.")
    if membership and membership.status == GroupMembership.Status.REQUESTED:
        raise ForumError(f"You have already asked to join {group.name}; a group moderator will answer.")
    if group.policy == Group.Policy.INVITE and not invited:
        raise PermissionDenied(f"{group.name} is by invitation only.")
    if group.policy == Group.Policy.REQUEST and not invited:
        membership = GroupMembership.objects.create(group=group, member=member, status=GroupMembership.Status.REQUESTED)
        for moderator in _group_moderators(group):
            notify(
                recipient=moderator,
                actor=member,
                text=f"{member.name} asked to join {group.name}",
                url=group.get_absolute_url() + "members/",
                kind=Notification.Kind.GROUP,
                mail_kind=MailKind.REQUESTS,
            )
        return membership
    if membership is None:
        membership = GroupMembership.objects.create(group=group, member=member)
    else:
        membership.status = GroupMembership.Status.ACTIVE
        membership.save(update_fields=["status"])
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    return membership


@transaction.atomic
def leave_group(*, member: Member, group: Group) -> GroupMembership:
    """Leave, or withdraw a request; an invitation declined is simply removed. Returns the membership
    as it was."""
    membership = GroupMembership.objects.select_for_update().filter(group=group, member=member).first()
    if membership is None:
        raise ForumError(f"You are not a member of {group.name}.")
    if membership.status == GroupMembership.Status.ACTIVE:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
    membership.delete()
    return membership


@transaction.atomic
def decide_membership(*, actor: Member, membership_id: int, approve: bool) -> GroupMembership:
    membership = (
        GroupMembership.objects.select_for_update().select_related("group", "member").filter(pk=membership_id).first()
    )
    if membership is None or not selectors.is_group_moderator(actor, membership.group):
        raise PermissionDenied("Only this group's moderators answer requests to join it.")
    if membership.status != GroupMembership.Status.REQUESTED:
        raise ForumError("That request has already been answered.")
    group = membership.group
    if approve:
        membership.status = GroupMembership.Status.ACTIVE
        membership.save(update_fields=["status"])
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
        text = f"You are now a member of {group.name}"
    else:
        membership.delete()
        text = f"Your request to join {group.name} was declined"
    notify(
        recipient=membership.member,
        actor=actor,
        text=text,
        url=group.get_absolute_url(),
        kind=Notification.Kind.GROUP,
        mail_kind=MailKind.REQUESTS,
    )
    return membership


@transaction.atomic
def invite_member(*, actor: Member, group: Group, member: Member) -> GroupMembership:
    if not selectors.is_group_moderator(actor, group):
        raise PermissionDenied("Only this group's moderators invite members.")
    membership, created = GroupMembership.objects.get_or_create(
        group=group, member=member, defaults={"status": GroupMembership.Status.INVITED}
    )
    if not created:
        raise ForumError(f"{member.name} is already {membership.get_status_display()} in {group.name}.")
    notify(
        recipient=member,
        actor=actor,
        text=f"{actor.name} invited you to join {group.name}",
        url=group.get_absolute_url(),
        kind=Notification.Kind.GROUP,
        mail_kind=MailKind.REQUESTS,
    )
    return membership


def _group_moderators(group: Group) -> list[Member]:
    return list(
        Member.objects.filter(
            group_memberships__group=group,
            group_memberships__status=GroupMembership.Status.ACTIVE,
            group_memberships__role=GroupMembership.Role.MODERATOR,
        )
    )
