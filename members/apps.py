from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MembersConfig(AppConfig):
    name = "members"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="members.ensure_role_groups")

        from . import member_data

        member_data.register()  # the apps above add their parts of a member's data in their ready()
        self._check_mfa_roles()

    @staticmethod
    def _check_mfa_roles():
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from community.roles import Role

        unknown = [name for name in settings.MFA_REQUIRED_ROLES if name not in Role._value2member_map_]
        if unknown:
            raise ImproperlyConfigured(
                f"MFA_REQUIRED_ROLES names roles Mutua does not have: {', '.join(unknown)} "
                f"(choose from {', '.join(role.value for role in Role)})."
            )
