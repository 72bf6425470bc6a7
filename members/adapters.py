from allauth.account.adapter import DefaultAccountAdapter


class MemberAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """The sign-up form fills in the account; `services.register_member` stores it (lower-case
        handle, the member role, the search document), as every new account is stored."""
        from .services import register_member

        user = super().save_user(request, user, form, commit=False)
        if commit:
            register_member(member=user)
        return user
