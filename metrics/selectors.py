"""Reads of the metrics app: who may read reports, periods, and every figure, read from the daily
rollups only (one query for the rows of a report)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, JSONField, Q, Value, When
from django.utils import timezone

from . import catalogue, charts, membersets, registry
from .catalogue import BY_KEY, METRICS, Metric
from .errors import MetricsError
from .models import BusinessNeed, Rollup, ValueModel

MAX_PERIOD_DAYS = 3 * 366


def check_view_reports_permission(member) -> None:
    """Reports are for executive sponsors, community managers and administrators (`view_reports`)."""
    if not member.is_authenticated or not member.has_perm("members.view_reports"):
        raise PermissionDenied("Reports are for executive sponsors, community managers and administrators.")


def can_view_reports(member) -> bool:
    return member.is_authenticated and member.has_perm("members.view_reports")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    name: str = "custom"

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.length - 1), end, "previous")

    @property
    def label(self) -> str:
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"


PERIODS = {"last30": "Last 30 days", "last90": "Last 90 days", "quarter": "This quarter", "custom": "Custom dates"}


def period_from(params, *, today: date | None = None) -> Period:
    """The period a report asks for: last 30 days (default), last 90, this quarter, or custom dates.
    Periods end yesterday, the last whole day the rollups hold."""
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    name = params.get("period") or "last30"
    if name == "last30":
        return Period(yesterday - timedelta(days=29), yesterday, name)
    if name == "last90":
        return Period(yesterday - timedelta(days=89), yesterday, name)
    if name == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(min(start, yesterday), yesterday, name)
    if name == "custom":
        try:
            start, end = date.fromisoformat(params.get("start", "")), date.fromisoformat(params.get("end", ""))
        except ValueError:
            raise MetricsError("Give custom dates as YYYY-MM-DD in “start” and “end”.", field="start") from None
        if start > end:
            raise MetricsError("The period's start comes after its end.", field="start")
        if end > yesterday:
            raise MetricsError("A period ends yesterday at the latest: today is not over yet.", field="end")
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise MetricsError("A period spans three years at most.", field="start")
        return Period(start, end, name)
    for offered, _label, period in registry.provided_periods(today):
        if offered == name:
            return period
    raise MetricsError(f"“{name}” is not a period here: choose {', '.join(period_choices(today))}.", field="period")


def period_choices(today: date | None = None) -> dict[str, str]:
    """The periods a report offers: the fixed ones and those other apps provide (the current plan)."""
    today = today or timezone.localdate()
    offered = {name: label for name, label, _period in registry.provided_periods(today)}
    return {**{k: v for k, v in PERIODS.items() if k != "custom"}, **offered, "custom": PERIODS["custom"]}


def staff_from(params) -> bool:
    return params.get("staff") in ("1", "true", "on")


@dataclass(frozen=True)
class ValueAssumptions:
    currency: str
    prices_by_outcome: dict[str, Decimal]
    beta_group_ids: tuple[int, ...]

    def prices(self) -> list[tuple[str, Decimal]]:
        return list(self.prices_by_outcome.items())

    def labelled(self) -> list[tuple[str, Decimal]]:
        return [(BY_KEY[key].name, price) for key, price in self.prices()]


def value_assumptions() -> ValueAssumptions:
    """The value model (two queries: the setting and its beta groups)."""
    model = ValueModel.load()
    return ValueAssumptions(
        currency=model.currency,
        prices_by_outcome={
            "accepted_answers": model.accepted_answer,
            "accepted_introductions": model.accepted_introduction,
            "approved_recommendations": model.approved_recommendation,
            "beta_contributions": model.beta_contribution,
        },
        beta_group_ids=tuple(model.beta_groups.values_list("pk", flat=True)),
    )


def _median(values):
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class DayRow(NamedTuple):
    metric: str
    day: date
    group_id: int
    value: float | None
    numerator: float
    denominator: float
    samples: list


class Rows:
    """Rollup rows loaded once for a report (as plain tuples: a year of rows is thousands): by
    metric and group, by day. `groups`: True for every metric's groups, or the metrics whose groups
    are wanted."""

    def __init__(self, *, first: date, last: date, include_staff: bool, metrics=None, groups=False,
                 samples_from: date | None = None):
        rows = Rollup.objects.filter(staff_included=include_staff, day__gte=first, day__lte=last)
        if metrics is not None:
            rows = rows.filter(metric__in=list(metrics))
        if groups is not True:
            rows = rows.filter(Q(group_id=0) | Q(metric__in=list(groups or ())))
        fields = list(DayRow._fields)
        if samples_from is not None and samples_from > first:
            # The look-back before a report's periods serves values only (members before the period):
            # its samples (times, member bitmaps) would be read for nothing.
            rows = rows.annotate(day_samples=Case(
                When(day__lt=samples_from, then=Value([], output_field=JSONField())),
                default=F("samples"), output_field=JSONField()))
            fields[fields.index("samples")] = "day_samples"
        self.by_metric: dict[tuple[str, int], dict[date, DayRow]] = defaultdict(dict)
        for row in rows.order_by().values_list(*fields):
            row = DayRow(*row)
            self.by_metric[(row.metric, row.group_id)][row.day] = row

    def between(self, key: str, start: date, end: date, group: int = 0) -> list[DayRow]:
        days = self.by_metric.get((key, group), {})
        return [days[day] for day in sorted(days) if start <= day <= end]

    def groups_of(self, key: str) -> list[int]:
        return sorted(group for metric, group in self.by_metric if metric == key and group)


def aggregate(metric: Metric, rows: list[Rollup], *, days: int) -> float | None:
    """A period's figure from its daily rows, with the metric's own aggregate."""
    how = metric.aggregate
    if how == "sum":
        return float(sum(row.value or 0 for row in rows))
    if how == "mean":
        return sum(row.value or 0 for row in rows) / days if days else None
    if how == "ratio":
        numerator, denominator = sum(row.numerator for row in rows), sum(row.denominator for row in rows)
        return numerator / denominator if denominator else None
    if how == "median":
        return _median([sample for row in rows for sample in row.samples])
    if how == "distinct":
        return float(membersets.union_size(row.samples for row in rows))
    if how == "last":
        return rows[-1].value if rows else None
    if how == "max":
        return max((row.value or 0 for row in rows), default=None)
    raise ValueError(f"{metric.key}: no aggregate {how}")


class PeriodReader:
    """What a derived metric may read about its period."""

    def __init__(self, rows: Rows, start: date, end: date, value_model: ValueAssumptions, group: int = 0):
        self.rows, self.start, self.end, self.value_model, self.group = rows, start, end, value_model, group
        self.length = (end - start).days + 1

    def value_on(self, key: str, day: date) -> float | None:
        row = self.rows.by_metric.get((key, 0), {}).get(day)
        return row.value if row else None

    def members(self, key: str, start: date, end: date) -> int:
        """How many different members the days' rows of a distinct metric hold."""
        return membersets.union_size(row.samples for row in self.rows.between(key, start, end))

    def group_sum(self, key: str, group: int) -> float:
        return sum(row.value or 0 for row in self.rows.between(key, self.start, self.end, group))


def needed(keys) -> list[Metric]:
    """The metrics `keys` need, their dependencies first, in catalogue order."""
    wanted, stack = set(), list(keys)
    while stack:
        key = stack.pop()
        if key not in wanted:
            wanted.add(key)
            stack.extend(BY_KEY[key].uses)
    return [metric for metric in METRICS if metric.key in wanted]


def figures_for(rows: Rows, start: date, end: date, value_model: ValueAssumptions, *, keys=None, group: int = 0):
    """{metric key: figure} for [start, end], every figure computed from the loaded rows."""
    reader = PeriodReader(rows, start, end, value_model, group)
    figures: dict[str, float | None] = {}
    for metric in needed(keys) if keys is not None else METRICS:
        if metric.aggregate == "derived":
            figures[metric.key] = metric.derive(figures, reader) if group == 0 else None
        else:
            source = catalogue.rollup_key(metric)
            figures[metric.key] = aggregate(metric, rows.between(source, start, end, group), days=reader.length)
    return figures


def change(current: float | None, previous: float | None) -> float | None:
    """The change from the previous period, as a fraction (None when there is nothing to compare)."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


@dataclass
class Figure:
    metric: Metric
    value: float | None
    previous: float | None
    change: float | None
    spark: list[float]

    @property
    def improved(self) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        return (self.change > 0) == self.metric.higher_is_better


def _spark(metric: Metric, rows: Rows, period: Period, value_model: ValueAssumptions) -> list[float]:
    if metric.key == "value_total":
        prices = dict(value_model.prices())
        days = [period.start + timedelta(days=n) for n in range(period.length)]
        series = [0.0] * len(days)
        for outcome in ("accepted_answers", "accepted_introductions", "approved_recommendations"):
            for row in rows.between(outcome, period.start, period.end):
                series[(row.day - period.start).days] += (row.value or 0) * float(prices[outcome])
        return series
    if metric.aggregate == "derived":
        return []
    source = catalogue.rollup_key(metric)
    return [row.value if row.value is not None else 0.0 for row in rows.between(source, period.start, period.end)]


@dataclass
class Dashboard:
    period: Period
    include_staff: bool
    value_model: ValueAssumptions
    figures: dict[str, Figure]
    needs: list[tuple[BusinessNeed, list[Figure]]]
    unassigned: list[Figure]
    has_data: bool
    growth: list[dict]

    @property
    def headlines(self) -> list[Figure]:
        return [self.figures[key] for key in catalogue.HEADLINES]

    def outcome_values(self) -> list[tuple[Figure, Decimal, float | None]]:
        prices = dict(self.value_model.prices())
        rows = []
        for key in catalogue.VALUE_OUTCOMES:
            figure = self.figures[key]
            rows.append((figure, prices[key], None if figure.value is None else figure.value * float(prices[key])))
        return rows


def dashboard(period: Period, *, include_staff: bool) -> Dashboard:
    """Every metric for the period beside the previous one, grouped under the business needs.
    Four queries: the value model, its beta groups, the needs and the rollup rows."""
    value_model = value_assumptions()
    previous = period.previous
    rows = Rows(first=catalogue.earliest_day_needed(previous.start), last=period.end, include_staff=include_staff,
                groups=["posts"] if value_model.beta_group_ids else [], samples_from=previous.start)
    current = figures_for(rows, period.start, period.end, value_model)
    before = figures_for(rows, previous.start, previous.end, value_model)
    figures = {
        metric.key: Figure(
            metric,
            current[metric.key],
            before[metric.key],
            change(current[metric.key], before[metric.key]),
            _spark(metric, rows, period, value_model),
        )
        for metric in METRICS
    }
    needs, assigned = [], set()
    for need in BusinessNeed.objects.all():
        keys = [key for key in need.metrics if key in figures]
        assigned.update(keys)
        needs.append((need, [figures[key] for key in keys]))
    unassigned = [figures[m.key] for m in METRICS if m.key not in assigned]
    has_data = any(rows.by_metric.values())
    growth = charts.growth_points(rows, period)
    return Dashboard(period, include_staff, value_model, figures, needs, unassigned, has_data, growth)


def needs_of(metric: Metric) -> list[BusinessNeed]:
    return [need for need in BusinessNeed.objects.all() if metric.key in need.metrics]


@dataclass
class SeriesPoint:
    start: date
    end: date
    value: float | None
    previous: float | None


def buckets(period: Period, granularity: str) -> list[tuple[date, date]]:
    step = 7 if granularity == "week" else 1
    spans, start = [], period.start
    while start <= period.end:
        end = min(start + timedelta(days=step - 1), period.end)
        spans.append((start, end))
        start = end + timedelta(days=1)
    return spans


def series(metric: Metric, period: Period, *, include_staff: bool, granularity: str = "day",
           rows: Rows | None = None, value_model: ValueAssumptions | None = None) -> list[SeriesPoint]:
    """The metric day by day (or week by week, from the period start) with the previous period's
    figure for the same position."""
    if granularity not in ("day", "week"):
        raise MetricsError("Granularity is “day” or “week”.", field="granularity")
    value_model = value_model or value_assumptions()
    previous = period.previous
    if rows is None:
        keys = {catalogue.rollup_key(m) for m in needed([metric.key]) if m.aggregate != "derived"}
        rows = Rows(first=catalogue.earliest_day_needed(previous.start), last=period.end,
                    include_staff=include_staff, metrics=keys, groups=metric.key == "beta_contributions",
                    samples_from=previous.start)
    points = []
    shift = timedelta(days=period.length)
    for start, end in buckets(period, granularity):
        value = figures_for(rows, start, end, value_model, keys=[metric.key])[metric.key]
        before = figures_for(rows, start - shift, end - shift, value_model, keys=[metric.key])[metric.key]
        points.append(SeriesPoint(start, end, value, before))
    return points


@dataclass
class MetricPage:
    metric: Metric
    period: Period
    include_staff: bool
    figure: Figure
    needs: list[BusinessNeed]
    points: list[SeriesPoint]
    granularity: str
    breakdown: list[tuple[str, float | None, float | None]]
    value_model: ValueAssumptions


def metric_page(key: str, period: Period, *, include_staff: bool, granularity: str = "day") -> MetricPage:
    """One metric: its figure, series, previous period and breakdown by forum group. Five queries
    (four with no breakdown): the value model and its groups, the needs, the rows, the group names."""
    from forums import selectors as forum_selectors

    metric = access_metric(key)
    value_model = value_assumptions()
    previous = period.previous
    keys = {catalogue.rollup_key(m) for m in needed([metric.key]) if m.aggregate != "derived"}
    rows = Rows(first=catalogue.earliest_day_needed(previous.start), last=period.end, include_staff=include_staff,
                metrics=keys, groups=metric.by_group or metric.key == "beta_contributions",
                samples_from=previous.start)
    current = figures_for(rows, period.start, period.end, value_model, keys=[key])[key]
    before = figures_for(rows, previous.start, previous.end, value_model, keys=[key])[key]
    figure = Figure(metric, current, before, change(current, before), _spark(metric, rows, period, value_model))
    breakdown = []
    if metric.by_group:
        names = forum_selectors.group_names()
        for group in rows.groups_of(metric.key):
            now = figures_for(rows, period.start, period.end, value_model, keys=[key], group=group)[key]
            then = figures_for(rows, previous.start, previous.end, value_model, keys=[key], group=group)[key]
            if now or then:
                breakdown.append((names.get(group, f"Group {group}"), now, then))
        breakdown.sort(key=lambda item: -(item[1] or 0))
    points = series(metric, period, include_staff=include_staff, granularity=granularity, rows=rows,
                    value_model=value_model)
    return MetricPage(metric, period, include_staff, figure, needs_of(metric), points, granularity, breakdown,
                      value_model)


def access_metric(key: str) -> Metric:
    from django.http import Http404

    try:
        return BY_KEY[key]
    except KeyError:
        raise Http404("No metric has that key.") from None


def cohorts(period: Period, *, include_staff: bool, rows: Rows | None = None) -> list[dict]:
    """Weekly cohorts by join week (weeks from the period start): members who joined and the share
    still active after 1, 4 and 12 weeks (None until the week has passed)."""
    keys = ["new_members", "retained_1w", "retained_4w", "retained_12w"]
    rows = rows or Rows(first=period.start, last=period.end, include_staff=include_staff, metrics=keys)
    table = []
    for start, end in buckets(period, "week"):
        joined = sum(row.value or 0 for row in rows.between("new_members", start, end))
        shares = {}
        for key in keys[1:]:
            part = rows.between(key, start, end)
            denominator = sum(row.denominator for row in part)
            shares[key] = sum(row.numerator for row in part) / denominator if denominator else None
        table.append({"start": start, "end": end, "joined": joined, **shares})
    return table


def last_visit_day(member) -> date | None:
    """The last day the member was seen on the site (registered with members.mailing)."""
    from .models import Visit

    return Visit.objects.filter(member=member).order_by("-day").values_list("day", flat=True).first()


def visits_of_outer_member(start: date, end: date | None = None):
    """The outer member's visits on the days of [start, end) (end open when None), for EXISTS and its
    unions (the plans app's outreach lists)."""
    from django.db.models import OuterRef

    from .models import Visit

    visits = Visit.objects.filter(member_id=OuterRef("pk"), day__gte=start)
    return visits.filter(day__lt=end) if end is not None else visits


def visited_between(start: date, end: date | None = None):
    """The outer member visited on a day in [start, end)."""
    from django.db.models import Exists

    return Exists(visits_of_outer_member(start, end))
