"""What plans add to the metrics reports, through `metrics.registry`: the current plan's period
among the report periods, and the plan's progress (or the last review) as a section of the
dashboard and of the PDF report."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from metrics.selectors import Period

from . import selectors
from .models import Objective, Plan


def plan_period(today):
    """The current 90-day plan's days so far (rollups end yesterday)."""
    plan = selectors.current_plan(today)
    yesterday = today - timedelta(days=1)
    if plan is None or plan.start > yesterday:
        return []
    return [("plan", f"Current 90-day plan ({plan.title})", Period(plan.start, min(plan.end, yesterday), "plan"))]


@dataclass
class Summary:
    plan: Plan
    day: int
    rows: list

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status_words] = counts.get(row.status_words, 0) + 1
        return counts


def summary(plan: Plan, *, today=None) -> Summary:
    """A plan's objectives with their actual, target and status (figures without charts)."""
    today = today or timezone.localdate()
    objectives = list(Objective.objects.filter(plan=plan).select_related("programme").order_by(
        "programme__position", "position", "pk"))
    keys = {o.metric for o in objectives if o.metric}
    figures = selectors.PlanFigures(plan.start, plan.end, keys, beta_group_id=plan.beta_group_id,
                                    last_day=today - timedelta(days=1))
    participation = None
    if keys & set(selectors.BETA_METRICS) and not plan.is_closed:  # a review holds its final actuals
        participation = selectors.beta_participation(plan, figures.last_day)
    rows = selectors.objective_rows(plan, objectives, figures, participation, charts=False)
    return Summary(plan, plan.day_number(today), rows)


def _plans_to_show(today):
    """The current plan and the last closed one, in one query."""
    current = closed = None
    for plan in Plan.objects.filter(Q(status=Plan.Status.ACTIVE, start__lte=today) | Q(status=Plan.Status.CLOSED)
                                    ).order_by("status", "-start")[:10]:
        if plan.status == Plan.Status.ACTIVE and current is None:
            current = plan
        elif plan.status == Plan.Status.CLOSED and closed is None:
            closed = plan
    return current, closed


def dashboard_section(period, member):
    if not selectors.can_view_plans(member):
        return None
    today = timezone.localdate()
    current, closed = _plans_to_show(today)
    if current is None and closed is None:
        return None
    return "plans/_report_section.html", {
        "current": summary(current, today=today) if current else None,
        "closed": summary(closed, today=today) if closed else None,
        "links": True,
    }


def report_section(period):
    today = timezone.localdate()
    current, closed = _plans_to_show(today)
    if current is None and closed is None:
        return None
    return "plans/_report_section.html", {
        "current": summary(current, today=today) if current else None,
        "closed": summary(closed, today=today) if closed else None,
        "links": False,
    }
