from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from community.proxies import client_address


class MemberAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """The sign-up form fills in the account; `services.register_member` stores it (lower-case
        handle, the member role, the search document), as every new account is stored."""
        from .services import register_member

        user = super().save_user(request, user, form, commit=False)
        if commit:
            register_member(member=user)
        return user

    def get_client_ip(self, request):
        """The one client address (community.proxies) for allauth's per-address limits."""
        if address := client_address(request):
            return address
        return super().get_client_ip(request)

    def respond_user_inactive(self, request, user):
        """The right password opened an inactive account. A member who deactivated it themselves is
        asked whether they want to come back; any other inactive account gets allauth's page."""
        from .leaving_views import offer_to_come_back
        from .services import is_self_deactivated

        if is_self_deactivated(user):
            return offer_to_come_back(request, user)
        return super().respond_user_inactive(request, user)

    def get_login_redirect_url(self, request):
        """Where a sign-in lands when it was going nowhere in particular (allauth follows `next`
        first)."""
        return landing_for(request.user)


def landing_for(member) -> str:
    """A member who has not said who they are yet is invited to; everyone else goes home."""
    if member.is_authenticated and not (member.headline or member.bio):
        return reverse("members:edit-profile")
    return reverse("home")
