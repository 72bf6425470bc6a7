"""Reads of the plans app: who may read and change plans, each objective's live actual (from the
metrics rollups, through metrics' selectors), its projection and status, suggested targets, the
outreach lists and their conversion. Plans read metrics, members and forums; nothing imports plans."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.roles import Role
from forums import selectors as forum_selectors
from members import selectors as member_selectors
from metrics import catalogue
from metrics import selectors as metric_selectors
from metrics.catalogue import BY_KEY, DOUBLING_DAYS

from .models import PLAN_DAYS, CheckIn, Initiative, Objective, OutreachContact, Plan, Programme

# Six-month doubling: ×2^(90 ÷ 182.6) ≈ 1.41 every 90 days (seed 004, secret #2).
GROWTH_FACTOR = 2 ** (PLAN_DAYS / DOUBLING_DAYS)
OWNER_ROLES = [Role.MANAGER, Role.MODERATOR, Role.ADMINISTRATOR]
PREPARE_DAY = 80
COME_BACK_DAYS = 14
AT_RISK_SHARE = 0.8  # a projection reaching 80 % of the way to the target is "at risk", less is "behind"
BETA_CACHE_SECONDS = 26 * 3600  # a day's figures, kept until the key's day has passed


def can_view_plans(member) -> bool:
    return member.is_authenticated and member.has_perm("plans.view_plan")


def can_edit_plans(member) -> bool:
    return member.is_authenticated and member.has_perm("plans.change_plan")


def check_view_plans_permission(member) -> None:
    if not can_view_plans(member):
        raise PermissionDenied("90-day plans are for community managers, moderators, executive sponsors and "
                               "administrators.")


def check_edit_plans_permission(member) -> None:
    if not can_edit_plans(member):
        raise PermissionDenied("Only community managers and administrators change 90-day plans.")


def can_check_in(member, plan: Plan) -> bool:
    """Managers write a plan's check-ins, and so do the readers who own one of its objectives."""
    if can_edit_plans(member):
        return True
    return can_view_plans(member) and plan.objectives.filter(owner=member).exists()


def check_check_in_permission(member, plan: Plan) -> None:
    if not can_check_in(member, plan):
        raise PermissionDenied("Check-ins are written by community managers and the owners of the plan's objectives.")


def possible_owners():
    return member_selectors.members_with_roles(OWNER_ROLES)


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Objective metrics: the catalogue, and the beta group's own ---------------------------------

@dataclass(frozen=True)
class BetaMetric:
    key: str
    name: str
    definition: str
    unit: str
    pace: bool  # accumulates over the plan (projected at its pace) rather than a level
    higher_is_better: bool = True


BETA_METRICS = {
    metric.key: metric
    for metric in [
        BetaMetric("beta:active_members", "Beta group: active members",
                   "Different members who posted in the plan's beta group during the plan.", "count", True),
        BetaMetric("beta:posts", "Beta group: posts", "Visible posts in the plan's beta group during the plan.",
                   "count", True),
        BetaMetric("beta:feedback_answered", "Beta group: feedback threads answered",
                   "Threads started in the beta group during the plan that someone other than their starter "
                   "replied to.", "count", True),
        BetaMetric("beta:contributed_share", "Beta group: invited members who contributed",
                   "Of the beta group's members (and those invited), the share who posted in it during the plan.",
                   "percent", False),
    ]
}


def metric_choices() -> list[tuple[str, str]]:
    catalogue_choices = [(m.key, f"{m.name} ({m.area}, {m.indicator})") for m in catalogue.METRICS]
    return catalogue_choices + [(m.key, m.name) for m in BETA_METRICS.values()]


def metric_name(objective: Objective) -> str:
    if not objective.metric:
        return objective.manual_name
    described = BY_KEY.get(objective.metric) or BETA_METRICS.get(objective.metric)
    return described.name if described else objective.metric


def metric_unit(key: str) -> str:
    if key in BY_KEY:
        return BY_KEY[key].unit
    if key in BETA_METRICS:
        return BETA_METRICS[key].unit
    return "count"


def higher_is_better(key: str) -> bool:
    if key in BY_KEY:
        return BY_KEY[key].higher_is_better
    return True


def projection_mode(key: str) -> str:
    """pace: accumulates over the plan (counts, different members), projected at the pace so far;
    trend: a level at the period's end (members in all), its change so far continued; level: a
    share, a median or a ratio, whose figure so far is its best estimate for the whole plan."""
    if not key:
        return "pace"
    if key in BETA_METRICS:
        return "pace" if BETA_METRICS[key].pace else "level"
    aggregate = BY_KEY[key].aggregate
    if aggregate in ("sum", "distinct"):
        return "pace"
    if aggregate == "last":
        return "trend"
    return "level"


PROJECTION_WORDS = {
    "pace": "a count that grows over the plan: the actual so far × 90 ÷ days with figures",
    "trend": "a level at the end of the plan: the baseline + the change so far × 90 ÷ days with figures",
    "level": "a share, median or ratio: the figure for the plan so far is the projection",
}


# --- Projection and status ------------------------------------------------------------------------

@dataclass
class Progress:
    actual: float | None
    projected: float | None
    share: float | None  # of the way from the base to the target, 0–1 for the progress bar
    status: str  # on-track, at-risk, behind, not-started, met, missed
    mode: str


STATUS_WORDS = {
    "on-track": "on track",
    "at-risk": "at risk",
    "behind": "behind",
    "not-started": "no figures yet",
    "met": "met",
    "missed": "missed",
}


OBJECTIVE_STATUSES = list(STATUS_WORDS)


def _meets(value: float, target: float, higher: bool) -> bool:
    return value >= target if higher else value <= target


def progress(*, actual: float | None, target: float, baseline: float | None, mode: str, days: int,
             higher: bool = True) -> Progress:
    """Project `actual` after `days` days with figures to the plan's 90th day, and say whether the
    projection reaches the target (on track), gets 80 % of the way there (at risk) or less (behind).
    The way is measured from 0 for a pace, from the baseline otherwise."""
    if actual is None or days <= 0:
        return Progress(actual, None, None, "not-started", mode)
    base = 0.0 if mode == "pace" else (baseline or 0.0)
    if mode == "pace":
        projected = actual * PLAN_DAYS / days
    elif mode == "trend":
        projected = base + (actual - base) * PLAN_DAYS / days
    else:
        projected = actual
    gap = target - base
    if gap == 0:
        share = 1.0 if _meets(actual, target, higher) else 0.0
        reach = 1.0 if _meets(projected, target, higher) else 0.0
    else:
        share = (actual - base) / gap
        reach = (projected - base) / gap
    status = "on-track" if reach >= 1 else "at-risk" if reach >= AT_RISK_SHARE else "behind"
    return Progress(actual, projected, max(0.0, min(1.0, share)), status, mode)


def final_status(objective: Objective) -> str:
    return "met" if objective.met else "missed"


# --- Figures from the rollups -----------------------------------------------------------------------

class PlanFigures:
    """The catalogue figures a plan's objectives need, for the plan (up to yesterday) and for the 90
    days before it, from one load of rollup rows (one query, plus the value model's two)."""

    def __init__(self, plan_start: date, plan_end: date, keys, *, beta_group_id: int | None = None,
                 last_day: date | None = None):
        self.start, self.end = plan_start, plan_end
        self.last_day = min(plan_end, last_day or yesterday())
        self.keys = [key for key in keys if key in BY_KEY]
        self.value_model = metric_selectors.value_assumptions()
        self.beta_group_id = beta_group_id
        wanted = {catalogue.rollup_key(m) for m in metric_selectors.needed(self.keys) if m.aggregate != "derived"}
        if beta_group_id:
            wanted.add("posts")
        baseline_start = plan_start - timedelta(days=PLAN_DAYS)
        derived = any(BY_KEY[key].aggregate == "derived" for key in self.keys)
        # Only derived figures look back before the baseline's 90 days; only beta posts need group rows.
        groups = ["posts"] if beta_group_id else []
        if "beta_contributions" in self.keys:
            groups = ["posts"]
        self.rows = metric_selectors.Rows(
            first=catalogue.earliest_day_needed(baseline_start) if derived else baseline_start - timedelta(days=1),
            last=max(self.last_day, plan_start - timedelta(days=1)), include_staff=False, metrics=wanted,
            groups=groups,
        ) if self.keys or beta_group_id else None

    @property
    def days(self) -> int:
        """Days of the plan with figures (rollups end yesterday)."""
        return max(0, (self.last_day - self.start).days + 1)

    def figure(self, key: str, start: date, end: date, group: int = 0) -> float | None:
        if self.rows is None or end < start:
            return None
        return metric_selectors.figures_for(self.rows, start, end, self.value_model, keys=[key], group=group)[key]

    def actual(self, key: str) -> float | None:
        return self.figure(key, self.start, self.last_day) if self.days else None

    def baseline(self, key: str) -> float | None:
        before = self.start - timedelta(days=1)
        return self.figure(key, before - timedelta(days=PLAN_DAYS - 1), before)

    def burn_up(self, key: str, group: int = 0) -> list[tuple[date, float | None]]:
        """The figure from the plan's start to the end of each week (and to the last day)."""
        points, day = [], self.start + timedelta(days=6)
        ends = []
        while day < self.last_day:
            ends.append(day)
            day += timedelta(days=7)
        if self.days:
            ends.append(self.last_day)
        for end in ends:
            points.append((end, self.figure(key, self.start, end, group)))
        return points


def catalogue_baseline(key: str, start: date) -> float | None:
    """The previous 90 days' figure of a catalogue metric, for a plan starting on `start`."""
    if key not in BY_KEY:
        return None
    return PlanFigures(start, Plan.end_for(start), [key], last_day=start - timedelta(days=1)).baseline(key)


# --- Suggested acquisition targets ----------------------------------------------------------------

@dataclass
class Suggestion:
    key: str
    name: str
    baseline: float | None
    curve: float | None  # on the six-month doubling curve
    last_pace: float | None  # at the last 90 days' growth
    words: str


def suggested_targets(start: date) -> list[Suggestion]:
    """Acquisition targets for a plan starting on `start`: members in all ×1.41 (six-month
    doubling), or at the growth of the 90 days before; new members to match. One rollup query."""
    figures = PlanFigures(start, Plan.end_for(start), ["members_total", "new_members"],
                          last_day=start - timedelta(days=1))
    before = start - timedelta(days=1)
    members_now = figures.figure("members_total", before, before)
    earlier = before - timedelta(days=PLAN_DAYS)
    members_then = figures.figure("members_total", earlier, earlier)
    new_before = figures.baseline("new_members")
    growth = members_now / members_then if members_now and members_then else None
    return [
        Suggestion("members_total", "Members in all", members_now,
                   round(members_now * GROWTH_FACTOR) if members_now else None,
                   round(members_now * growth) if growth else None,
                   f"Members at the start × {GROWTH_FACTOR:.2f} (doubling every six months), or × the last 90 days' "
                   f"growth ({growth:.2f})." if growth else "Members at the start × 1.41 (doubling every six months)."),
        Suggestion("new_members", "New members", new_before,
                   round(members_now * (GROWTH_FACTOR - 1)) if members_now else None,
                   round(members_now * (growth - 1)) if growth else None,
                   "The members the curve adds in 90 days: members at the start × 0.41; or at the last 90 days' "
                   "growth."),
    ]


def raised_target(objective: Objective) -> float:
    """A target carried into the next plan: counts and acquisition figures rise along the growth
    curve (×1.41); shares, times and ratios keep their target (a share cannot outgrow 100 %)."""
    key = objective.metric
    grows = not key or metric_unit(key) == "count" or (key in BY_KEY and BY_KEY[key].area == "acquisition"
                                                        and BY_KEY[key].unit == "count")
    if grows and higher_is_better(key):
        return round(objective.target * GROWTH_FACTOR, 2)
    return objective.target


# --- Plans, their pages ----------------------------------------------------------------------------

def plans_for_list():
    return Plan.objects.select_related("owner", "previous").prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.only("pk", "plan_id", "met", "final_actual"))
    )


def access_plan(plan_id: int) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("owner", "beta_group", "previous"), pk=plan_id
    )


def current_plan(today: date | None = None) -> Plan | None:
    today = today or timezone.localdate()
    return (
        Plan.objects.filter(status=Plan.Status.ACTIVE, start__lte=today).select_related("owner").order_by("-start").first()
    )


def last_closed_plan() -> Plan | None:
    return Plan.objects.filter(status=Plan.Status.CLOSED).order_by("-end").first()


@dataclass
class ObjectiveRow:
    objective: Objective
    name: str
    definition: str
    unit: str
    progress: Progress
    chart: dict | None
    points: list = field(default_factory=list)  # (day, actual, target line)

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.progress.status]

    @property
    def chart_id(self) -> str:
        return f"burn-up-{self.objective.pk}"


@dataclass
class Conversion:
    key: str
    title: str
    contacts: int
    came_back: int
    waiting: int  # still inside their 14 days, not back yet

    @property
    def rate(self) -> float | None:
        settled = self.contacts - self.waiting
        return self.came_back / settled if settled else None


@dataclass
class PlanPage:
    plan: Plan
    today: date
    day: int
    days_with_figures: int
    programmes: list  # (programme, [ObjectiveRow], [Initiative])
    check_ins: list
    conversions: list[Conversion]
    beta: object | None
    needs: list

    @property
    def days_left(self) -> int:
        return PLAN_DAYS - self.day

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, its words, how many objectives), in the order of STATUS_WORDS."""
        counts: dict[str, int] = {}
        for _programme, rows, _initiatives in self.programmes:
            for row in rows:
                counts[row.progress.status] = counts.get(row.progress.status, 0) + 1
        return [(status, words, counts[status]) for status, words in STATUS_WORDS.items() if status in counts]


def beta_participation(plan: Plan, last_day: date, *, fresh: bool = False):
    """The beta group's participation from the plan's first day to the end of `last_day` (the
    rollups' last day, so that it agrees with the other actuals), or None without a beta group or
    figures. Counting the posts scans the group's posts of the plan (100 ms and more on a large
    community) and can change only with the day, so it is kept for the day; members and invitees
    are read as they are now. `fresh`: counted anew (closing a plan freezes it)."""
    if not plan.beta_group_id or last_day < plan.start:
        return None

    def count():
        return forum_selectors.group_posting(plan.beta_group_id, aware(plan.start), aware(last_day + timedelta(days=1)))

    key = f"plans:beta-posting:{plan.beta_group_id}:{plan.start}:{last_day}"
    posting = count() if fresh else cache.get_or_set(key, count, BETA_CACHE_SECONDS)
    return forum_selectors.group_participation(plan.beta_group_id, posting)


def _beta_figure(key: str, participation) -> float | None:
    if participation is None:
        return None
    return {
        "beta:active_members": participation.active_members,
        "beta:posts": participation.posts,
        "beta:feedback_answered": participation.feedback_answered,
        "beta:contributed_share": participation.contributed_share,
    }[key]


def objective_rows(plan: Plan, objectives: list[Objective], figures: PlanFigures, participation,
                   *, charts: bool = True) -> list[ObjectiveRow]:
    from . import charts as plan_charts

    rows = []
    for objective in objectives:
        key = objective.metric
        mode = projection_mode(key)
        higher = higher_is_better(key)
        series = []
        if plan.is_closed and objective.final_actual is not None:
            actual = objective.final_actual
        elif not key:
            actual = objective.manual_actual
        elif key in BETA_METRICS:
            actual = _beta_figure(key, participation)
            if key == "beta:posts" and plan.beta_group_id:
                series = figures.burn_up("posts", plan.beta_group_id)
        else:
            actual = figures.actual(key)
            series = figures.burn_up(key)
        days = PLAN_DAYS if plan.is_closed else (figures.days if key else max(1, plan.day_number(timezone.localdate())))
        result = progress(actual=actual, target=objective.target, baseline=objective.baseline, mode=mode, days=days,
                          higher=higher)
        if plan.is_closed:
            result.status = final_status(objective)
        base = 0.0 if mode == "pace" else (objective.baseline or 0.0)
        points = [(day, value, plan_charts.target_line(plan, day, base, objective.target)) for day, value in series]
        name = metric_name(objective)
        described = BY_KEY.get(key) or BETA_METRICS.get(key)
        definition = described.definition if described else objective.manual_definition
        unit = metric_unit(key)
        chart = plan_charts.burn_up_chart(name, unit, points, plan, base, objective.target) if charts and points else None
        rows.append(ObjectiveRow(objective, name, definition, unit, result, chart, points))
    return rows


def conversions(plan: Plan, *, now: datetime | None = None) -> list[Conversion]:
    """Outreach conversion per list: a contacted member came back when they posted or gave within 14
    days after the message. Three queries (contacts, posts, gives)."""
    from .outreach import LISTS

    now = now or timezone.now()
    contacts = list(OutreachContact.objects.filter(plan=plan).values_list("member_id", "list_key", "sent_at"))
    by_list = {key: Conversion(key, outreach_list.title, 0, 0, 0) for key, outreach_list in LISTS.items()}
    if not contacts:
        return list(by_list.values())
    since = min(sent for _m, _k, sent in contacts)
    member_ids = {member for member, _k, _s in contacts}
    posts = forum_selectors.posts_after(member_ids, since)
    gives = member_selectors.contributions_after(member_ids, since)
    window = timedelta(days=COME_BACK_DAYS)
    for member, key, sent in contacts:
        conversion = by_list.setdefault(key, Conversion(key, key, 0, 0, 0))
        conversion.contacts += 1
        times = posts.get(member, []) + gives.get(member, [])
        if any(sent < at <= sent + window for at in times):
            conversion.came_back += 1
        elif now < sent + window:
            conversion.waiting += 1
    return list(by_list.values())


def plan_page(plan: Plan, *, today: date | None = None, charts: bool = True, fresh: bool = False) -> PlanPage:
    """Everything the plan page shows, in a constant number of queries. `fresh`: nothing from the
    cache (closing the plan)."""
    today = today or timezone.localdate()
    programmes = list(Programme.objects.filter(plan=plan).prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.select_related("owner").order_by("position", "pk")),
        Prefetch("initiatives", queryset=Initiative.objects.select_related("owner", "thread__group", "page")),
    ))
    objectives = [objective for programme in programmes for objective in programme.objectives.all()]
    keys = {objective.metric for objective in objectives if objective.metric}
    figures = PlanFigures(plan.start, plan.end, keys, beta_group_id=plan.beta_group_id,
                          last_day=min(yesterday(), today - timedelta(days=1)))
    participation = beta_participation(plan, figures.last_day, fresh=fresh)
    sections = []
    for programme in programmes:
        rows = objective_rows(plan, list(programme.objectives.all()), figures, participation, charts=charts)
        sections.append((programme, rows, list(programme.initiatives.all())))
    check_ins = list(CheckIn.objects.filter(plan=plan).select_related("author"))
    return PlanPage(plan, today, plan.day_number(today), figures.days, sections, check_ins, conversions(plan),
                    participation, list(plan.business_needs.all()))


def contacts_of(plan: Plan):
    return OutreachContact.objects.filter(plan=plan).select_related("member", "sender")


def contacted_ids(plan: Plan, member_ids) -> dict[int, datetime]:
    return dict(
        OutreachContact.objects.filter(plan=plan, member_id__in=list(member_ids)).order_by("sent_at").values_list(
            "member_id", "sent_at"
        )
    )
