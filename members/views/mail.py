"""The member's settings page (e-mail notifications, two-factor sign-in) and the one-click
unsubscribe link of every mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from community.refusals import refusal_on

from .. import services
from ..errors import MemberError
from ..forms import MailPreferencesForm
from ..mailing import read_unsubscribe_token, turned_off_by
from ..models import MailKind


@login_required
def settings_page(request):
    from allauth.mfa.models import Authenticator

    member = request.user
    form = MailPreferencesForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.set_mail_preferences(member=member, preferences=form.cleaned_data)
            messages.success(request, "Your e-mail settings are saved.")
            return redirect("members:settings")
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "two_factor": Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists(),
    }
    return render(request, "members/settings.html", context, status=status)


@csrf_exempt  # RFC 8058: a mail client posts "List-Unsubscribe=One-Click" with no session and no token
def unsubscribe(request, token: str):
    """GET: what the link turns off, with a button; POST (the button, or the mail client's one
    click): turn it off. The signed token is the only credential."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=400)
    member, what = found
    if request.method == "POST":
        try:
            member, kinds = services.unsubscribe(token=token)
        except MemberError:
            return render(request, "members/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "members/unsubscribe.html", {"done": True, "kinds": [MailKind(k).label for k in kinds]})
    kinds = [MailKind(k).label for k in turned_off_by(member, what)]
    return render(request, "members/unsubscribe.html", {"kinds": kinds, "token": token})
