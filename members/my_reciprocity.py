"""My reciprocity (rules 2 and 5): what a member gave and received, how quickly they acknowledged,
what they ask for and how much they promote themselves, and the balance with each person. Private to the member and to managers. Reads only."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from .activity import Activity, activity_of
from .models import ACKNOWLEDGE_WITHIN, Follow, Give, Member

HALF_LIFE_DAYS = 90  # recent exchanges count more: a give loses half its weight every 90 days
BALANCE_WINDOW = timedelta(days=365)


@dataclass
class PersonBalance:
    """Weighted gives each way with one person: a give counts 1 when new, half after HALF_LIFE_DAYS,
    less when the scoring found it forced. The widths (0–100) draw both sides on one scale for the page."""

    person: Member
    given: float = 0.0
    received: float = 0.0
    given_width: int = 0
    received_width: int = 0

    @property
    def given_x(self) -> int:
        """Where the bar of what the member gave starts: it grows leftwards from the middle."""
        return 100 - self.given_width


@dataclass
class FollowSummary:
    """Follows scored (rule 8): a follow back within minutes counts half, an unfollow after no
    follow-back weighs on the one who unfollowed. Private like the rest of this page (rule 7)."""

    followers: int
    weighted_followers: float
    following: int
    follow_for_follow: int  # the member's own follows that were, or were answered by, a quick follow back
    unfollow_churn: int  # the member's unfollows soon after following someone who did not follow back


@dataclass
class ReciprocitySummary:
    by_kind: list[tuple[str, int, int]]  # (kind, given, received)
    received_total: int
    acknowledged_within_12_hours: float | None
    acknowledged_within_7_days: float | None
    median_hours_to_thank: float | None
    follows: FollowSummary
    balances: list[PersonBalance] = field(default_factory=list)
    gives_made: int = 0  # thank-yous aside
    activity: Activity = field(default_factory=Activity)

    @property
    def give_ask_ratio(self) -> float | None:
        """Gives made per ask (rule 5); None before the member has asked anything."""
        return round(self.gives_made / self.activity.asks, 1) if self.activity.asks else None

    @property
    def median_time_to_thank(self) -> timedelta | None:
        return None if self.median_hours_to_thank is None else timedelta(hours=self.median_hours_to_thank)

    @property
    def not_helped_back(self) -> list[PersonBalance]:
        return [balance for balance in self.balances if balance.received > 0 and balance.given == 0]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole) if whole else None


def reciprocity_summary(member: Member) -> ReciprocitySummary:
    now = timezone.now()
    received = Give.objects.filter(receiver=member).exclude(kind=Give.Kind.THANKS)
    counts = received.aggregate(
        total=Count("pk"),
        within_12h=Count("pk", filter=Q(acknowledged_at__lte=F("created") + ACKNOWLEDGE_WITHIN)),
        within_7d=Count("pk", filter=Q(acknowledged_at__lte=F("created") + timedelta(days=7))),
    )
    thanked = received.filter(acknowledgement=Give.Acknowledgement.THANKED).order_by("-created")
    delays = [
        (acked - created).total_seconds() / 3600
        for created, acked in thanked.values_list("created", "acknowledged_at")[:1000]
    ]

    def counts_by_kind(gives) -> dict[str, int]:
        return {row["kind"]: row["n"] for row in gives.values("kind").annotate(n=Count("pk")).order_by()}

    given_by_kind = counts_by_kind(Give.objects.filter(giver=member))
    received_by_kind = counts_by_kind(Give.objects.filter(receiver=member))
    by_kind = [
        (label, given_by_kind.get(kind, 0), received_by_kind.get(kind, 0))
        for kind, label in Give.Kind.choices
        if kind in given_by_kind or kind in received_by_kind
    ]

    balances: dict[int, PersonBalance] = {}
    people = {}
    exchanges = (
        Give.objects.filter(Q(giver=member) | Q(receiver=member), created__gte=now - BALANCE_WINDOW)
        .exclude(kind=Give.Kind.THANKS)
        .select_related("giver", "receiver")
    )
    totals = defaultdict(lambda: [0.0, 0.0])
    for give in exchanges:
        decay = 0.5 ** ((now - give.created).days / HALF_LIFE_DAYS)
        other = give.receiver if give.giver_id == member.pk else give.giver
        people[other.pk] = other
        totals[other.pk][0 if give.giver_id == member.pk else 1] += give.weight * decay
    for pk, (given, got) in totals.items():
        balances[pk] = PersonBalance(person=people[pk], given=round(given, 2), received=round(got, 2))
    _scale_widths(list(balances.values()))

    return ReciprocitySummary(
        follows=follow_summary(member),
        by_kind=by_kind,
        received_total=counts["total"],
        acknowledged_within_12_hours=_share(counts["within_12h"], counts["total"]),
        acknowledged_within_7_days=_share(counts["within_7d"], counts["total"]),
        median_hours_to_thank=round(statistics.median(delays), 1) if delays else None,
        balances=sorted(balances.values(), key=lambda b: (-(b.received - b.given), b.person.name)),
        gives_made=sum(n for kind, n in given_by_kind.items() if kind != Give.Kind.THANKS),
        activity=activity_of(member),
    )


def _scale_widths(balances: list[PersonBalance]) -> None:
    """Both sides of every bar on one scale: the largest amount either way fills its half."""
    largest = max((max(b.given, b.received) for b in balances), default=0)
    for balance in balances:
        balance.given_width = round(100 * balance.given / largest) if largest else 0
        balance.received_width = round(100 * balance.received / largest) if largest else 0


def follow_summary(member: Member) -> FollowSummary:
    live_in = Q(followed=member, ended_at__isnull=True)
    mine = Q(follower=member)
    counts = Follow.objects.filter(Q(followed=member) | mine).aggregate(
        followers=Count("pk", filter=live_in),
        weighted=Sum("weight", filter=live_in, default=0.0),
        following=Count("pk", filter=mine & Q(ended_at__isnull=True)),
        follow_for_follow=Count("pk", filter=mine & Q(follow_for_follow=True)),
        unfollow_churn=Count("pk", filter=mine & Q(unfollow_churn=True)),
    )
    return FollowSummary(
        followers=counts["followers"],
        weighted_followers=round(counts["weighted"], 2),
        following=counts["following"],
        follow_for_follow=counts["follow_for_follow"],
        unfollow_churn=counts["unfollow_churn"],
    )
