from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle


class NewMemberRateThrottle(UserRateThrottle):
    """A tighter API rate for accounts younger than NEW_MEMBER_DAYS; established members are not limited here."""

    scope = "new_member"

    def allow_request(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return True
        if user.date_joined < timezone.now() - timedelta(days=settings.NEW_MEMBER_DAYS):
            return True
        return super().allow_request(request, view)
