from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from community.proxies import client_address


class MemberAccountAdapter(DefaultAccountAdapter):
    # allauth's messages in Mutua's words (the rest are allauth's own).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "That email address and password do not match an account. Check both, "
        "or reset your password if you have forgotten it.",
        "username_taken": "That handle is taken: try another, perhaps with your surname or a number.",
        "username_blacklisted": "That handle is reserved; please choose another.",
        "email_taken": "That email address already has an account: sign in, or reset its password.",
        "incorrect_password": "That is not your password.",
        # Said when the current password is wrong as well as when it is missing.
        "enter_current_password": "That is not your current password: type the one you sign in with now.",
        "too_many_login_attempts": "Too many failed sign-ins. Wait a few minutes and try again, or reset your password.",
        "unverified_primary_email": "Confirm your email address first: we sent you a link.",
        "rate_limited": "That was a lot of tries in a short time. Wait a little and try again.",
    }

    def clean_username(self, username, shallow=False):
        """Handles are lower-case (`Nora_New` is `nora_new`) and never start or end with a space:
        normalise before the rules are checked, rather than refuse what would be stored anyway."""
        return super().clean_username(username.strip().lower(), shallow=shallow)

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
        from .views.leaving import offer_to_come_back
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
