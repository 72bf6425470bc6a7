from allauth.account.adapter import DefaultAccountAdapter

from community.proxies import client_address
from community.roles import Role


class MemberAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Every new account starts with the member role and its handle as display name."""
        from .services import set_role

        user = super().save_user(request, user, form, commit=False)
        user.username = user.username.lower()
        user.display_name = user.display_name or user.username
        if commit:
            user.save()
            set_role(actor=None, member=user, role=Role.MEMBER)
        return user

    def get_client_ip(self, request):
        """The one client address (community.proxies) for allauth's per-address limits."""
        if address := client_address(request):
            return address
        return super().get_client_ip(request)
