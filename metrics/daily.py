"""Each metric's figure for each day, computed from what the owning apps' selectors return.

`Material` loads every row the day figures need, once, for a range of days (with the look-back the
windows below require); the functions below turn it into `Figure`s. A day's figure depends only on
the data, never on the range asked for, so a rebuild and incremental runs write the same rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from content import selectors as content_selectors
from forums import selectors as forum_selectors
from members import selectors as member_selectors

from .models import Visit

HOUR = 3600.0
ACTIVATION_DAYS = 14
ANSWERED_WITHIN_DAYS = 7
UNANSWERED_AFTER = timedelta(hours=48)
TWO_WAY_WINDOW_DAYS = 90
PAY_FORWARD_DAYS = 30
CHAIN_WINDOW_DAYS = 90
QUIET_DAYS = 60
RETENTION_WEEKS = (1, 4, 12)
# Days before a range that its first day's windows reach back to.
LOOKBACK_DAYS = max(TWO_WAY_WINDOW_DAYS, CHAIN_WINDOW_DAYS, QUIET_DAYS) + 1


@dataclass
class Figure:
    value: float | None = None
    numerator: float = 0.0
    denominator: float = 0.0
    samples: list = field(default_factory=list)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_of(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class Material:
    """Everything the day figures for [first, last] need, read through the apps' selectors.
    `today` bounds what has happened: windows that have not closed yet are left out of shares."""

    def __init__(self, *, first: date, last: date, today: date, include_staff: bool):
        self.first, self.last, self.today = first, last, today
        exclude = set() if include_staff else member_selectors.staff_ids()
        start, end = day_start(first - timedelta(days=LOOKBACK_DAYS)), day_start(today + timedelta(days=1))
        self.joins = member_selectors.verified_joins(end, exclude=exclude)
        self.gives = member_selectors.gives_between(start, end, exclude=exclude)
        self.acknowledgements = member_selectors.acknowledgements_between(start, end, exclude=exclude)
        self.introductions = member_selectors.accepted_introductions_between(start, end, exclude=exclude)
        self.recommendations = member_selectors.approved_recommendations_between(start, end, exclude=exclude)
        first_gives = member_selectors.first_gives(exclude=exclude)
        first_posts = forum_selectors.first_posts(exclude=exclude)
        self.posts = forum_selectors.posts_between(start, end, exclude=exclude)
        self.questions = forum_selectors.questions_before(end, exclude=exclude)
        self.reactions = forum_selectors.reactions_between(start, end, exclude=exclude)
        self.accepted = forum_selectors.accepted_answers_between(start, end, exclude=exclude)
        self.published = content_selectors.published_between(start, end)
        self.shares = content_selectors.shares_between(start, end, exclude=exclude)
        visits = Visit.objects.filter(day__gte=first - timedelta(days=LOOKBACK_DAYS), day__lte=today)
        self.visits = [(pk, day) for pk, day in visits.values_list("member_id", "day") if pk not in exclude]

        self.first_contribution = {}
        for member_id, at in [*first_gives.items(), *first_posts.items()]:
            known = self.first_contribution.get(member_id)
            self.first_contribution[member_id] = at if known is None or at < known else known
        self.contributors_by_day: dict[date, set[int]] = defaultdict(set)
        for post in self.posts:
            self.contributors_by_day[day_of(post.created)].add(post.author_id)
        for give in self.gives:
            self.contributors_by_day[day_of(give.created)].add(give.giver_id)
        self.active_by_day: dict[date, set[int]] = defaultdict(set)
        for day, members in self.contributors_by_day.items():
            self.active_by_day[day] |= members
        for member_id, day in self.visits:
            self.active_by_day[day].add(member_id)
        self.last_active: dict[int, list[date]] = defaultdict(list)
        for day, members in self.active_by_day.items():
            for member_id in members:
                self.last_active[member_id].append(day)
        for days in self.last_active.values():
            days.sort()

    def days(self) -> list[date]:
        return days_between(self.first, self.last)

    def closed(self, day: date, window_days: int) -> bool:
        """Whether a window of `window_days` that opens on `day` has closed by the end of yesterday."""
        return day + timedelta(days=window_days) <= self.today


def _by_day(rows, when) -> dict[date, list]:
    buckets = defaultdict(list)
    for row in rows:
        buckets[day_of(when(row))].append(row)
    return buckets


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def counted(values: dict[date, float], days: list[date]) -> dict[date, Figure]:
    return {day: Figure(value=float(values.get(day, 0))) for day in days}


def share(numerators: dict[date, float], denominators: dict[date, float], days: list[date]) -> dict[date, Figure]:
    figures = {}
    for day in days:
        num, den = float(numerators.get(day, 0)), float(denominators.get(day, 0))
        figures[day] = Figure(value=num / den if den else None, numerator=num, denominator=den)
    return figures


def median_of(samples: dict[date, list[float]], days: list[date]) -> dict[date, Figure]:
    return {
        day: Figure(value=_median(samples.get(day, [])), samples=sorted(samples.get(day, [])))
        for day in days
    }


def distinct(members: dict[date, set[int]], days: list[date]) -> dict[date, Figure]:
    return {
        day: Figure(value=float(len(members.get(day, ()))), samples=sorted(members.get(day, ()))) for day in days
    }


def per_group(rows, when, group_of, days) -> dict[int, dict[date, float]]:
    """Counts of rows per group (0: all) per day."""
    counts: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        day = day_of(when(row))
        counts[0][day] += 1
        counts[group_of(row)][day] += 1
    return counts


# The day functions: each returns {group id: {day: Figure}} (group 0 is the whole community).


def new_members(m: Material) -> dict:
    joins = defaultdict(float)
    for _, joined in m.joins:
        joins[day_of(joined)] += 1
    return {0: counted(joins, m.days())}


def members_total(m: Material) -> dict:
    joined_days = sorted(day_of(joined) for _, joined in m.joins)
    figures, index, total = {}, 0, 0
    for day in m.days():
        while index < len(joined_days) and joined_days[index] <= day:
            index, total = index + 1, total + 1
        figures[day] = Figure(value=float(total))
    return {0: figures}


def activation_14d(m: Material) -> dict:
    joined, contributed = defaultdict(float), defaultdict(float)
    for member_id, at in m.joins:
        day = day_of(at)
        if not m.closed(day, ACTIVATION_DAYS):
            continue
        joined[day] += 1
        first = m.first_contribution.get(member_id)
        if first is not None and first < at + timedelta(days=ACTIVATION_DAYS):
            contributed[day] += 1
    return {0: share(contributed, joined, m.days())}


def days_to_first_contribution(m: Material) -> dict:
    joined = dict(m.joins)
    samples = defaultdict(list)
    for member_id, first in m.first_contribution.items():
        if member_id in joined:
            samples[day_of(first)].append(max(0.0, (first - joined[member_id]).total_seconds() / 86400))
    return {0: median_of(samples, m.days())}


def active_members(m: Material) -> dict:
    return {0: distinct(m.active_by_day, m.days())}


def contributors(m: Material) -> dict:
    return {0: distinct(m.contributors_by_day, m.days())}


def _counts_by_group(m: Material, rows, when, group_of) -> dict:
    days = m.days()
    return {group: counted(values, days) for group, values in per_group(rows, when, group_of, days).items()} or {
        0: counted({}, days)
    }


def threads(m: Material) -> dict:
    opening = [post for post in m.posts if post.opening]
    return _counts_by_group(m, opening, lambda p: p.created, lambda p: p.group_id)


def replies(m: Material) -> dict:
    answers = [post for post in m.posts if not post.opening]
    return _counts_by_group(m, answers, lambda p: p.created, lambda p: p.group_id)


def reactions(m: Material) -> dict:
    return _counts_by_group(m, m.reactions, lambda r: r[2], lambda r: r[1])


def questions(m: Material) -> dict:
    return _counts_by_group(m, m.questions, lambda q: q.created, lambda q: q.group_id)


def questions_answered(m: Material) -> dict:
    asked, answered = defaultdict(lambda: defaultdict(float)), defaultdict(lambda: defaultdict(float))
    for question in m.questions:
        day = day_of(question.created)
        if not m.closed(day, ANSWERED_WITHIN_DAYS):
            continue
        within = question.first_reply_at is not None and question.first_reply_at < question.created + timedelta(
            days=ANSWERED_WITHIN_DAYS
        )
        for group in (0, question.group_id):
            asked[group][day] += 1
            answered[group][day] += within
    days = m.days()
    return {group: share(answered[group], asked[group], days) for group in asked} or {0: share({}, {}, days)}


def time_to_first_reply(m: Material) -> dict:
    samples = defaultdict(lambda: defaultdict(list))
    for question in m.questions:
        if question.first_reply_at is not None:
            hours = (question.first_reply_at - question.created).total_seconds() / HOUR
            for group in (0, question.group_id):
                samples[group][day_of(question.first_reply_at)].append(hours)
    days = m.days()
    return {group: median_of(values, days) for group, values in samples.items()} or {0: median_of({}, days)}


def time_to_accepted_answer(m: Material) -> dict:
    samples = defaultdict(list)
    for _, _, asked, accepted in m.accepted:
        samples[day_of(accepted)].append((accepted - asked).total_seconds() / HOUR)
    return {0: median_of(samples, m.days())}


def unanswered_48h(m: Material) -> dict:
    figures = {}
    for day in m.days():
        cutoff = day_start(day + timedelta(days=1))
        figures[day] = Figure(
            value=float(
                sum(
                    1
                    for q in m.questions
                    if q.created <= cutoff - UNANSWERED_AFTER
                    and (q.first_reply_at is None or q.first_reply_at >= cutoff)
                )
            )
        )
    return {0: figures}


def gives(m: Material) -> dict:
    weights = defaultdict(float)
    for give in m.gives:
        weights[day_of(give.created)] += give.weight
    return {0: {day: Figure(value=round(v.value, 6)) for day, v in counted(weights, m.days()).items()}}


def _acknowledged_within(m: Material, hours: int) -> dict:
    owed, acknowledged = defaultdict(float), defaultdict(float)
    for give in m.gives:
        if give.kind == "thanks":
            continue  # a thank-you answers a give: it is not owed back
        day = day_of(give.created)
        if not m.closed(day, hours // 24 + 1):
            continue
        owed[day] += give.weight
        if give.acknowledgement in ("thanked", "returned") and give.acknowledged_at - give.created <= timedelta(
            hours=hours
        ):
            acknowledged[day] += give.weight
    return {0: share(acknowledged, owed, m.days())}


def acknowledged_12h(m: Material) -> dict:
    return _acknowledged_within(m, 12)


def acknowledged_7d(m: Material) -> dict:
    return _acknowledged_within(m, 24 * 7)


def time_to_thank(m: Material) -> dict:
    samples = defaultdict(list)
    for give in m.acknowledgements:
        if give.acknowledgement == "thanked":
            samples[day_of(give.acknowledged_at)].append((give.acknowledged_at - give.created).total_seconds() / HOUR)
    return {0: median_of(samples, m.days())}


def two_way_pairs(m: Material) -> dict:
    by_day = _by_day(m.gives, lambda g: g.created)
    pairs, two_way = defaultdict(float), defaultdict(float)
    for day in m.days():
        today_pairs = {frozenset((g.giver_id, g.receiver_id)) for g in by_day.get(day, ())}
        if not today_pairs:
            continue
        window_start = day_start(day - timedelta(days=TWO_WAY_WINDOW_DAYS - 1))
        window_end = day_start(day + timedelta(days=1))
        directions = {(g.giver_id, g.receiver_id) for g in m.gives if window_start <= g.created < window_end}
        pairs[day] = len(today_pairs)
        two_way[day] = sum(1 for a, b in map(tuple, today_pairs) if (a, b) in directions and (b, a) in directions)
    return {0: share(two_way, pairs, m.days())}


def _forwarding(m: Material, gives: list, *, window: timedelta) -> list[int]:
    """Chain length of each give in `gives` (time order): 1, or one more than the longest chain
    that reached its giver within `window` before, from someone other than its receiver."""
    lengths: list[int] = []
    received: dict[int, list[int]] = defaultdict(list)  # member -> indexes of gives they received
    for index, give in enumerate(gives):
        best = 0
        for earlier in received.get(give.giver_id, ()):
            before = gives[earlier]
            if before.giver_id != give.receiver_id and give.created - before.created <= window:
                best = max(best, lengths[earlier])
        lengths.append(best + 1)
        received[give.receiver_id].append(index)
    return lengths


def pay_forward(m: Material) -> dict:
    forwarded = defaultdict(float)
    owing = [g for g in m.gives if g.kind != "thanks"]
    window = timedelta(days=PAY_FORWARD_DAYS)
    received: dict[int, list] = defaultdict(list)
    for give in owing:
        if any(b.giver_id != give.receiver_id and give.created - b.created <= window for b in received[give.giver_id]):
            forwarded[day_of(give.created)] += 1
        received[give.receiver_id].append(give)
    return {0: counted(forwarded, m.days())}


def longest_chain(m: Material) -> dict:
    owing = [g for g in m.gives if g.kind != "thanks"]
    figures = {}
    window = timedelta(days=PAY_FORWARD_DAYS)
    for day in m.days():
        start = day_start(day - timedelta(days=CHAIN_WINDOW_DAYS - 1))
        end = day_start(day + timedelta(days=1))
        in_window = [g for g in owing if start <= g.created < end]
        lengths = _forwarding(m, in_window, window=window)
        ending_today = [n for g, n in zip(in_window, lengths) if day_of(g.created) == day and n > 1]
        figures[day] = Figure(value=float(max(ending_today, default=0)))
    return {0: figures}


def own_promotion_share(m: Material) -> dict:
    posts, promotions = defaultdict(float), defaultdict(float)
    for post in m.posts:
        day = day_of(post.created)
        posts[day] += 1
        promotions[day] += post.opening and post.thread_kind == "promotion"
    return {0: share(promotions, posts, m.days())}


def weighted_down_share(m: Material) -> dict:
    all_gives, down = defaultdict(float), defaultdict(float)
    for give in m.gives:
        day = day_of(give.created)
        all_gives[day] += 1
        down[day] += give.weight < 1
    return {0: share(down, all_gives, m.days())}


def _published(kind: str):
    def published(m: Material) -> dict:
        counts = defaultdict(float)
        for page_kind, at in m.published:
            if page_kind == kind:
                counts[day_of(at)] += 1
        return {0: counted(counts, m.days())}

    return published


def members_credited(m: Material) -> dict:
    credited = defaultdict(set)
    for give in m.gives:
        if give.kind == "credit":
            credited[day_of(give.created)].add(give.receiver_id)
    return {0: distinct(credited, m.days())}


def shares(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in m.shares:
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}


def _retained(weeks: int):
    def retained(m: Material) -> dict:
        joined, active = defaultdict(float), defaultdict(float)
        for member_id, at in m.joins:
            day = day_of(at)
            opens, closes = day + timedelta(days=7 * weeks), day + timedelta(days=7 * weeks + 7)
            if closes > m.today:  # the week has not ended yet
                continue
            joined[day] += 1
            active[day] += any(opens <= seen < closes for seen in m.last_active.get(member_id, ()))
        return {0: share(active, joined, m.days())}

    return retained


def went_quiet(m: Material) -> dict:
    quiet = defaultdict(float)
    for member_id, seen in m.last_active.items():
        for index, day in enumerate(seen):
            following = seen[index + 1] if index + 1 < len(seen) else None
            silent_from = day + timedelta(days=QUIET_DAYS)
            if following is None or following > silent_from:
                quiet[silent_from] += 1
    return {0: counted(quiet, m.days())}


def accepted_answers(m: Material) -> dict:
    return _counts_by_group(m, m.accepted, lambda a: a[3], lambda a: a[1])


def accepted_introductions(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in m.introductions:
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}


def approved_recommendations(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in m.recommendations:
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}


def posts(m: Material) -> dict:
    return _counts_by_group(m, m.posts, lambda p: p.created, lambda p: p.group_id)
