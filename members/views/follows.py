"""Following a member and stopping, from their profile. Thin over members.services.follows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from community.refusals import refusal_shown

from .. import selectors, services


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
