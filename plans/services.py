"""Every write of the plans app: each in one transaction, permission checked, and audited through
members' audit service (who did what, when)."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members import mailing
from members import services as member_services
from members.models import AuditEntry
from members.scoring import is_formula
from members.services.audit import describe_member, record_audit_entry
from metrics.catalogue import BY_KEY

from . import selectors
from .errors import FormulaOutreach, PlanError
from .models import PLAN_DAYS, CheckIn, Initiative, Objective, OutreachContact, Plan, Programme
from .outreach import LISTS

# A personal note that reads whole in the member's notifications and in the mail about it (a
# notification holds 300 characters, the sender's name included).
OUTREACH_MAX = 260
MAX_RECIPIENTS = 50

DEFAULT_PROGRAMMES = [Programme.Kind.ACQUISITION, Programme.Kind.BETA, Programme.Kind.CONTENT, Programme.Kind.OUTREACH]


def _audit(actor, action, plan: Plan, **details) -> None:
    record_audit_entry(actor=actor, action=action, target=f"Plan “{plan.title}” ({plan.start} – {plan.end})",
                       details={"plan": plan.pk, **details})


def _check_open(plan: Plan) -> None:
    if plan.is_closed:
        raise PlanError("This plan is closed: its review is frozen. Start the next 90 days to change course.")


def _check_owner(owner) -> None:
    from members.selectors import role_of

    if owner is None or not owner.is_active or role_of(owner) not in selectors.OWNER_ROLES:
        raise PlanError("An objective's owner is a community manager, a moderator or an administrator.", field="owner")


@transaction.atomic
def create_plan(*, actor, title: str, start: date, business_needs=(), beta_group=None, beta_skills=(),
                previous: Plan | None = None) -> Plan:
    """A 90-day plan from `start` (its 90th day is start + 89) with the four programmes of the seed."""
    selectors.check_edit_plans_permission(actor)
    title = (title or "").strip()
    if not title:
        raise PlanError("Give the plan a title: what are these 90 days for?", field="title")
    if len(title) > 120:
        raise PlanError("Keep the title under 120 characters.", field="title")
    if start is None:
        raise PlanError("Give the plan's first day.", field="start")
    end = Plan.end_for(start)
    overlapping = Plan.objects.filter(status=Plan.Status.ACTIVE, start__lte=end, end__gte=start)
    if previous is not None:
        overlapping = overlapping.exclude(pk=previous.pk)
    if overlapping.exists():
        raise PlanError("Another running plan covers some of these days: close it or start after its last day.",
                        field="start")
    plan = Plan.objects.create(title=title, start=start, end=end, owner=actor, previous=previous,
                               beta_group=beta_group)
    plan.business_needs.set(list(business_needs))
    plan.beta_skills.set(list(beta_skills))
    Programme.objects.bulk_create(
        Programme(plan=plan, kind=kind, name=kind.label, position=n) for n, kind in enumerate(DEFAULT_PROGRAMMES)
    )
    _audit(actor, AuditEntry.Action.PLAN_CREATED, plan, previous=previous.pk if previous else None)
    return plan


@transaction.atomic
def add_programme(*, actor, plan: Plan, name: str) -> Programme:
    selectors.check_edit_plans_permission(actor)
    _check_open(plan)
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise PlanError("Name the programme in 80 characters or fewer.", field="name")
    if plan.programmes.filter(name__iexact=name).exists():
        raise PlanError("This plan already has a programme of that name.", field="name")
    programme = Programme.objects.create(plan=plan, kind=Programme.Kind.CUSTOM, name=name,
                                         position=plan.programmes.count())
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, plan, added_programme=name)
    return programme


def _number(value, field: str, *, required: bool) -> float | None:
    if value in (None, ""):
        if required:
            raise PlanError("Give a number.", field=field)
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PlanError("Give a number (e.g. 120 or 0.75).", field=field) from None
    if number != number or abs(number) > 1e12:  # NaN, or beyond any community
        raise PlanError("Give a number a community can reach.", field=field)
    return number


@transaction.atomic
def add_objective(*, actor, plan: Plan, programme: Programme, target, owner, due: date | None = None,
                  metric: str = "", manual_name: str = "", manual_definition: str = "", baseline=None,
                  carried_from: Objective | None = None) -> Objective:
    """A target on a catalogue metric (or a beta-group metric, or a manual count with its
    definition). Without a baseline, it is the metric's figure for the 90 days before the plan."""
    selectors.check_edit_plans_permission(actor)
    _check_open(plan)
    if programme.plan_id != plan.pk:
        raise PlanError("That programme belongs to another plan.", field="programme")
    metric = (metric or "").strip()
    manual_name, manual_definition = (manual_name or "").strip(), (manual_definition or "").strip()
    if metric:
        if metric not in BY_KEY and metric not in selectors.BETA_METRICS:
            raise PlanError(f"“{metric}” is not a metric of the catalogue.", field="metric")
        if metric in selectors.BETA_METRICS and not plan.beta_group_id:
            raise PlanError("Mark a forum group as this plan's beta group first.", field="metric")
    elif not manual_name or not manual_definition:
        raise PlanError("Choose a metric, or name a manual count and say what it counts.", field="manual_name")
    _check_owner(owner)
    due = due or plan.end
    if not plan.start <= due <= plan.end:
        raise PlanError("The due date falls within the plan's 90 days.", field="due")
    target = _number(target, "target", required=True)
    baseline = _number(baseline, "baseline", required=False)
    if baseline is None and metric in BY_KEY:
        baseline = selectors.catalogue_baseline(metric, plan.start)
    objective = Objective.objects.create(
        plan=plan, programme=programme, metric=metric, manual_name=manual_name[:120],
        manual_definition=manual_definition[:500], target=target, baseline=baseline, owner=owner, due=due,
        carried_from=carried_from, position=programme.objectives.count(),
    )
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, plan, added_objective=objective.pk, metric=metric or manual_name,
           target=target)
    return objective


@transaction.atomic
def update_objective(*, actor, objective: Objective, target=None, baseline=None, manual_actual=None,
                     owner=None) -> Objective:
    selectors.check_edit_plans_permission(actor)
    _check_open(objective.plan)
    changes = {}
    if target not in (None, ""):
        changes["target"] = _number(target, "target", required=True)
    if baseline not in (None, ""):
        changes["baseline"] = _number(baseline, "baseline", required=True)
    if manual_actual not in (None, ""):
        if objective.metric:
            raise PlanError("The actual of a catalogue metric comes from the figures.", field="manual_actual")
        changes["manual_actual"] = _number(manual_actual, "manual_actual", required=True)
    if owner is not None:
        _check_owner(owner)
        changes["owner"] = owner
    for name, value in changes.items():
        setattr(objective, name, value)
    if changes:
        objective.save(update_fields=list(changes))
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, objective.plan, objective=objective.pk,
           changed={k: (v.pk if hasattr(v, "pk") else v) for k, v in changes.items()})
    return objective


@transaction.atomic
def add_initiative(*, actor, programme: Programme, title: str, owner, day: date | None, repeats: bool = False,
                   thread=None, page=None) -> Initiative:
    selectors.check_edit_plans_permission(actor)
    plan = programme.plan
    _check_open(plan)
    title = (title or "").strip()
    if not title or len(title) > 160:
        raise PlanError("Say what the initiative is, in 160 characters or fewer.", field="title")
    _check_owner(owner)
    day = day or plan.start
    if not plan.start <= day <= plan.end:
        raise PlanError("The initiative's date falls within the plan's 90 days.", field="date")
    initiative = Initiative.objects.create(programme=programme, title=title, owner=owner, date=day, repeats=repeats,
                                           thread=thread, page=page)
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, plan, added_initiative=initiative.pk)
    return initiative


@transaction.atomic
def set_initiative_done(*, actor, initiative: Initiative, done: bool) -> Initiative:
    selectors.check_edit_plans_permission(actor)
    _check_open(initiative.programme.plan)
    initiative.done = done
    initiative.save(update_fields=["done"])
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, initiative.programme.plan, initiative=initiative.pk, done=done)
    return initiative


@transaction.atomic
def record_check_in(*, actor, plan: Plan, text: str) -> CheckIn:
    """A weekly check-in note: who, when, what. Managers write them, and so do the moderators who
    own one of the plan's objectives."""
    selectors.check_check_in_permission(actor, plan)
    _check_open(plan)
    text = (text or "").strip()
    if not text:
        raise PlanError("Write what happened this week and what comes next.", field="text")
    if len(text) > 3000:
        raise PlanError("Keep a check-in under 3,000 characters.", field="text")
    check_in = CheckIn.objects.create(plan=plan, author=actor, text=text)
    _audit(actor, AuditEntry.Action.PLAN_CHECKED_IN, plan, check_in=check_in.pk)
    return check_in


@transaction.atomic
def set_beta_group(*, actor, plan: Plan, group, skills=()) -> Plan:
    """Mark a forum group as the plan's beta group (None to unmark), with the skills of its topic."""
    selectors.check_edit_plans_permission(actor)
    _check_open(plan)
    plan.beta_group = group
    plan.save(update_fields=["beta_group"])
    plan.beta_skills.set(list(skills))
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, plan, beta_group=group.pk if group else None,
           beta_skills=[skill.pk for skill in skills])
    return plan


@transaction.atomic
def send_outreach(*, actor, plan: Plan, list_key: str, members, message: str, allow_formula: bool = False,
                  now=None) -> list[OutreachContact]:
    """A personal message to one member or several from an outreach list: a notification, mailed as
    each member's "plan outreach" preference says (members.mailing), every contact logged. A message that
    could go to anyone is refused with a prompt (rule 9, the thank-yous' check) unless the manager
    insists; it is then logged as a formula."""
    selectors.check_edit_plans_permission(actor)
    _check_open(plan)
    if list_key not in LISTS:
        raise PlanError("Send outreach from one of the plan's lists.", field="list")
    members = [member for member in members if member is not None]
    if not members:
        raise PlanError("Choose at least one member to write to.", field="members")
    if len(members) > MAX_RECIPIENTS:
        raise PlanError(f"Write to {MAX_RECIPIENTS} members at most at a time: outreach is personal.",
                        field="members")
    message = (message or "").strip()
    if not message:
        raise PlanError("Write the message: why are you getting in touch?", field="message")
    if len(message) > OUTREACH_MAX:
        raise PlanError(f"Keep it under {OUTREACH_MAX} characters.", field="message")
    formula = is_formula(message)
    if formula and not allow_formula:
        raise FormulaOutreach(
            f"“{message}” could be sent to anyone. Say something only they would get: what did you notice "
            "about them, and what would you like them to do?",
            field="message",
        )
    now = now or timezone.now()
    contacts = OutreachContact.objects.bulk_create(
        OutreachContact(plan=plan, sender=actor, member=member, list_key=list_key, message=message, formula=formula,
                        sent_at=now)
        for member in members
    )
    for member in members:
        mailing.send_outreach(recipient=member, actor=actor, text=f"{actor.name} wrote to you: {message}",
                              url=reverse("notifications"))
    _audit(actor, AuditEntry.Action.PLAN_OUTREACH, plan, list=list_key, members=[m.pk for m in members],
           formula=formula)
    return contacts


@transaction.atomic
def close_plan(*, actor, plan: Plan, lessons: str = "", today: date | None = None) -> Plan:
    """Close the plan into its review: every objective's final actual frozen, met or missed, the
    outreach conversion per list, and the manager's lessons. `actor` None: the scheduled close."""
    if actor is not None:
        selectors.check_edit_plans_permission(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _check_open(plan)
    lessons = (lessons or "").strip()
    if len(lessons) > 5000:
        raise PlanError("Keep the lessons under 5,000 characters.", field="lessons")
    page = selectors.plan_page(plan, today=today, charts=False, fresh=True)
    for _programme, rows, _initiatives in page.programmes:
        for row in rows:
            objective = row.objective
            actual = row.progress.actual
            objective.final_actual = actual
            objective.met = actual is not None and selectors._meets(
                actual, objective.target, selectors.higher_is_better(objective.metric)
            )
            objective.save(update_fields=["final_actual", "met"])
    plan.outreach_review = [
        {"list": c.key, "title": c.title, "contacts": c.contacts, "came_back": c.came_back, "waiting": c.waiting}
        for c in page.conversions
    ]
    plan.status = Plan.Status.CLOSED
    plan.closed_at = timezone.now()
    plan.lessons = lessons
    plan.save(update_fields=["outreach_review", "status", "closed_at", "lessons"])
    _audit(actor, AuditEntry.Action.PLAN_CLOSED, plan,
           met=sum(1 for o in plan.objectives.all() if o.met), objectives=plan.objectives.count())
    return plan


@transaction.atomic
def save_lessons(*, actor, plan: Plan, lessons: str) -> Plan:
    """The review's lessons may be written after a scheduled close."""
    selectors.check_edit_plans_permission(actor)
    if not plan.is_closed:
        raise PlanError("Lessons belong to the review: close the plan first.", field="lessons")
    plan.lessons = (lessons or "").strip()[:5000]
    plan.save(update_fields=["lessons"])
    _audit(actor, AuditEntry.Action.PLAN_CHANGED, plan, lessons=True)
    return plan


@transaction.atomic
def start_next_plan(*, actor, plan: Plan, title: str = "") -> Plan:
    """"Start the next 90 days": a plan from the day after this one, prefilled — its programmes,
    its unmet objectives carried over (baseline: their final actual; targets raised along the growth
    curve for counts), and its repeating initiatives copied 90 days later."""
    selectors.check_edit_plans_permission(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_closed:
        raise PlanError("Close this plan into its review first: the next one carries over what it missed.")
    if Plan.objects.filter(previous=plan).exists():
        raise PlanError("The next 90 days have already been started from this plan.", status=409)
    start = plan.end + timedelta(days=1)
    following = create_plan(actor=actor, title=title or f"{plan.title} — next 90 days", start=start,
                            business_needs=plan.business_needs.all(), beta_group=plan.beta_group,
                            beta_skills=plan.beta_skills.all(), previous=plan)
    programmes = {p.name: p for p in following.programmes.all()}
    for programme in plan.programmes.prefetch_related("objectives", "initiatives"):
        target = programmes.get(programme.name)
        if target is None:
            target = Programme.objects.create(plan=following, kind=programme.kind, name=programme.name,
                                              position=programme.position)
            programmes[programme.name] = target
        for objective in programme.objectives.all():
            if objective.met:
                continue
            Objective.objects.create(
                plan=following, programme=target, metric=objective.metric, manual_name=objective.manual_name,
                manual_definition=objective.manual_definition, target=selectors.raised_target(objective),
                baseline=objective.final_actual if objective.final_actual is not None else objective.baseline,
                owner=objective.owner, due=following.end, carried_from=objective, position=objective.position,
            )
        for initiative in programme.initiatives.all():
            if initiative.repeats:
                Initiative.objects.create(programme=target, title=initiative.title, owner=initiative.owner,
                                          date=initiative.date + timedelta(days=PLAN_DAYS), repeats=True,
                                          thread=initiative.thread, page=initiative.page)
    return following


def run_rollover(*, today: date | None = None) -> dict[str, int]:
    """The scheduled step: on a plan's 80th day its owner is told to prepare the next plan; after
    its 90th day it closes into its review and the owner is told. Safe to run every minute."""
    today = today or timezone.localdate()
    reminded = closed = 0
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("owner"):
        if plan.day_number(today) >= selectors.PREPARE_DAY and plan.prepare_notified_at is None and today <= plan.end:
            with transaction.atomic():
                if Plan.objects.filter(pk=plan.pk, prepare_notified_at__isnull=True).update(
                        prepare_notified_at=timezone.now()):
                    member_services.notify(
                        recipient=plan.owner, actor=None,
                        text=f"Day {plan.day_number(today)} of 90 in “{plan.title}”: time to prepare the next plan.",
                        url=f"/plans/{plan.pk}/",
                    )
                    reminded += 1
        if today > plan.end:
            close_plan(actor=None, plan=plan, today=plan.end + timedelta(days=1))
            with transaction.atomic():
                member_services.notify(
                    recipient=plan.owner, actor=None,
                    text=f"“{plan.title}” closed after 90 days: read its review and start the next 90 days.",
                    url=f"/plans/{plan.pk}/",
                )
            closed += 1
    return {"reminded": reminded, "closed": closed}


def describe(member) -> str:
    return describe_member(member)
