"""Sign-in backends that load the signed-in member with the header's counts (Pay it back's from
the member's ledger totals, unread notifications, requests waiting) in the same query that loads
the member on every request: the counts cost no query of their own."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .selectors import with_header_counts


class HeaderCountsMixin:
    def get_user(self, user_id):
        member = with_header_counts(self._get_member_queryset()).filter(pk=user_id).first()
        return member if member is not None and self.user_can_authenticate(member) else None

    def _get_member_queryset(self):
        from .models import Member

        return Member._default_manager.all()


class MemberBackend(HeaderCountsMixin, ModelBackend):
    """Django's model backend (handle and password)."""


class MemberAllauthBackend(HeaderCountsMixin, AuthenticationBackend):
    """allauth's backend (e-mail address or handle, and password)."""
