"""The sign-in rules of /accounts/login/ for a door allauth does not serve: the API token endpoint.

Wagtail's and the Django admin's login pages send visitors to allauth's (members.views.signin).
The token endpoint checks a password itself, so it goes through `authenticate_elsewhere`: allauth's
own `login_failed` limits (per address and per account, on the very counters /accounts/login/
keeps, so a lockout there holds here and guesses here count there), an active account, a
verified e-mail address when verification is mandatory, and two-factor sign-in (members.mfa): an
account with a second factor gives a `code` (from its authenticator app, or one of its recovery
codes, which is then used up) under allauth's MFA limits; an account whose role requires two-factor
sign-in and has not enrolled gets no token until it has, on the website.
"""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .errors import MemberError
from .models import Member


class SignInRefused(MemberError):
    pass


def authenticate_elsewhere(request: HttpRequest, *, login: str, password: str, code: str = "") -> Member:
    """The member whose handle or e-mail address is `login` and whose password is `password` (and
    second-factor `code`, if the account has two-factor sign-in), under the same rules as
    /accounts/login/; SignInRefused (400, 403 or 429) otherwise."""
    login = login.strip()
    if "@" in login:  # handles never hold an @
        member = Member.objects.filter(email__iexact=login).first()
    else:
        member = Member.objects.filter(username=login.lower()).first()
    # allauth keys its per-account counter on the address typed at /accounts/login/: use the
    # account's own address, so both doors count against one key.
    email = member.email if member else login
    try:
        # Consumes a try (rolled back when the password is right), then checks the password.
        user = get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError:
        raise SignInRefused("Too many failed sign-in attempts. Try again in a few minutes.", status=429)
    if user is None:
        raise SignInRefused("Unable to sign in with that handle or e-mail address and password.")
    if not user.is_active:
        if user.deactivated_at is not None:
            raise SignInRefused(
                "This account is deactivated. Sign in on the website to reactivate it first.", status=403
            )
        raise SignInRefused("This account is inactive.", status=403)
    if account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY and not (
        has_verified_email(user)
    ):
        raise SignInRefused(
            "Verify your e-mail address first: sign in on the website to get a new verification link.",
            status=403,
        )
    _check_second_factor(request, user, code)
    return user


def _check_second_factor(request: HttpRequest, member: Member, code: str) -> None:
    from allauth.core import context
    from allauth.mfa.base.forms import BaseAuthenticateForm
    from allauth.mfa.utils import is_mfa_enabled

    from .mfa import ENROL_MESSAGE, must_enrol

    if not is_mfa_enabled(member):
        if must_enrol(member):
            raise SignInRefused(f"{ENROL_MESSAGE} Sign in on the website to do so.", status=403)
        return
    if not code.strip():
        raise SignInRefused(
            "This account uses two-factor sign-in: send `code`, the code from your authenticator app "
            "(or one of your recovery codes).",
            status=401,
        )
    with context.request_context(request):
        try:
            form = BaseAuthenticateForm(data={"code": code.strip()}, user=member)
            valid = form.is_valid()
        except ValidationError:
            raise SignInRefused("Too many wrong codes. Try again in a few minutes.", status=429) from None
    if not valid:
        message = " ".join(form.errors.get("code", [])) or "Incorrect code."
        status = 429 if "too many" in message.lower() else 400
        raise SignInRefused(message if status == 429 else "That code is not right: try the current one.", status=status)
