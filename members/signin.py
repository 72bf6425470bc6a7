"""The sign-in rules of /accounts/login/ for a door allauth does not serve: the API token endpoint.

Wagtail's and the Django admin's login pages send visitors to allauth's (members.signin_views).
The token endpoint checks a password itself, so it goes through `authenticate_elsewhere`: allauth's
own `login_failed` limits (per address and per account, on the very counters /accounts/login/
keeps, so a lockout there holds here and guesses here count there), an active account, and a
verified e-mail address when verification is mandatory.
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


def authenticate_elsewhere(request: HttpRequest, *, login: str, password: str) -> Member:
    """The member whose handle or e-mail address is `login` and whose password is `password`, under
    the same rules as /accounts/login/; SignInRefused (400, 403 or 429) otherwise."""
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
    return user
