"""The pages of what members ask of and write for each other: asking to connect, recommending,
introducing two members (each posted from the profile, which shows the form again with its
errors), and the requests page where one answers them. Thin over members.services.relations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown

from .. import selectors, services
from ..errors import StandardNote
from ..forms import ConnectForm, IntroduceForm, RecommendForm
from .profiles import profile_page


@login_required
@require_POST
def connect(request, handle: str):
    member = selectors.profile(handle)
    form = ConnectForm(request.POST)
    if form.is_valid():
        with refusal_on(form, field="note") as refusal:
            services.request_connection(
                requester=request.user,
                addressee=member,
                note=form.cleaned_data["note"],
                allow_standard=form.cleaned_data["send_anyway"],
            )
            messages.success(request, f"Your request is on its way to {member.name}.")
            return redirect(member)
        form.prompt_standard = isinstance(refusal.error, StandardNote)
    return profile_page(request, member, connect_form=form, status=400)


@login_required
@require_POST
def recommend(request, handle: str):
    member = selectors.profile(handle)
    form = RecommendForm(request.POST)
    if form.is_valid():
        with refusal_on(form, field="text"):
            services.recommend(author=request.user, recipient=member, text=form.cleaned_data["text"])
            messages.success(
                request, f"Thank you. {member.name} will see your recommendation and can add it to their profile."
            )
            return redirect(member)
    return profile_page(request, member, recommend_form=form, status=400)


@login_required
@require_POST
def introduce(request, handle: str):
    member = selectors.profile(handle)
    form = IntroduceForm(request.POST)
    if form.is_valid():
        try:
            other = selectors.profile(form.cleaned_data["other"].strip().lower().lstrip("@"))
        except Http404:
            form.add_error("other", "No member has that handle.")
        else:
            with refusal_on(form, field="other") as refusal:
                services.introduce(
                    introducer=request.user,
                    first=member,
                    second=other,
                    note=form.cleaned_data["note"],
                    allow_standard=form.cleaned_data["send_anyway"],
                )
                messages.success(request, f"Introduced {member.name} and {other.name}. Both are told.")
                return redirect(member)
            form.prompt_standard = isinstance(refusal.error, StandardNote)
    return profile_page(request, member, introduce_form=form, status=400)


@login_required
def waiting_requests(request):
    return render(request, "members/requests.html", selectors.waiting_requests(request.user))


@login_required
@require_POST
def answer_connection(request, connection_id: int, answer: str):
    with refusal_shown(request):
        services.respond_to_connection(member=request.user, connection_id=connection_id, accept=answer == "accept")
        messages.success(request, "Connected." if answer == "accept" else "Declined. Nobody is told.")
    return redirect("requests")


@login_required
@require_POST
def answer_recommendation(request, recommendation_id: int, answer: str):
    with refusal_shown(request):
        services.decide_recommendation(
            member=request.user, recommendation_id=recommendation_id, approve=answer == "approve"
        )
        messages.success(request, "It is on your profile now." if answer == "approve" else "Declined. It stays hidden.")
    return redirect("requests")


@login_required
@require_POST
def answer_introduction(request, introduction_id: int, answer: str):
    with refusal_shown(request):
        introduction = services.answer_introduction(
            member=request.user, introduction_id=introduction_id, accept=answer == "accept"
        )
        if answer == "decline":
            messages.success(request, "Declined. Nobody is told.")
        elif introduction.outcome == "connected":
            messages.success(request, f"You are connected with {introduction.other_side(request.user).name}.")
        else:
            messages.success(
                request,
                f"Accepted. You will be connected once {introduction.other_side(request.user).name} accepts too.",
            )
    return redirect("requests")
