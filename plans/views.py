"""The plans pages: the list, a new plan, a plan, its outreach lists. Thin: permission, forms,
services, selectors. Managers and administrators change plans; moderators and sponsors read."""

import csv
import re
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown
from members.models import Member

from . import forms, outreach, selectors, services
from .errors import PlanError
from .models import Initiative, Objective, Plan, Programme


def plans_view(view):
    """Signed in and allowed to read plans (members get 403, visitors the sign-in page)."""

    @login_required
    @wraps(view)
    def answer(request, *args, **kwargs):
        selectors.check_view_plans_permission(request.user)
        return view(request, *args, **kwargs)

    return answer


def plans_change_view(view):
    """A door that changes a plan: readers (sponsors, moderators) are refused before their form is read."""

    @plans_view
    @wraps(view)
    def answer(request, *args, **kwargs):
        selectors.check_edit_plans_permission(request.user)
        return view(request, *args, **kwargs)

    return answer


def _back(plan: Plan, anchor: str = ""):
    return redirect(f"/plans/{plan.pk}/" + (f"#{anchor}" if anchor else ""))


@plans_view
def plan_list(request):
    plans = list(selectors.plans_for_list())
    return render(request, "plans/list.html", {
        "plans": plans, "can_edit": selectors.can_edit_plans(request.user), "today": timezone.localdate(),
    })


@plans_view
def plan_new(request):
    selectors.check_edit_plans_permission(request.user)
    try:
        start = date.fromisoformat(request.GET.get("start") or "")
    except ValueError:
        start = timezone.localdate()
    form = forms.PlanForm(request.POST or None, initial={"start": start, "owner": request.user})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"]
    suggestions = selectors.suggested_targets(start)
    if not form.is_bound:
        by_key = {s.key: s for s in suggestions}
        form.initial["members_total_target"] = by_key["members_total"].curve
        form.initial["new_members_target"] = by_key["new_members"].curve
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form) as refusal:
            plan = _create_with_targets(request.user, data)
        if not refusal:
            messages.success(request, "The plan is running: add its objectives and initiatives.")
            return _back(plan)
    return render(request, "plans/new.html", {"form": form, "suggestions": suggestions,
                                              "growth_factor": selectors.GROWTH_FACTOR, "start": start}, status=400 if form.errors else 200)


def _create_with_targets(actor, data) -> Plan:
    from django.db import transaction

    with transaction.atomic():
        plan = services.create_plan(actor=actor, title=data["title"], start=data["start"],
                                    business_needs=data["business_needs"])
        acquisition = plan.programmes.get(kind=Programme.Kind.ACQUISITION)
        owner = data.get("owner") or actor
        for key in ("members_total", "new_members"):
            target = data.get(f"{key}_target")
            if target is not None:
                services.add_objective(actor=actor, plan=plan, programme=acquisition, metric=key, target=target,
                                       owner=owner)
    return plan


@plans_view
def plan_detail(request, plan_id: int):
    plan = selectors.access_plan(plan_id)
    page = selectors.plan_page(plan)
    can_edit = selectors.can_edit_plans(request.user) and not plan.is_closed
    context = {
        "page": page, "plan": plan, "can_edit": can_edit, "can_manage": selectors.can_edit_plans(request.user),
        "projection_words": selectors.PROJECTION_WORDS, "lists": outreach.LISTS,
        "next_plan": Plan.objects.filter(previous=plan).first(),
    }
    if can_edit:
        context["close_form"] = forms.CloseForm()
    if not plan.is_closed and selectors.can_check_in(request.user, plan):
        context["check_in_form"] = forms.CheckInForm()
    if plan.is_closed and selectors.can_edit_plans(request.user):
        context["lessons_form"] = forms.CloseForm(initial={"lessons": plan.lessons})
    return render(request, "plans/detail.html", context)


@plans_view
def plan_change(request, plan_id: int):
    """The forms that add to a plan (kept off the plan page, which sponsors and managers read often)."""
    selectors.check_edit_plans_permission(request.user)
    plan = selectors.access_plan(plan_id)
    if plan.is_closed:
        messages.error(request, "This plan is closed: its review is frozen.")
        return _back(plan)
    today = timezone.localdate()
    return render(request, "plans/change.html", {
        "plan": plan, "day": plan.day_number(today),
        "objective_form": forms.ObjectiveForm(plan=plan, initial={"owner": request.user}),
        "initiative_form": forms.InitiativeForm(plan=plan, initial={"owner": request.user, "date": today}),
        "programme_form": forms.ProgrammeForm(),
        "beta_form": forms.BetaGroupForm(initial={"group": plan.beta_group_id,
                                                  "skills": [s.pk for s in plan.beta_skills.all()]}),
    })


def _plan_for_post(request, plan_id: int) -> Plan:
    return get_object_or_404(Plan, pk=plan_id)


@require_POST
@plans_change_view
def add_objective(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.ObjectiveForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(plan, "objectives")
    data = form.cleaned_data
    with refusal_shown(request) as refusal:
        services.add_objective(
            actor=request.user, plan=plan, programme=get_object_or_404(Programme, pk=data["programme"], plan=plan),
            metric=data["metric"], manual_name=data["manual_name"], manual_definition=data["manual_definition"],
            target=data["target"], baseline=data["baseline"], owner=data["owner"], due=data["due"],
        )
    if not refusal:
        messages.success(request, "Objective added.")
    return _back(plan, "objectives")


@require_POST
@plans_change_view
def update_objective(request, plan_id: int, objective_id: int):
    plan = _plan_for_post(request, plan_id)
    objective = get_object_or_404(Objective.objects.select_related("plan"), pk=objective_id, plan=plan)
    form = forms.ObjectiveUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(plan, f"objective-{objective.pk}")
    with refusal_shown(request) as refusal:
        services.update_objective(actor=request.user, objective=objective, **form.cleaned_data)
    if not refusal:
        messages.success(request, "Objective updated.")
    return _back(plan, f"objective-{objective.pk}")


@require_POST
@plans_change_view
def add_programme(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.ProgrammeForm(request.POST)
    if form.is_valid():
        with refusal_shown(request):
            services.add_programme(actor=request.user, plan=plan, name=form.cleaned_data["name"])
    else:
        messages.error(request, _first_error(form))
    return _back(plan, "programmes")


_THREAD_ADDRESS = re.compile(r"/forums/[\w-]+/(\d+)/?")


def _link(member, text: str):
    """A thread or a page from the address a manager pasted."""
    from urllib.parse import urlsplit

    from wagtail.models import Page

    from forums import selectors as forum_selectors

    text = (text or "").strip()
    if not text:
        return None, None
    path = urlsplit(text).path or text
    thread_match = _THREAD_ADDRESS.fullmatch(path) or _THREAD_ADDRESS.match(path)
    if thread_match:
        return forum_selectors.access_thread(member, int(thread_match.group(1))), None
    path = "/" + path.strip("/") + "/"
    page = Page.objects.live().filter(url_path__endswith=path).exclude(depth__lte=1).order_by("depth").first()
    if page is None:
        raise PlanError("That address is neither a forum thread nor a published page.", field="link")
    return None, page


@require_POST
@plans_change_view
def add_initiative(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.InitiativeForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(plan, "programmes")
    data = form.cleaned_data
    with refusal_shown(request) as refusal:
        thread, page = _link(request.user, data["link"])
        services.add_initiative(actor=request.user, programme=get_object_or_404(Programme, pk=data["programme"],
                                                                                  plan=plan),
                                title=data["title"], owner=data["owner"], day=data["date"], repeats=data["repeats"],
                                thread=thread, page=page)
    if not refusal:
        messages.success(request, "Initiative added.")
    return _back(plan, "programmes")


@require_POST
@plans_change_view
def initiative_done(request, plan_id: int, initiative_id: int):
    plan = _plan_for_post(request, plan_id)
    initiative = get_object_or_404(Initiative.objects.select_related("programme__plan"), pk=initiative_id,
                                   programme__plan=plan)
    with refusal_shown(request):
        services.set_initiative_done(actor=request.user, initiative=initiative, done=request.POST.get("done") == "1")
    return _back(plan, f"initiative-{initiative.pk}")


@require_POST
@plans_view
def check_in(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    selectors.check_check_in_permission(request.user, plan)
    form = forms.CheckInForm(request.POST)
    if form.is_valid():
        with refusal_shown(request) as refusal:
            services.record_check_in(actor=request.user, plan=plan, text=form.cleaned_data["text"])
        if not refusal:
            messages.success(request, "Check-in recorded.")
    else:
        messages.error(request, _first_error(form))
    return _back(plan, "check-ins")


@require_POST
@plans_change_view
def beta_group(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.BetaGroupForm(request.POST)
    if form.is_valid():
        with refusal_shown(request):
            services.set_beta_group(actor=request.user, plan=plan, group=form.cleaned_data["group"],
                                    skills=form.cleaned_data["skills"])
    else:
        messages.error(request, _first_error(form))
    return _back(plan, "beta")


@require_POST
@plans_change_view
def close(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        with refusal_shown(request) as refusal:
            services.close_plan(actor=request.user, plan=plan, lessons=form.cleaned_data["lessons"])
        if not refusal:
            messages.success(request, "The plan is closed into its review.")
    else:
        messages.error(request, _first_error(form))
    return _back(plan)


@require_POST
@plans_change_view
def lessons(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        with refusal_shown(request):
            services.save_lessons(actor=request.user, plan=plan, lessons=form.cleaned_data["lessons"])
    return _back(plan, "review")


@require_POST
@plans_change_view
def start_next(request, plan_id: int):
    plan = _plan_for_post(request, plan_id)
    with refusal_shown(request) as refusal:
        following = services.start_next_plan(actor=request.user, plan=plan)
    if refusal:
        return _back(plan)
    messages.success(request, "The next 90 days start prefilled: check the carried-over targets.")
    return _back(following)


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ") if field in form.fields else ""
        return f"{label.capitalize()}: {errors[0]}" if label else errors[0]
    return "Check the form."


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page") or 1), 10_000))
    except ValueError:
        return 1


@plans_view
def outreach_lists(request, plan_id: int):
    plan = selectors.access_plan(plan_id)
    chosen = outreach.access_list(request.GET.get("list") or "newcomers")
    number = _page_number(request)
    now = timezone.now()
    form = forms.OutreachForm()
    status = 200
    if request.method == "POST":
        selectors.check_edit_plans_permission(request.user)
        form = forms.OutreachForm(request.POST)
        ids = [int(pk) for pk in request.POST.getlist("members") if pk.isdigit()][:services.MAX_RECIPIENTS + 1]
        if form.is_valid():
            members = list(Member.objects.filter(pk__in=ids, is_active=True))
            with refusal_on(form) as refusal:
                services.send_outreach(actor=request.user, plan=plan, list_key=chosen.key, members=members,
                                       message=form.cleaned_data["message"], allow_formula=form.cleaned_data["insist"])
            if not refusal:
                messages.success(request, f"Sent to {len(members)} member{'s' if len(members) != 1 else ''}: "
                                          "a notification and an e-mail each.")
                return redirect(f"/plans/{plan.pk}/outreach/?list={chosen.key}&page={number}")
            status = refusal.status
        else:
            status = 400
    rows = chosen.rows(plan, now=now, offset=(number - 1) * outreach.PAGE_SIZE, limit=outreach.PAGE_SIZE + 1)
    has_next = len(rows) > outreach.PAGE_SIZE
    rows = rows[:outreach.PAGE_SIZE]
    contacted = selectors.contacted_ids(plan, [row.member.pk for row in rows])
    conversions = {c.key: c for c in selectors.conversions(plan, now=now)}
    return render(request, "plans/outreach.html", {
        "plan": plan, "lists": outreach.LISTS, "chosen": chosen, "rows": rows, "number": number,
        "has_next": has_next, "contacted": contacted, "conversions": conversions, "form": form,
        "can_send": selectors.can_edit_plans(request.user) and not plan.is_closed,
        "selected": {int(pk) for pk in request.POST.getlist("members") if pk.isdigit()},
    }, status=status)


@plans_view
def outreach_csv(request, plan_id: int, key: str):
    plan = selectors.access_plan(plan_id)
    chosen = outreach.access_list(key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-{chosen.key}.csv"'
    writer = csv.writer(response)
    writer.writerow(["handle", "name", "joined", "why", "link", "contacted"])
    now, offset, size = timezone.now(), 0, 1000
    while True:
        rows = chosen.rows(plan, now=now, offset=offset, limit=size)
        contacted = selectors.contacted_ids(plan, [row.member.pk for row in rows])
        for row in rows:
            sent = contacted.get(row.member.pk)
            writer.writerow([row.member.username, row.member.name, row.member.date_joined.date().isoformat(),
                             row.detail, row.url, sent.isoformat() if sent else ""])
        if len(rows) < size or offset >= 100_000:
            return response
        offset += size
