"""Two-factor sign-in (django-allauth's MFA): required for the roles in MFA_REQUIRED_ROLES, optional
for everyone else. A member of a required role who has not enrolled is sent to enrolment after
signing in and can use nothing but the account pages until they have; the API refuses them (a
session under /api/, a token, and the token endpoint)."""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from rest_framework.authentication import TokenAuthentication as BaseTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from community.roles import Role

from .models import Member

# Pages a member who must enrol can still open: allauth's (enrolment itself, sign-out, e-mail).
OPEN_PATHS = ("/accounts/", "/static/", "/media/", "/healthz")
# Authenticators that are a second factor on their own (recovery codes only back them up).
SECOND_FACTORS = ("totp", "webauthn")


def required_roles() -> frozenset[Role]:
    return frozenset(Role(name) for name in settings.MFA_REQUIRED_ROLES)


def mfa_required(member: Member) -> bool:
    """Whether the member's role requires two-factor sign-in. Administrators and managers are
    known from the account's own flags (set_role keeps them), without a query; other roles read
    the member's groups."""
    roles = required_roles()
    if not roles or not member.is_authenticated:
        return False
    if roles <= {Role.ADMINISTRATOR, Role.MANAGER}:
        if member.is_superuser:
            return Role.ADMINISTRATOR in roles
        return member.is_staff and Role.MANAGER in roles
    from .selectors import role_of

    return role_of(member) in roles


def has_second_factor(member: Member) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=member.pk, type__in=SECOND_FACTORS).exists()


def must_enrol(member: Member) -> bool:
    """A member of a required role without a second factor yet (remembered on the instance)."""
    if not hasattr(member, "_must_enrol"):
        member._must_enrol = mfa_required(member) and not has_second_factor(member)
    return member._must_enrol


ENROL_MESSAGE = "Your role requires two-factor sign-in: set up an authenticator app to go on."


def require_enrolment(get_response):
    """Send a signed-in member who must enrol to enrolment (JSON 403 under /api/)."""

    def middleware(request):
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not request.path.startswith(OPEN_PATHS):
            user = request.user
            if user.is_authenticated and must_enrol(user):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": ENROL_MESSAGE}, status=403)
                messages.warning(request, ENROL_MESSAGE)
                return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware


class TokenAuthentication(BaseTokenAuthentication):
    """DRF's token authentication, refusing the token of a member who must enrol first (a token
    made before their role came to require two-factor sign-in)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if must_enrol(user):
            raise AuthenticationFailed(f"{ENROL_MESSAGE} Sign in on the website to do so.")
        return user, token
