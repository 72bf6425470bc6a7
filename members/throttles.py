from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework import throttling

from community.proxies import client_address


class ClientAddressMixin:
    """Throttles identify anonymous clients by the one client address (community.proxies)."""

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class NewMemberRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """A tighter API rate for accounts younger than NEW_MEMBER_DAYS; established members are not limited here."""

    scope = "new_member"

    def allow_request(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return True
        if user.date_joined < timezone.now() - timedelta(days=settings.NEW_MEMBER_DAYS):
            return True
        return super().allow_request(request, view)


class SignInRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Every request to the token endpoint, per client address: guessing costs time."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
