"""Each metric's figure for each day, computed from what the owning apps' selectors return.

`Material` reads what the day figures of a range need, on first use: per-day aggregates from the
owning apps' selectors (GROUP BY day in the database), and rows only where a window follows members
from give to give (pay-forward chains; two-way pairs and pay-forward outside PostgreSQL). The
functions below turn that into `Figure`s. A day's figure depends only on the data, never on the range
asked for, so a rebuild and incremental runs write the same rows.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from content import selectors as content_selectors
from forums import selectors as forum_selectors
from members import selectors as member_selectors

from . import membersets
from .models import Visit

HOUR = 3600.0
ACTIVATION_DAYS = 14
ANSWERED_WITHIN_DAYS = 7
UNANSWERED_AFTER = timedelta(hours=48)
TWO_WAY_WINDOW_DAYS = 90
PAY_FORWARD_DAYS = 30
CHAIN_WINDOW_DAYS = 90
QUIET_DAYS = 60
LONGEST_CHAIN_CAP = 12  # chains this long or longer count as this long
RETENTION_WEEKS = (1, 4, 12)


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
    """What the day figures for [first, last] need, read through the apps' selectors on first use
    (so that an incremental run of a few days reads a few days, plus the look-back its windows
    need). Counts come from the database already grouped by day; rows are loaded only where a
    window follows members from give to give. `today` bounds what has happened: windows that have
    not closed yet are left out of shares."""

    def __init__(self, *, first: date, last: date, today: date, include_staff: bool):
        self.first, self.last, self.today = first, last, today
        self.exclude = set() if include_staff else member_selectors.staff_ids()
        self.start, self.end = day_start(first), day_start(last + timedelta(days=1))
        self.horizon = day_start(today + timedelta(days=1))  # nothing after today counts
        self._cache: dict = {}

    def _once(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def days(self) -> list[date]:
        return days_between(self.first, self.last)

    def closed(self, day: date, window_days: int) -> bool:
        """Whether a window of `window_days` that opens on `day` has closed by the end of yesterday."""
        return day + timedelta(days=window_days) <= self.today

    # --- members ---
    @property
    def joins(self) -> list[tuple[int, datetime]]:
        """(member id, joined at) of the verified members who joined during the range."""
        return self._once("joins", lambda: member_selectors.verified_joins(
            min(self.end, self.horizon), start=self.start, exclude=self.exclude))

    def first_contribution_of(self, members=None) -> dict[int, datetime]:
        """Each member's first post, reply or give (only `members`', if given)."""
        first = {}
        for member_id, at in [*member_selectors.first_gives(exclude=self.exclude, members=members).items(),
                              *forum_selectors.first_posts(exclude=self.exclude, members=members).items()]:
            known = first.get(member_id)
            first[member_id] = at if known is None or at < known else known
        return first

    def wide(self) -> bool:
        """A range so long (a rebuild) that reading everyone beats listing the members concerned."""
        return (self.last - self.first).days > 60

    def contributors_between(self, first: date, last: date, members=None) -> dict[date, set[int]]:
        """Members who posted or gave each day of [first, last] (only `members`, if given)."""

        def load():
            start, end = day_start(first), day_start(last + timedelta(days=1))
            by_day: dict[date, set[int]] = defaultdict(set)
            for day, member_id in forum_selectors.authors_by_day(start, end, exclude=self.exclude, members=members):
                by_day[day].add(member_id)
            for day, member_id in member_selectors.givers_by_day(start, end, exclude=self.exclude, members=members):
                by_day[day].add(member_id)
            return by_day

        return load() if members is not None else self._once(("contributors", first, last), load)

    def active_between(self, first: date, last: date, members=None) -> dict[date, set[int]]:
        """Members active (visited, posted or gave) each day of [first, last] (only `members`, if given)."""

        def load():
            by_day: dict[date, set[int]] = defaultdict(set)
            for day, ids in self.contributors_between(first, last, members).items():
                by_day[day] |= ids
            visits = Visit.objects.filter(day__gte=first, day__lte=last)
            if members is not None:
                visits = visits.filter(member_id__in=list(members))
            for member_id, day in visits.values_list("member_id", "day"):
                if member_id not in self.exclude:
                    by_day[day].add(member_id)
            return by_day

        return load() if members is not None else self._once(("active", first, last), load)

    @property
    def activity(self) -> dict[date, set[int]]:
        """Active members by day from QUIET_DAYS before the range (went quiet looks back that far)."""
        return self.active_between(self.first - timedelta(days=QUIET_DAYS), self.last)

    # --- forums ---
    @property
    def posts_by_day(self) -> list[tuple]:
        return self._once("posts", lambda: forum_selectors.posts_by_day(self.start, self.end, exclude=self.exclude))

    @property
    def questions(self):
        return self._once("questions", lambda: forum_selectors.questions_before(self.horizon, exclude=self.exclude))

    @property
    def accepted(self):
        return self._once("accepted", lambda: forum_selectors.accepted_answers_between(
            self.start, self.end, exclude=self.exclude))


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
        day: Figure(value=float(len(members.get(day, ()))), samples=membersets.encode(members.get(day, ())))
        for day in days
    }


def _grouped(counts: dict[int, dict[date, float]], days: list[date]) -> dict:
    return {group: counted(values, days) for group, values in counts.items()} or {0: counted({}, days)}


def _add(counts, day, group, n) -> None:
    counts[0][day] += n
    counts[group][day] += n


def _nested():
    return defaultdict(lambda: defaultdict(float))


# The day functions: each returns {group id: {day: Figure}} (group 0 is the whole community).


def new_members(m: Material) -> dict:
    joins = defaultdict(float)
    for _, joined in m.joins:
        joins[day_of(joined)] += 1
    return {0: counted(joins, m.days())}


def members_total(m: Material) -> dict:
    joined_days = sorted(day_of(joined) for _, joined in m.joins)
    figures, index = {}, 0
    total = member_selectors.verified_members_before(m.start, exclude=m.exclude)
    for day in m.days():
        while index < len(joined_days) and joined_days[index] <= day:
            index, total = index + 1, total + 1
        figures[day] = Figure(value=float(total))
    return {0: figures}


def _joined_between(m: Material) -> list[tuple[int, datetime, date]]:
    return [(pk, at, day_of(at)) for pk, at in m.joins if m.first <= day_of(at) <= m.last]


def activation_14d(m: Material) -> dict:
    joined, contributed = defaultdict(float), defaultdict(float)
    cohort = [(pk, at, day) for pk, at, day in _joined_between(m) if m.closed(day, ACTIVATION_DAYS)]
    first_contribution = m.first_contribution_of(None if m.wide() else {pk for pk, _, _ in cohort}) if cohort else {}
    for member_id, at, day in cohort:
        joined[day] += 1
        first = first_contribution.get(member_id)
        if first is not None and first < at + timedelta(days=ACTIVATION_DAYS):
            contributed[day] += 1
    return {0: share(contributed, joined, m.days())}


def days_to_first_contribution(m: Material) -> dict:
    if m.wide():
        firsts = m.first_contribution_of()
    else:  # those who contributed in the range, and of them the ones who never had before
        contributed = set().union(*m.contributors_between(m.first, m.last).values())
        firsts = m.first_contribution_of(contributed) if contributed else {}
    firsts = {pk: at for pk, at in firsts.items() if m.first <= day_of(at) <= m.last}
    joined = dict(member_selectors.verified_joins(m.horizon, exclude=m.exclude,
                                                  members=None if m.wide() else set(firsts))) if firsts else {}
    samples = defaultdict(list)
    for member_id, first in firsts.items():
        if member_id in joined:
            samples[day_of(first)].append(max(0.0, (first - joined[member_id]).total_seconds() / 86400))
    return {0: median_of(samples, m.days())}


def active_members(m: Material) -> dict:
    return {0: distinct(m.activity, m.days())}


def contributors(m: Material) -> dict:
    return {0: distinct(m.contributors_between(m.first - timedelta(days=QUIET_DAYS), m.last), m.days())}


def _posts_counted(m: Material, pick) -> dict:
    counts = _nested()
    for day, group, posts_, opening, _ in m.posts_by_day:
        _add(counts, day, group, pick(posts_, opening))
    return _grouped(counts, m.days())


def threads(m: Material) -> dict:
    return _posts_counted(m, lambda posts_, opening: opening)


def replies(m: Material) -> dict:
    return _posts_counted(m, lambda posts_, opening: posts_ - opening)


def posts(m: Material) -> dict:
    return _posts_counted(m, lambda posts_, opening: posts_)


def reactions(m: Material) -> dict:
    counts = _nested()
    for day, group, n in forum_selectors.reactions_by_day(m.start, m.end, exclude=m.exclude):
        _add(counts, day, group, n)
    return _grouped(counts, m.days())


def questions(m: Material) -> dict:
    counts = _nested()
    for question in m.questions:
        day = day_of(question.created)
        if m.first <= day <= m.last:
            _add(counts, day, question.group_id, 1)
    return _grouped(counts, m.days())


def questions_answered(m: Material) -> dict:
    asked, answered = _nested(), _nested()
    for question in m.questions:
        day = day_of(question.created)
        if not (m.first <= day <= m.last) or not m.closed(day, ANSWERED_WITHIN_DAYS):
            continue
        within = question.first_reply_at is not None and question.first_reply_at < question.created + timedelta(
            days=ANSWERED_WITHIN_DAYS
        )
        _add(asked, day, question.group_id, 1)
        _add(answered, day, question.group_id, within)
    days = m.days()
    return {group: share(answered[group], asked[group], days) for group in asked} or {0: share({}, {}, days)}


def time_to_first_reply(m: Material) -> dict:
    samples = defaultdict(lambda: defaultdict(list))
    for question in m.questions:
        if question.first_reply_at is not None and m.first <= day_of(question.first_reply_at) <= m.last:
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
    """Open on day d: asked at or before the end of d − 48 h, first reply (if any) at or after the
    end of d. Each question is open on a run of days: added at its first, removed after its last."""
    starts, stops = defaultdict(int), defaultdict(int)
    for q in m.questions:
        ready = q.created + UNANSWERED_AFTER  # open from the first day whose end is at or after this
        first = day_of(ready)
        if day_start(first) == ready:
            first -= timedelta(days=1)
        if q.first_reply_at is None:
            starts[first] += 1
        elif day_of(q.first_reply_at) > first:  # open up to the day before the one the reply fell in
            starts[first] += 1
            stops[day_of(q.first_reply_at)] += 1
    figures, open_ = {}, 0
    boundaries = sorted({*starts, *stops})
    # Everything before the range, then the range day by day.
    for boundary in boundaries:
        if boundary >= m.first:
            break
        open_ += starts.get(boundary, 0) - stops.get(boundary, 0)
    for day in m.days():
        open_ += starts.get(day, 0) - stops.get(day, 0)
        figures[day] = Figure(value=float(open_))
    return {0: figures}


def gives(m: Material) -> dict:
    by_day = member_selectors.gives_by_day(m.start, m.end, exclude=m.exclude)
    return {0: {day: Figure(value=round(float(by_day[day][0]) if day in by_day else 0.0, 6)) for day in m.days()}}


def _acknowledged_within(m: Material, hours: int) -> dict:
    owed, acknowledged = {}, {}
    for day, (weight, thanked) in member_selectors.acknowledged_by_day(
        m.start, m.end, hours=hours, exclude=m.exclude
    ).items():
        if m.closed(day, hours // 24 + 1):
            owed[day], acknowledged[day] = weight, thanked
    return {0: share(acknowledged, owed, m.days())}


def acknowledged_12h(m: Material) -> dict:
    return _acknowledged_within(m, 12)


def acknowledged_7d(m: Material) -> dict:
    return _acknowledged_within(m, 24 * 7)


def time_to_thank(m: Material) -> dict:
    samples = defaultdict(list)
    for day, delay in member_selectors.thank_delays(m.start, m.end, exclude=m.exclude):
        samples[day].append(delay.total_seconds() / HOUR)
    return {0: median_of(samples, m.days())}


def two_way_pairs(m: Material) -> dict:
    counted_ = member_selectors.two_way_pairs_by_day(m.start, m.end, window_days=TWO_WAY_WINDOW_DAYS,
                                                       exclude=m.exclude)
    if counted_ is None:  # the portable way: one pass over the gives, the last day of each direction
        counted_ = {}
        last_gave: dict[tuple[int, int], date] = {}
        links = member_selectors.ledger_links(day_start(m.first - timedelta(days=TWO_WAY_WINDOW_DAYS)), m.end,
                                              exclude=m.exclude)
        by_day = defaultdict(list)
        for giver, receiver, created in links:
            by_day[day_of(created)].append((giver, receiver))
        for day in sorted(by_day):
            for pair in by_day[day]:
                last_gave[pair] = day
            if day < m.first:
                continue
            oldest = day - timedelta(days=TWO_WAY_WINDOW_DAYS - 1)
            today_pairs = {(min(a, b), max(a, b)) for a, b in by_day[day]}
            both = sum(1 for a, b in today_pairs if last_gave.get((a, b), date.min) >= oldest
                       and last_gave.get((b, a), date.min) >= oldest)
            counted_[day] = (len(today_pairs), both)
    pairs = {day: n for day, (n, _) in counted_.items()}
    two_way = {day: n for day, (_, n) in counted_.items()}
    return {0: share(two_way, pairs, m.days())}


def _chain_links(m: Material, back_days: int) -> list[tuple]:
    return m._once(("links", back_days), lambda: member_selectors.ledger_links(
        day_start(m.first - timedelta(days=back_days)), m.end, exclude=m.exclude, owing=True))


def pay_forward(m: Material) -> dict:
    counted_ = member_selectors.paid_forward_by_day(m.start, m.end, window_days=PAY_FORWARD_DAYS, exclude=m.exclude)
    if counted_ is None:  # the portable way: each member's gives received in the last 30 days
        counted_ = defaultdict(float)
        window = timedelta(days=PAY_FORWARD_DAYS)
        received: dict[int, deque] = defaultdict(deque)
        for giver, receiver, created in _chain_links(m, PAY_FORWARD_DAYS):
            recent = received[giver]
            while recent and created - recent[0][0] > window:
                recent.popleft()
            if created >= m.start and any(other != receiver for _, other in recent):
                counted_[day_of(created)] += 1
            received[receiver].append((created, giver))
    return {0: counted(counted_, m.days())}


def longest_chain(m: Material) -> dict:
    """The longest chain ending each day among the gives of the CHAIN_WINDOW_DAYS days up to it.

    One pass in ledger order, carrying for each give the latest start of a chain of each length
    ending with it (a chain's gives follow each other in time, so "within the window" is "started
    on or after the window's first day"). A give's window is that of its own day; a later give's
    window starts no earlier, so starts before it are dropped. Chains longer than LONGEST_CHAIN_CAP
    count as LONGEST_CHAIN_CAP (the figure reads "or more" there), which bounds the work per give."""
    # Times as POSIX seconds: millions of comparisons of aware datetimes cost more than the rest.
    window = timedelta(days=PAY_FORWARD_DAYS).total_seconds()
    received: dict[int, deque] = defaultdict(deque)  # member -> (created, giver, starts) received
    longest: dict[date, int] = defaultdict(int)
    day, next_day, oldest, counting = None, float("-inf"), 0.0, False
    cap = LONGEST_CHAIN_CAP - 1
    for giver, receiver, created_at in _chain_links(m, CHAIN_WINDOW_DAYS):
        created = created_at.timestamp()
        if created >= next_day:  # a new day: its window and whether it is reported
            day = day_of(created_at)
            next_day = day_start(day + timedelta(days=1)).timestamp()
            oldest = day_start(day - timedelta(days=CHAIN_WINDOW_DAYS - 1)).timestamp()
            counting = day >= m.first
        recent = received[giver]
        while recent and created - recent[0][0] > window:
            recent.popleft()
        best: list = []
        for _, other, starts in recent:
            if other == receiver or not starts:
                continue
            if not best:
                best = starts
                continue
            if len(starts) > len(best):
                best, starts = starts, best
            best = [a if a >= b else b for a, b in zip(best, starts)] + best[len(starts):]
        kept = [created]
        for start in best[:cap]:
            if start < oldest:
                break
            kept.append(start)
        if counting and len(kept) > 1 and len(kept) > longest[day]:
            longest[day] = len(kept)
        received[receiver].append((created, giver, kept))
    return {0: counted(longest, m.days())}


def own_promotion_share(m: Material) -> dict:
    posts_, promotions = defaultdict(float), defaultdict(float)
    for day, _, n, _, promoted in m.posts_by_day:
        posts_[day] += n
        promotions[day] += promoted
    return {0: share(promotions, posts_, m.days())}


def weighted_down_share(m: Material) -> dict:
    all_gives, down = {}, {}
    for day, (_, n, weighted_down) in member_selectors.gives_by_day(m.start, m.end, exclude=m.exclude).items():
        all_gives[day], down[day] = n, weighted_down
    return {0: share(down, all_gives, m.days())}


def _published(kind: str):
    def published(m: Material) -> dict:
        counts = defaultdict(float)
        for page_kind, at in content_selectors.published_between(m.start, m.end):
            if page_kind == kind:
                counts[day_of(at)] += 1
        return {0: counted(counts, m.days())}

    return published


def members_credited(m: Material) -> dict:
    credited = defaultdict(set)
    for day, member_id in member_selectors.credited_by_day(m.start, m.end, exclude=m.exclude):
        credited[day].add(member_id)
    return {0: distinct(credited, m.days())}


def shares(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in content_selectors.shares_between(m.start, m.end, exclude=m.exclude):
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}


def _retained(weeks: int):
    def retained(m: Material) -> dict:
        joined, active = defaultdict(float), defaultdict(float)
        cohort = [(pk, day) for pk, _, day in _joined_between(m) if day + timedelta(days=7 * weeks + 7) <= m.today]
        if cohort:
            first, last = min(d for _, d in cohort), max(d for _, d in cohort)
            seen_on = m.active_between(first + timedelta(days=7 * weeks), last + timedelta(days=7 * weeks + 6),
                                       members={pk for pk, _ in cohort})
        for member_id, day in cohort:
            opens = day + timedelta(days=7 * weeks)
            joined[day] += 1
            active[day] += any(member_id in seen_on.get(opens + timedelta(days=n), ()) for n in range(7))
        return {0: share(active, joined, m.days())}

    return retained


def went_quiet(m: Material) -> dict:
    """Counted on day D: members active on D − 60 and on none of the 60 days after it (up to D)."""
    seen = m.activity
    last_seen: dict[int, date] = {}
    quiet = defaultdict(float)
    silence = timedelta(days=QUIET_DAYS)
    for day in sorted(seen):
        for member_id in seen[day]:
            before = last_seen.get(member_id)
            if before is not None and day > before + silence:
                quiet[before + silence] += 1
            last_seen[member_id] = day
    for before in last_seen.values():  # nothing after it up to the range's last day
        quiet[before + silence] += 1
    return {0: counted(quiet, m.days())}


def accepted_answers(m: Material) -> dict:
    counts = _nested()
    for _, group, _, at in m.accepted:
        _add(counts, day_of(at), group, 1)
    return _grouped(counts, m.days())


def accepted_introductions(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in member_selectors.accepted_introductions_between(m.start, m.end, exclude=m.exclude):
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}


def approved_recommendations(m: Material) -> dict:
    counts = defaultdict(float)
    for _, at in member_selectors.approved_recommendations_between(m.start, m.end, exclude=m.exclude):
        counts[day_of(at)] += 1
    return {0: counted(counts, m.days())}
