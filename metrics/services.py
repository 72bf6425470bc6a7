"""Writes of the metrics app: visits, business needs defaults and report subscriptions. Rollups are
written by `metrics.rollups`."""

from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import BusinessNeed, Visit

VISIT_CACHE_SECONDS = 26 * 3600  # a little over a day: the key expires after the day it names


def visit_cache_key(member_id: int, day: date) -> str:
    return f"metrics:visit:{member_id}:{day.isoformat()}"


def record_visit(*, member, day: date | None = None) -> None:
    """One row per member per day; a second call the same day changes nothing."""
    day = day or timezone.localdate()
    Visit.objects.bulk_create([Visit(member_id=member.pk, day=day)], ignore_conflicts=True)


def visit_on_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in counts as today's visit, and tells the middleware it need not write again."""
    day = timezone.localdate()
    record_visit(member=user, day=day)
    cache.set(visit_cache_key(user.pk, day), 1, timeout=VISIT_CACHE_SECONDS)


# What the demo and a fresh site start with; managers change them in /cms/ (Snippets).
DEFAULT_NEEDS = [
    (
        "Reduce support cost",
        "Members answer each other's questions, so fewer reach the support desk.",
        ["questions", "questions_answered", "time_to_first_reply", "time_to_accepted_answer", "unanswered_48h",
         "accepted_answers"],
    ),
    (
        "Faster product feedback",
        "Beta groups and discussions bring product feedback early.",
        ["threads", "replies", "replies_per_thread", "reactions", "beta_contributions", "own_promotion_share"],
    ),
    (
        "Customer retention",
        "Members who are helped and thanked stay.",
        ["active_members", "daily_active", "weekly_active", "stickiness", "activation_14d",
         "days_to_first_contribution", "retained_1w", "retained_4w", "retained_12w", "went_quiet"],
    ),
    (
        "Grow the community",
        "New members join and the community doubles about every six months.",
        ["new_members", "members_total", "growth_vs_doubling", "doubling_time", "contributors"],
    ),
    (
        "A culture of giving back",
        "Favours are seen, acknowledged and paid forward.",
        ["gives", "gives_per_active_member", "acknowledged_12h", "acknowledged_7d", "time_to_thank",
         "two_way_pairs", "pay_forward", "longest_chain", "give_ask_ratio", "weighted_down_share",
         "accepted_introductions", "approved_recommendations"],
    ),
    (
        "Content members value",
        "Curated content drawn from members' insight.",
        ["articles_published", "digests_published", "guest_posts_published", "members_credited", "shares"],
    ),
]


@transaction.atomic
def ensure_default_needs() -> int:
    """Create the default business needs when none exist (a manager's own list is never touched)."""
    if BusinessNeed.objects.exists():
        return 0
    BusinessNeed.objects.bulk_create(
        BusinessNeed(name=name, description=text, metrics=keys, position=n)
        for n, (name, text, keys) in enumerate(DEFAULT_NEEDS)
    )
    return len(DEFAULT_NEEDS)


DEMO_BETA_GROUPS = ["Product beta group"]


@transaction.atomic
def seed_visits(*, today: date | None = None) -> int:
    """The demo's history of visits: each member drops by on some days after joining, regulars more
    than the rest, fewer in August. Only when no visit older than a week exists."""
    import random
    from datetime import timedelta

    from members import selectors as member_selectors

    today = today or timezone.localdate()
    if Visit.objects.filter(day__lt=today - timedelta(days=7)).exists():
        return 0
    rng = random.Random("visits")
    visits = []
    for member_id, joined in member_selectors.verified_joins(timezone.now()):
        habit = rng.choice([0.02, 0.05, 0.1, 0.25, 0.4])
        day = timezone.localtime(joined).date()
        while day < today:
            chance = habit * (0.5 if day.month == 8 else 1)
            if rng.random() < chance:
                visits.append(Visit(member_id=member_id, day=day))
            day += timedelta(days=1)
    Visit.objects.bulk_create(visits, batch_size=2000, ignore_conflicts=True)
    return len(visits)


@transaction.atomic
def ensure_value_model(*, beta_group_names=DEMO_BETA_GROUPS) -> None:
    """Create the value model with its default assumptions, and the named beta groups, when a site has
    none yet (a manager's settings are never touched)."""
    from forums import selectors as forum_selectors

    from .models import ValueModel

    if ValueModel.objects.exists():
        return
    model = ValueModel.load()
    model.beta_groups.set([pk for pk, name in forum_selectors.group_names().items() if name in beta_group_names])


def last_complete_period(frequency: str, today: date):
    """The calendar month or quarter that ended before `today`."""
    from datetime import timedelta

    from .selectors import Period

    if frequency == "quarterly":
        this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = this_quarter - timedelta(days=1)
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
        return Period(start, end, "custom")
    end = date(today.year, today.month, 1) - timedelta(days=1)
    return Period(date(end.year, end.month, 1), end, "custom")


def send_scheduled_reports(*, today: date | None = None) -> int:
    """Mail each subscriber the PDF report for the month or quarter just ended, once per period,
    with the headline figures in the body; returns how many were sent. A subscriber who no longer
    reads reports is skipped."""
    from django.core.mail import EmailMessage

    from . import report, selectors
    from .models import ReportSubscription

    today = today or timezone.localdate()
    sent = 0
    rendered: dict[tuple, tuple[dict, bytes]] = {}  # one PDF per period and staff choice, however many readers
    for subscription in ReportSubscription.objects.select_related("reader"):
        period = last_complete_period(subscription.frequency, today)
        if subscription.last_period_end == period.end or not selectors.can_view_reports(subscription.reader):
            continue
        key = (period.start, period.end, subscription.include_staff)
        if key not in rendered:
            context = report.context(period, include_staff=subscription.include_staff)
            rendered[key] = context, report.render_pdf(
                period, include_staff=subscription.include_staff, report_context=context
            )
        context, pdf = rendered[key]
        message = EmailMessage(
            subject=f"Community value report, {period.label}",
            body=report.summary_text(context),
            to=[subscription.reader.email],
        )
        message.attach(f"community-report-{period.start}-{period.end}.pdf", pdf, "application/pdf")
        message.send()
        with transaction.atomic():
            ReportSubscription.objects.filter(pk=subscription.pk).update(last_period_end=period.end)
        sent += 1
    return sent
