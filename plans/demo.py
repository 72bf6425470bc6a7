"""The demo's plans: one closed with its review, and the next one in its 60th day with objectives
on track, at risk and behind, a beta group, initiatives, check-ins and outreach already sent, some
members back within 14 days. Written through the plans' services."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forums.models import Group, Post, Thread
from members.models import Member, Skill
from metrics.models import BusinessNeed

from . import selectors, services
from .models import CheckIn, Objective, Plan, Programme

CURRENT_DAY = 60


def _programme(plan, kind):
    return plan.programmes.get(kind=kind)


def _target_for(objective_metric, plan, status: str, *, start, today) -> float:
    """A target that gives the wanted status from the figures the demo has."""
    figures = selectors.PlanFigures(plan.start, plan.end, [objective_metric], last_day=today - timedelta(days=1))
    actual = figures.actual(objective_metric) or 1.0
    projected = actual * 90 / max(1, figures.days)
    reach = {"on-track": 0.85, "at-risk": 1 / 0.9, "behind": 1 / 0.5}[status]
    return round(projected * reach)


@transaction.atomic
def seed_plans(*, today=None) -> int:
    if Plan.objects.exists():
        return 0
    today = today or timezone.localdate()
    manager = Member.objects.get(username="manager")
    moderator = Member.objects.get(username="moderator")
    beta = Group.objects.filter(name="Product beta group").first()
    skills = list(Skill.objects.filter(status=Skill.Status.APPROVED).order_by("name")[:3])
    needs = list(BusinessNeed.objects.all()[:3])
    current_start = today - timedelta(days=CURRENT_DAY - 1)
    previous_start = current_start - timedelta(days=90)

    first = services.create_plan(actor=manager, title="Launch quarter: the first answers", start=previous_start,
                                 business_needs=needs, beta_group=beta, beta_skills=skills)
    acquisition = _programme(first, Programme.Kind.ACQUISITION)
    content = _programme(first, Programme.Kind.CONTENT)
    outreach = _programme(first, Programme.Kind.OUTREACH)
    services.add_objective(actor=manager, plan=first, programme=acquisition, metric="new_members", target=40,
                           owner=manager)
    services.add_objective(actor=manager, plan=first, programme=content, metric="replies", target=300,
                           owner=moderator)
    services.add_objective(actor=manager, plan=first, programme=outreach, manual_name="Welcome calls",
                           manual_definition="Newcomers the team called in their first week.", target=20,
                           owner=manager)
    Objective.objects.filter(plan=first, manual_name="Welcome calls").update(manual_actual=24)
    thread = Thread.objects.filter(group=beta).order_by("created").first() if beta else None
    services.add_initiative(actor=manager, programme=content, title="Weekly AMA in the Product group", owner=moderator,
                            day=previous_start + timedelta(days=7), repeats=True, thread=thread)
    services.add_initiative(actor=manager, programme=content, title="Digest every second Friday", owner=manager,
                            day=previous_start + timedelta(days=11), repeats=True)
    services.set_initiative_done(actor=manager, initiative=content.initiatives.first(), done=True)
    first = services.close_plan(actor=manager, plan=first, today=current_start,
                        lessons="Answers came fast when moderators took turns on the AMA; newcomers who got a "
                                "reply in their first day stayed. Replies fell short: plan fewer threads, more "
                                "follow-up.")

    Plan.objects.filter(pk=first.pk).update(closed_at=selectors.aware(current_start))  # closed on its day 91
    plan = services.start_next_plan(actor=manager, plan=first, title="Spring: every question answered in a day")
    acquisition = _programme(plan, Programme.Kind.ACQUISITION)
    content = _programme(plan, Programme.Kind.CONTENT)
    beta_programme = _programme(plan, Programme.Kind.BETA)
    for key, status, programme, owner in [
        ("new_members", "on-track", acquisition, manager),
        ("threads", "at-risk", content, moderator),
        ("gives", "behind", content, manager),
    ]:
        services.add_objective(actor=manager, plan=plan, programme=programme, metric=key, owner=owner,
                               target=_target_for(key, plan, status, start=current_start, today=today))
    if beta:
        services.add_objective(actor=manager, plan=plan, programme=beta_programme, metric="beta:posts", target=30,
                               owner=moderator)
    services.add_initiative(actor=manager, programme=beta_programme, title="Invite ten power users to the beta group",
                            owner=manager, day=current_start + timedelta(days=20))
    for weeks, text in [(7, "Questions wait less: the rota works. Newcomers' first posts still sit too long on "
                            "weekends."),
                        (8, "Beta group busy after the release notes thread; gives are down, try a thank-you "
                            "week.")]:
        check_in = services.record_check_in(actor=manager, plan=plan, text=text)
        CheckIn.objects.filter(pk=check_in.pk).update(created=timezone.now() - timedelta(days=CURRENT_DAY - 7 * weeks))

    _seed_outreach(manager, plan)
    return 2


def _seed_outreach(manager, plan) -> None:
    """Messages sent three weeks ago: members who posted in the two weeks after came back."""
    now = timezone.now()
    sent = now - timedelta(days=21)
    from members.models import Give
    from members.selectors import outreach_candidates

    candidates = outreach_candidates().exclude(username="member")
    back_ids = set(Post.objects.filter(created__gt=sent, created__lte=sent + timedelta(days=14)).values_list(
        "author_id", flat=True)) | set(Give.objects.filter(created__gt=sent, created__lte=sent + timedelta(days=14)
                                                           ).values_list("giver_id", flat=True))
    came_back = list(candidates.filter(pk__in=back_ids).order_by("pk")[:4])
    active_since = set(Post.objects.filter(created__gt=sent).values_list("author_id", flat=True)) | set(
        Give.objects.filter(created__gt=sent).values_list("giver_id", flat=True))
    stayed_away = list(candidates.exclude(pk__in=active_since).order_by("-pk")[:4])
    services.send_outreach(actor=manager, plan=plan, list_key="quiet", members=came_back[:2] + stayed_away[:2],
                           message="We missed your answers on the integration threads — the new API questions are "
                                   "right up your street. Would you take a look?", now=sent)
    services.send_outreach(actor=manager, plan=plan, list_key="newcomers", members=came_back[2:] + stayed_away[2:],
                           message="Welcome! I saw you work on onboarding at your company: the Welcome group has a "
                                   "thread on first-week rituals you would enrich.", now=sent)
