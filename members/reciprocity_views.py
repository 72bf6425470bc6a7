"""The pages of the reciprocity ledger: Pay it back, endorsements, recommendations, connections,
introductions, notifications and My reciprocity."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown

from . import selectors, services
from .my_reciprocity import HALF_LIFE_DAYS, reciprocity_summary
from .errors import FormulaThanks, StandardNote
from .forms import ConnectForm, EndorseForm, IntroduceForm, RecommendForm, ThankForm
from .give_subjects import describe
from .models import Skill
from .views import profile_page
from .waiting import waiting_for

OWED_PAGE_SIZE = 30


def _pay_it_back_page(request, *, failed_give_id=None, form=None, status=200):
    owed = selectors.owed_to(request.user)
    page = Paginator(owed, OWED_PAGE_SIZE).get_page(request.GET.get("page"))
    # Fetch the page by ids, so a late page does not join every skipped give to its giver.
    if page.paginator.count:
        gives = describe(owed.filter(pk__in=owed.values("pk")[page.start_index() - 1 : page.end_index()]))
    else:
        gives = owed.none()
    return render(
        request,
        "members/pay_it_back.html",
        {
            "page": page,
            "gives": gives,
            "waiting": waiting_for(request.user),
            "failed_give_id": failed_give_id,
            "failed_form": form,
        },
        status=status,
    )


@login_required
def pay_it_back(request):
    return _pay_it_back_page(request)


@login_required
@require_POST
def thank(request, give_id: int):
    form = ThankForm(request.POST)
    if form.is_valid():
        with refusal_on(form, field="message") as refusal:
            give = services.thank(
                member=request.user,
                give_id=give_id,
                message=form.cleaned_data["message"],
                allow_formula=form.cleaned_data["send_anyway"],
            )
            messages.success(request, f"{give.giver.name} will see your thank-you.")
            return redirect("pay-it-back")
        form.prompt_formula = isinstance(refusal.error, FormulaThanks)
    return _pay_it_back_page(request, failed_give_id=give_id, form=form, status=400)


@login_required
@require_POST
def dismiss(request, give_id: int):
    with refusal_shown(request):
        services.dismiss(member=request.user, give_id=give_id)
        messages.success(request, "Dismissed. Nobody is told.")
    return redirect("pay-it-back")


@login_required
@require_POST
def endorse(request, handle: str):
    member = selectors.profile(handle)
    form = EndorseForm(request.POST)
    if form.is_valid():
        skill = get_object_or_404(Skill, slug=form.cleaned_data["skill"])
        with refusal_shown(request):
            services.endorse(endorser=request.user, endorsee=member, skill=skill)
            messages.success(request, f"You endorsed {member.name} for {skill.name}.")
    else:
        messages.error(request, "Choose one of the member's skills to endorse.")
    return redirect(member)


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    notifications = selectors.describe_notifications(page.object_list)
    return render(request, "members/notifications.html", {"page": page, "notifications": notifications})


@login_required
@require_POST
def mark_notifications_read(request):
    services.mark_notifications_read(member=request.user)
    return redirect("notifications")


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
def follow(request, handle: str):
    member = selectors.profile(handle)
    with refusal_shown(request):
        services.follow(follower=request.user, followed=member)
        messages.success(request, f"You follow {member.name}. They owe you nothing for it.")
    return redirect(member)


@login_required
@require_POST
def unfollow(request, handle: str):
    member = selectors.profile(handle)
    with refusal_shown(request):
        services.unfollow(follower=request.user, followed=member)
        messages.success(request, f"You no longer follow {member.name}. Nobody is told.")
    return redirect(member)


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


@dataclass(frozen=True)
class Perspective:
    """The words of My reciprocity for whoever reads it: the member ("you gave") or a community
    manager looking at someone else's figures ("Ana gave")."""

    you: str
    your: str
    yourself: str
    have: str

    @classmethod
    def of(cls, member, *, viewer) -> "Perspective":
        if member.pk == viewer.pk:
            return cls(you="you", your="your", yourself="yourself", have="have")
        return cls(you=member.name, your=f"{member.name}’s", yourself="themselves", have="has")


@login_required
def my_reciprocity(request, handle: str | None = None):
    member = selectors.profile(handle) if handle else request.user
    selectors.check_view_activity_permission(request.user, member)
    return render(
        request,
        "members/my_reciprocity.html",
        {
            "member": member,
            "summary": reciprocity_summary(member),
            "is_me": member.pk == request.user.pk,
            "words": Perspective.of(member, viewer=request.user),
            "half_life_days": HALF_LIFE_DAYS,
        },
    )


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
