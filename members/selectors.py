"""Reads of the members domain and the permission checks that guard its writes."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.http import Http404

from community.pagination import IdsFirstPaginator
from community.roles import Role

from .give_subjects import describe
from .models import (
    AuditEntry,
    Connection,
    Endorsement,
    Follow,
    Give,
    Introduction,
    Member,
    Notification,
    Recommendation,
    Skill,
)

SORTS = {"name": (Lower("display_name"), "username"), "newest": ("-date_joined", "-pk")}


@dataclass(frozen=True)
class DirectoryFilters:
    query: str = ""
    skill: str = ""  # a skill slug
    skill_id: int | None = None  # that skill's id, when the caller knows it (saves a query)
    organisation: str = ""
    location: str = ""
    role: str = ""
    sort: str = "name"


def _with_cards(members: QuerySet[Member]) -> QuerySet[Member]:
    """Everything a member card shows, in a fixed number of queries."""
    return members.filter(is_active=True).prefetch_related(
        Prefetch("skills", queryset=Skill.objects.filter(status=Skill.Status.APPROVED)),
        "groups",
    )


def directory(filters: DirectoryFilters) -> QuerySet[Member]:
    """Active members matching the filters. Text search is PostgreSQL full text (ranked) in
    production and a case-insensitive match over the same fields on the embedded SQLite."""
    members = Member.objects.all()
    if filters.skill:
        # Filter on the skill's id, not a join on its slug: with the id as a literal PostgreSQL uses
        # the per-skill frequency (members_memberskill.skill_id statistics) to pick its plan.
        skill_id = filters.skill_id or Skill.objects.filter(slug=filters.skill).values_list("pk", flat=True).first()
        members = members.filter(member_skills__skill_id=skill_id) if skill_id else members.none()
    if filters.organisation:
        members = members.filter(organisation__iexact=filters.organisation)
    if filters.location:
        members = members.filter(location__iexact=filters.location)
    if filters.role:
        members = members.filter(groups__name=filters.role)
    ordering = SORTS.get(filters.sort, SORTS["name"])
    query = filters.query.strip()
    if query and connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="simple") | SearchQuery(
            query, search_type="websearch", config="english"
        )
        members = members.filter(search_document=search)
        if filters.sort == "relevance" or filters.sort not in SORTS:
            members = members.annotate(rank=SearchRank(F("search_document"), search))
            ordering = ("-rank", "pk")
    elif query:
        text = Q()
        for word in query.split():
            text &= (
                Q(display_name__icontains=word)
                | Q(username__icontains=word)
                | Q(headline__icontains=word)
                | Q(organisation__icontains=word)
                | Q(bio__icontains=word)
                | Q(pk__in=Member.skills.through.objects.filter(skill__name__icontains=word).values("member_id"))
            )
        members = members.filter(text)
    return _with_cards(members).order_by(*ordering)


def directory_page(filters: DirectoryFilters, number, per_page: int) -> Page:
    """One page of `directory(filters)`. A text search reads the page's ids and the count in one
    pass over the search and the filters' joins (every match is ranked or sorted anyway), then the
    cards of those ids; other lists keep the plain count and page query, whose ordered index scans
    stop after the page."""
    members = directory(filters)
    if not filters.query.strip():
        return Paginator(members, per_page).get_page(number)
    paginator = IdsFirstPaginator(members, per_page, load=lambda ids: _with_cards(Member.objects.filter(pk__in=ids)))
    return paginator.get_page(number)


def _first_distinct(column: str, limit: int = 200) -> list[str]:
    """The first `limit` distinct non-empty values of an indexed column among active members: a
    loose index scan (one index probe per value) instead of reading every member's row."""
    table = connection.ops.quote_name(Member._meta.db_table)
    col = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE v(value) AS (
                  (SELECT {col} FROM {table} WHERE is_active AND {col} > '' ORDER BY {col} LIMIT 1)
                  UNION ALL
                  SELECT (SELECT m.{col} FROM {table} m WHERE m.is_active AND m.{col} > v.value
                          ORDER BY m.{col} LIMIT 1)
                  FROM v WHERE v.value IS NOT NULL)
                SELECT value FROM v WHERE value IS NOT NULL LIMIT %s""",
            [limit],
        )
        return [row[0] for row in cursor.fetchall()]


def directory_choices() -> dict[str, list[str]]:
    """The values the directory's filters offer."""
    if connection.vendor == "postgresql":
        return {"organisations": _first_distinct("organisation"), "locations": _first_distinct("location")}
    active = Member.objects.filter(is_active=True)
    return {
        "organisations": list(
            active.exclude(organisation="")
            .order_by("organisation")
            .values_list("organisation", flat=True)
            .distinct()[:200]
        ),
        "locations": list(
            active.exclude(location="").order_by("location").values_list("location", flat=True).distinct()[:200]
        ),
    }


def approved_skills() -> QuerySet[Skill]:
    return Skill.objects.filter(status=Skill.Status.APPROVED)


def skills_for(member: Member) -> QuerySet[Skill]:
    """Skills a member may pick: the approved taxonomy and the ones they proposed themselves."""
    return Skill.objects.filter(Q(status=Skill.Status.APPROVED) | Q(proposed_by=member))


def profile(handle: str) -> Member:
    """The member at /members/<handle>/ with what their profile page shows."""
    try:
        return Member.objects.prefetch_related("skills", "interests", "groups").get(username=handle, is_active=True)
    except Member.DoesNotExist:
        raise Http404("No member has that handle.") from None


def role_of(member: Member) -> Role:
    """The member's role, read from groups (prefetched where a page shows many members)."""
    names = {group.name for group in member.groups.all()}
    for role in (Role.ADMINISTRATOR, Role.MANAGER, Role.SPONSOR, Role.MODERATOR):
        if role.value in names:
            return role
    return Role.MEMBER


def check_change_role_permission(actor: Member, *, member: Member, role: Role) -> None:
    """Managers and administrators change roles; only administrators touch the administrator role;
    nobody changes their own role."""
    if not actor.has_perm("members.change_member_role"):
        raise PermissionDenied("Only community managers and administrators can change roles.")
    if actor.pk == member.pk:
        raise PermissionDenied("You cannot change your own role.")
    if (
        Role.ADMINISTRATOR in (role, role_of(member))
        and not actor.is_superuser
        and role_of(actor) != Role.ADMINISTRATOR
    ):
        raise PermissionDenied("Only an administrator can grant or remove the administrator role.")


def check_manage_skills_permission(actor: Member) -> None:
    if not actor.has_perm("members.manage_skills"):
        raise PermissionDenied("Only community managers can approve, rename or merge skills.")


def can_change_roles(actor: Member) -> bool:
    return actor.is_authenticated and actor.has_perm("members.change_member_role")


def owed_to(member: Member) -> QuerySet[Give]:
    """Pay it back (rules 2 and 3): gives the member received and has not acknowledged, oldest
    first. Thank-yous are answers themselves and are never owed."""
    return (
        Give.objects.filter(receiver=member, acknowledged_at__isnull=True)
        .exclude(kind=Give.Kind.THANKS)
        .select_related("giver")
        .order_by("created", "pk")
    )


def _whole(weight: float | None) -> int:
    """A weighted count as the whole number a page shows (half up): three ring endorsements at a
    quarter each show as one."""
    return int((weight or 0) + 0.5)


def skill_endorsements(member: Member, *, viewer: Member) -> list[dict]:
    """The member's skills with their endorsements counted by weight (rule 8: an endorse-back within
    minutes or a ring counts for a fraction, a genuine endorsement in full; the flags themselves
    stay private), endorsements backed by evidence first (the two members have interacted beyond
    the endorsement itself), and whether the viewer endorsed it. One query for the counts."""
    endorsements = Endorsement.objects.filter(endorsee=member)
    interacted = Give.objects.filter(
        (Q(giver=OuterRef("endorser"), receiver=member) | Q(giver=member, receiver=OuterRef("endorser")))
    ).exclude(kind=Give.Kind.ENDORSEMENT)
    weight = Give.objects.filter(
        kind=Give.Kind.ENDORSEMENT,
        subject_type__app_label=Endorsement._meta.app_label,
        subject_type__model=Endorsement._meta.model_name,
        subject_id=OuterRef("pk"),
    ).values("weight")[:1]
    counts = {
        row["skill"]: row
        for row in endorsements.annotate(
            backed=Exists(interacted), weight=Coalesce(Subquery(weight), Value(1.0), output_field=FloatField())
        )
        .values("skill")
        .annotate(total=Sum("weight"), backed_total=Sum("weight", filter=Q(backed=True)))
    }
    mine = set(endorsements.filter(endorser=viewer).values_list("skill", flat=True))
    rows = []
    for skill in member.skills.all():
        total, backed = counts.get(skill.pk, {}).get("total") or 0, counts.get(skill.pk, {}).get("backed_total") or 0
        rows.append(
            {
                "skill": skill,
                "total": _whole(total),
                "backed": _whole(backed),
                "weight": (backed, total),
                "endorsed_by_viewer": skill.pk in mine,
            }
        )
    rows.sort(key=lambda row: (-row["weight"][0], -row["weight"][1], row["skill"].name.lower()))
    return rows


def most_giving(count: int) -> list[int]:
    """Ids of the active members whose gives weigh most (rule 8: forced favours count for a
    fraction, so a ring of endorse-backs ranks below genuine help). Sums the whole ledger: callers
    cache it."""
    return list(
        Give.objects.filter(giver__is_active=True)
        .values("giver")
        .annotate(score=Sum("weight"))
        .order_by("-score", "giver")
        .values_list("giver", flat=True)[:count]
    )


def notifications_for(member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member).select_related("actor", "give__giver")


def describe_notifications(notifications) -> list[Notification]:
    """Each notification with the words and link of what it is about (`text`, `url`): a give's
    notification names its object and links to it (one query per kind of give on the page), the
    others keep what they were written with."""
    notifications = list(notifications)
    describe(notification.give for notification in notifications if notification.give_id)
    for notification in notifications:
        if notification.give_id and notification.give.kind != Give.Kind.THANKS:
            about = notification.give.about
            notification.text = f"{notification.give.giver.name} {about.text}"
            notification.url = about.url
        elif notification.give_id and not notification.url:
            notification.url = notification.give.about.url
    return notifications


def _count_of(rows: QuerySet) -> Coalesce:
    """COUNT(*) of the rows as a scalar subquery (no GROUP BY: the rows may match on either side)."""
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Coalesce(Subquery(rows.order_by().values(n=count)), 0)


def with_header_counts(members: QuerySet[Member]) -> QuerySet[Member]:
    """Members with what the site header counts: Pay it back's `owed_count` (their ledger totals,
    joined), `unread_notifications` and `requests_waiting` (connection requests, introductions and
    recommendations that wait for their answer, as on the Requests page). A join and scalar
    subqueries on indexes, in the query that loads the member."""
    me = OuterRef("pk")
    return members.select_related("ledger_totals").annotate(
        unread_notifications=_count_of(Notification.objects.filter(recipient=me, read_at__isnull=True)),
        requests_waiting=_count_of(Connection.objects.filter(addressee=me, status=Connection.Status.PENDING))
        + _count_of(Introduction.objects.filter(Q(first=me, first_answer="") | Q(second=me, second_answer="")))
        + _count_of(Recommendation.objects.filter(recipient=me, status=Recommendation.Status.PENDING)),
    )


def approved_recommendations(member: Member) -> QuerySet[Recommendation]:
    return member.recommendations_received.filter(status=Recommendation.Status.APPROVED).select_related("author")


def connection_between(viewer: Member, member: Member) -> Connection | None:
    """The request between two members, whichever of them made it."""
    return Connection.objects.filter(
        Q(requester=viewer, addressee=member) | Q(requester=member, addressee=viewer)
    ).first()


@dataclass(frozen=True)
class FollowFigures:
    followers: int
    following: int
    viewer_follows: bool
    follows_viewer: bool


def follow_figures(member: Member, *, viewer: Member) -> FollowFigures:
    """The member's live follower and following counts (public, plain counts: the scoring's weights
    stay private) and whether viewer and member follow each other, in one query whatever the counts."""
    counts = Follow.objects.filter(Q(followed=member) | Q(follower=member), ended_at__isnull=True).aggregate(
        followers=Count("pk", filter=Q(followed=member)),
        following=Count("pk", filter=Q(follower=member)),
        viewer_follows=Count("pk", filter=Q(follower=viewer.pk, followed=member)),
        follows_viewer=Count("pk", filter=Q(follower=member, followed=viewer.pk)),
    )
    return FollowFigures(
        followers=counts["followers"],
        following=counts["following"],
        viewer_follows=bool(counts["viewer_follows"]),
        follows_viewer=bool(counts["follows_viewer"]),
    )


def waiting_requests(member: Member) -> dict[str, QuerySet]:
    """Connection requests, introductions and recommendations that wait for the member's answer."""
    return {
        "introductions": Introduction.objects.filter(
            Q(first=member, first_answer="") | Q(second=member, second_answer="")
        ).select_related("introducer", "first", "second"),
        "connections": Connection.objects.filter(addressee=member, status=Connection.Status.PENDING).select_related(
            "requester"
        ),
        "recommendations": Recommendation.objects.filter(
            recipient=member, status=Recommendation.Status.PENDING
        ).select_related("author"),
    }


def can_view_activity(viewer: Member) -> bool:
    """Community managers and administrators see members' private activity figures."""
    return viewer.is_authenticated and viewer.has_perm("members.view_member_activity")


@dataclass(frozen=True)
class RecommendationCounts:
    given: int
    received: int


def recommendation_counts(member: Member) -> RecommendationCounts:
    """Recommendations the member wrote and received, whatever their status, in one query. For
    managers only (see `can_view_activity`): the received count includes ones the member declined."""
    counts = Recommendation.objects.filter(Q(author=member) | Q(recipient=member)).aggregate(
        given=Count("pk", filter=Q(author=member)), received=Count("pk", filter=Q(recipient=member))
    )
    return RecommendationCounts(given=counts["given"], received=counts["received"])


def check_view_activity_permission(viewer: Member, member: Member) -> None:
    """A member's reciprocity figures are theirs and their managers' alone (rule 7: no public shaming)."""
    if viewer.pk != member.pk and not can_view_activity(viewer):
        raise PermissionDenied("Only the member and community managers can see these figures.")


def check_view_audit_permission(viewer: Member) -> None:
    """The audit trail of roles and skills is for administrators."""
    if not viewer.has_perm("members.view_auditentry"):
        raise PermissionDenied("Only administrators can read the audit trail.")


def audit_log() -> QuerySet[AuditEntry]:
    """Every audit entry, newest first, with who made it."""
    return AuditEntry.objects.select_related("actor")


# Per-day material for the metrics app (which never reads these tables itself). Each returns plain
# rows for a half-open range of datetimes; the metrics app buckets them into days.


def staff_ids() -> set[int]:
    """Members whose role is staff (moderator, manager, sponsor, administrator): member metrics
    leave them out unless a report asks to include them."""
    from django.contrib.auth.models import Group

    staff_roles = [role.value for role in Role if role is not Role.MEMBER]
    # By the roles' ids, read first: given only their names, PostgreSQL expects half of all role
    # rows (nearly every member holds "member") and scans them all.
    roles = list(Group.objects.filter(name__in=staff_roles).values_list("pk", flat=True))
    return set(Member.groups.through.objects.filter(group_id__in=roles).values_list("member_id", flat=True))


def _verified_members(end, *, start=None, members=None) -> QuerySet[Member]:
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    rows = Member.objects.filter(Exists(verified), is_active=True, date_joined__lt=end)
    if start is not None:
        rows = rows.filter(date_joined__gte=start)
    if members is not None:
        rows = rows.filter(pk__in=list(members))
    return rows


def verified_joins(end, *, exclude: set[int] = frozenset(), start=None, members=None) -> list[tuple[int, object]]:
    """(member id, joined at) of every active member with a verified e-mail address who joined
    before `end` (and at or after `start`; only `members`, if given), oldest first."""
    rows = _verified_members(end, start=start, members=members).order_by("date_joined", "pk")
    return [(pk, joined) for pk, joined in rows.values_list("pk", "date_joined") if pk not in exclude]


def verified_members_before(end, *, exclude: set[int] = frozenset()) -> int:
    """How many active members with a verified address joined before `end`."""
    rows = _verified_members(end)
    return rows.exclude(pk__in=list(exclude)).count() if exclude else rows.count()


def first_verified_join():
    """When the first member with a verified address joined (None in an empty community)."""
    from django.db.models import Min

    return _verified_members(timezone_now()).aggregate(first=Min("date_joined"))["first"]


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def accepted_introductions_between(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[int, object]]:
    """(introducer id, made at) of introductions made in [start, end) that both sides accepted."""
    rows = Introduction.objects.filter(
        created__gte=start,
        created__lt=end,
        first_answer=Introduction.Answer.ACCEPTED,
        second_answer=Introduction.Answer.ACCEPTED,
    ).values_list("introducer_id", "created")
    return [(pk, at) for pk, at in rows if pk not in exclude]


def approved_recommendations_between(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[int, object]]:
    """(author id, approved at) of recommendations their recipient approved in [start, end)."""
    rows = Recommendation.objects.filter(
        status=Recommendation.Status.APPROVED, decided_at__gte=start, decided_at__lt=end
    ).values_list("author_id", "decided_at")
    return [(pk, at) for pk, at in rows if pk not in exclude]


def public_names(member_ids) -> dict[int, str]:
    """Display names of active members, for reports that name people where they are already public."""
    return {pk: display or handle for pk, display, handle in Member.objects.filter(
        pk__in=list(member_ids), is_active=True
    ).values_list("pk", "display_name", "username")}


def first_gives(*, exclude: set[int] = frozenset(), members=None) -> dict[int, object]:
    """Each member's first give, by member id (activation: days from joining to contributing);
    only `members`' if given."""
    from django.db.models import Min

    gives = Give.objects.all() if members is None else Give.objects.filter(giver_id__in=list(members))
    rows = gives.order_by().values("giver_id").annotate(first=Min("created")).values_list("giver_id", "first")
    return {pk: at for pk, at in rows if pk not in exclude}


# Material for the plans app's outreach lists (which never read these tables themselves): member
# filters as `Exists` expressions on the member of the outer query, so a list is one query.


def outreach_candidates() -> QuerySet[Member]:
    """Active members who are not staff: the people outreach is for (two queries for the staff)."""
    return Member.objects.filter(is_active=True).exclude(pk__in=staff_ids())


def gives_of_outer_member(start, end=None) -> QuerySet[Give]:
    """The outer member's gives in [start, end) (end open when None), for EXISTS and its unions."""
    gives = Give.objects.filter(giver_id=OuterRef("pk"), created__gte=start)
    return gives.filter(created__lt=end) if end is not None else gives


def gave_between(start, end=None) -> Exists:
    """The outer member gave something in [start, end) (end open when None)."""
    return Exists(gives_of_outer_member(start, end))


def ever_gave() -> Exists:
    return Exists(Give.objects.filter(giver_id=OuterRef("pk")))


def has_skill_in(skill_ids) -> Exists:
    from .models import MemberSkill

    return Exists(MemberSkill.objects.filter(member_id=OuterRef("pk"), skill_id__in=list(skill_ids)))


def generous_unacknowledged(since, *, min_gives: int, max_share: float) -> QuerySet:
    """Givers of at least `min_gives` gives since `since` that call for an acknowledgement (all but
    thank-yous), of which at most `max_share` were thanked or returned: rows of giver_id, given,
    acknowledged, most generous first."""
    acknowledged = Q(acknowledgement__in=[Give.Acknowledgement.THANKED, Give.Acknowledgement.RETURNED])
    return (
        Give.objects.filter(created__gte=since)
        .exclude(kind=Give.Kind.THANKS)
        .values("giver_id")
        .annotate(given=Count("pk"), acknowledged=Count("pk", filter=acknowledged))
        .filter(given__gte=min_gives, acknowledged__lte=F("given") * max_share)
        .order_by("-given", "giver_id")
    )


def contributions_after(member_ids, since) -> dict[int, list]:
    """Times each member gave since `since` (outreach outcomes: did they come back)."""
    times: dict[int, list] = {}
    for giver, at in Give.objects.filter(giver_id__in=list(member_ids), created__gte=since).values_list(
        "giver_id", "created"
    ):
        times.setdefault(giver, []).append(at)
    return times


def members_with_roles(roles) -> QuerySet[Member]:
    """Active members holding one of `roles` (e.g. who may own a plan's objective), by name."""
    return Member.objects.filter(is_active=True, groups__name__in=[Role(role).value for role in roles]).distinct().order_by(
        Lower("display_name"), "username"
    )


# --- per-day aggregates for the metrics app (GROUP BY day in the database, not rows in Python) ---


def _day(field: str):
    from django.db.models.functions import TruncDate

    return TruncDate(field)  # in the current time zone, as timezone.localtime(...).date()


def _not_given_by(queryset, exclude):
    return queryset.exclude(giver_id__in=list(exclude)) if exclude else queryset


def gives_by_day(start, end, *, exclude: set[int] = frozenset()) -> dict:
    """{day: (sum of weights, gives, gives weighted below 1)} for gives recorded in [start, end),
    without those given by excluded members."""
    rows = (
        _not_given_by(Give.objects.filter(created__gte=start, created__lt=end), exclude)
        .annotate(day=_day("created"))
        .order_by()
        .values("day")
        .annotate(weights=Sum("weight"), gives=Count("pk"), down=Count("pk", filter=Q(weight__lt=1)))
        .values_list("day", "weights", "gives", "down")
    )
    return {day: (weight, gives, down) for day, weight, gives, down in rows}


def acknowledged_by_day(start, end, *, hours: int, exclude: set[int] = frozenset()) -> dict:
    """{day given: (weight owed, weight thanked or returned within `hours`)} for the gives that call
    for an acknowledgement (all but thank-yous) recorded in [start, end)."""
    from datetime import timedelta

    within = Q(
        acknowledgement__in=[Give.Acknowledgement.THANKED, Give.Acknowledgement.RETURNED],
        acknowledged_at__lte=F("created") + timedelta(hours=hours),
    )
    rows = (
        _not_given_by(Give.objects.filter(created__gte=start, created__lt=end).exclude(kind=Give.Kind.THANKS), exclude)
        .annotate(day=_day("created"))
        .order_by()
        .values("day")
        .annotate(owed=Sum("weight"), acknowledged=Sum("weight", filter=within))
        .values_list("day", "owed", "acknowledged")
    )
    return {day: (owed or 0.0, acknowledged or 0.0) for day, owed, acknowledged in rows}


def thank_delays(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[object, object]]:
    """(day thanked, delay as a timedelta) of the gives thanked in [start, end)."""
    from django.db.models import DurationField, ExpressionWrapper

    return list(
        _not_given_by(
            Give.objects.filter(
                acknowledged_at__gte=start, acknowledged_at__lt=end, acknowledgement=Give.Acknowledgement.THANKED
            ),
            exclude,
        )
        .annotate(day=_day("acknowledged_at"),
                  delay=ExpressionWrapper(F("acknowledged_at") - F("created"), output_field=DurationField()))
        .order_by()
        .values_list("day", "delay")
    )


def givers_by_day(start, end, *, exclude: set[int] = frozenset(), members=None) -> list[tuple[object, int]]:
    """Distinct (day, giver id) of the gives recorded in [start, end) (given by `members`, if given)."""
    gives = Give.objects.filter(created__gte=start, created__lt=end)
    if members is not None:
        gives = gives.filter(giver_id__in=list(members))
    return list(
        _not_given_by(gives, exclude)
        .annotate(day=_day("created"))
        .order_by()
        .values_list("day", "giver_id")
        .distinct()
    )


def credited_by_day(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[object, int]]:
    """Distinct (day, receiver id) of credit gives recorded in [start, end)."""
    return list(
        _not_given_by(Give.objects.filter(created__gte=start, created__lt=end, kind=Give.Kind.CREDIT), exclude)
        .annotate(day=_day("created"))
        .order_by()
        .values_list("day", "receiver_id")
        .distinct()
    )


def ledger_links(start, end, *, exclude: set[int] = frozenset(), owing: bool = False) -> list[tuple]:
    """(giver id, receiver id, created) of gives recorded in [start, end) in ledger order (created,
    id), without those given by excluded members; `owing`: thank-yous left out. For the windows that
    follow gives from member to member (pay-forward chains) where no aggregate will do."""
    gives = Give.objects.filter(created__gte=start, created__lt=end)
    if owing:
        gives = gives.exclude(kind=Give.Kind.THANKS)
    return list(_not_given_by(gives, exclude).order_by("created", "pk").values_list("giver_id", "receiver_id", "created"))


def _sql_exclusion(exclude) -> tuple[str, list]:
    return ("", []) if not exclude else (" AND NOT {alias}.giver_id = ANY(%s)", [sorted(exclude)])


WIDE_RANGE_DAYS = 60  # beyond this many days, two-way pairs are read in one sorted pass, not a probe per give


def two_way_pairs_by_day(start, end, *, window_days: int, exclude: set[int] = frozenset()) -> dict | None:
    """{day: (pairs of members who exchanged a give that day, of which pairs with gives both ways in
    the `window_days` days up to that day)} for the days of [start, end). PostgreSQL only; None
    elsewhere: the caller computes it from `ledger_links`. A few days (an incremental run): an index
    look-up per give on give_pair_idx. Longer ranges (a rebuild): one pass over the gives sorted by
    pair, carrying each direction's last day (about twice as fast over millions of gives)."""
    if connection.vendor != "postgresql":
        return None
    outer, outer_params = _sql_exclusion(exclude)
    tz = timezone_name()
    if (end - start).days > WIDE_RANGE_DAYS:
        first_day = start.astimezone(ZoneInfo(tz)).date()
        sql = f"""
            SELECT day, count(*), count(*) FILTER (WHERE two_way) FROM (
                SELECT day, lo, hi, bool_or(CASE WHEN up THEN last_down ELSE last_up END >= day - %s) AS two_way
                FROM (
                    SELECT day, lo, hi, up,
                           max(day) FILTER (WHERE up) OVER pair AS last_up,
                           max(day) FILTER (WHERE NOT up) OVER pair AS last_down
                    FROM (
                        SELECT (g.created AT TIME ZONE %s)::date AS day, LEAST(g.giver_id, g.receiver_id) AS lo,
                               GREATEST(g.giver_id, g.receiver_id) AS hi, g.giver_id < g.receiver_id AS up
                        FROM members_give g
                        WHERE g.created >= (%s::date - %s)::timestamp AT TIME ZONE %s AND g.created < %s
                              {outer.format(alias="g")}
                    ) AS gives
                    WINDOW pair AS (PARTITION BY lo, hi ORDER BY day)  -- peers: the whole day counts
                ) AS directed
                WHERE day >= %s
                GROUP BY day, lo, hi
            ) AS pairs GROUP BY day
        """
        params = [window_days - 1, tz, first_day, window_days - 1, tz, end, *outer_params, first_day]
    else:
        sql = f"""
            SELECT day, count(*), count(*) FILTER (WHERE two_way) FROM (
                SELECT (g.created AT TIME ZONE %s)::date AS day,
                       LEAST(g.giver_id, g.receiver_id), GREATEST(g.giver_id, g.receiver_id),
                       bool_or(EXISTS (
                           SELECT 1 FROM members_give r
                           WHERE r.giver_id = g.receiver_id AND r.receiver_id = g.giver_id
                             AND r.created >= ((g.created AT TIME ZONE %s)::date - %s)::timestamp AT TIME ZONE %s
                             AND r.created < ((g.created AT TIME ZONE %s)::date + 1)::timestamp AT TIME ZONE %s
                             {outer.format(alias="r")}
                       )) AS two_way
                FROM members_give g
                WHERE g.created >= %s AND g.created < %s {outer.format(alias="g")}
                GROUP BY 1, 2, 3
            ) AS pairs GROUP BY day
        """
        params = [tz, tz, window_days - 1, tz, tz, tz, *outer_params, start, end, *outer_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {day: (pairs, two_way) for day, pairs, two_way in cursor.fetchall()}


def paid_forward_by_day(start, end, *, window_days: int, exclude: set[int] = frozenset()) -> dict | None:
    """{day: gives B→C (not thank-yous) recorded in [start, end) that follow a give A→B (A ≠ C, not
    a thank-you) in the `window_days` days before}. PostgreSQL only (an index look-up per give on
    give_received_idx); None elsewhere: the caller computes it from `ledger_links`."""
    if connection.vendor != "postgresql":
        return None
    outer, outer_params = _sql_exclusion(exclude)
    sql = f"""
        SELECT (g.created AT TIME ZONE %s)::date AS day, count(*)
        FROM members_give g
        WHERE g.created >= %s AND g.created < %s AND g.kind <> 'thanks' {outer.format(alias="g")}
          AND EXISTS (
              SELECT 1 FROM members_give b
              WHERE b.receiver_id = g.giver_id AND b.giver_id <> g.receiver_id AND b.kind <> 'thanks'
                AND b.created >= g.created - make_interval(days => %s)
                AND (b.created < g.created OR (b.created = g.created AND b.id < g.id))
                {outer.format(alias="b")}
          )
        GROUP BY 1
    """
    params = [timezone_name(), start, end, *outer_params, window_days, *outer_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def timezone_name() -> str:
    from django.utils import timezone

    return timezone.get_current_timezone_name()
