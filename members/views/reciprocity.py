"""The pages of the reciprocity ledger: Pay it back (thank or dismiss what one received),
endorsing a member's skill, and My reciprocity (a member's figures). Thin over
members.services.reciprocity and members.my_reciprocity."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.refusals import refusal_on, refusal_shown

from .. import selectors, services
from ..my_reciprocity import HALF_LIFE_DAYS, reciprocity_summary
from ..errors import FormulaThanks
from ..forms import EndorseForm, ThankForm
from ..give_subjects import describe
from ..models import Skill
from ..waiting import waiting_for

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
