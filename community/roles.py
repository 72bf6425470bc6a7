"""The roles of a Mutua community, as Django groups, and the permissions each one carries.

A member holds exactly one role; `members.services.set_role` is the only way to change it.
"""

from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    MANAGER = "community manager"
    SPONSOR = "sponsor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return "executive sponsor" if self is Role.SPONSOR else self.value


# Each role lists the permissions it holds, as "app_label.codename" (the form `has_perm` takes):
# the members app's custom permissions (see Member.Meta) and the forums' model permissions.
# Moderators draft in /cms/ and read 90-day plans (they may own objectives).
_MODERATION = {"members.moderate_community", "wagtailadmin.access_admin", "plans.view_plan"}
_MANAGEMENT = {
    *_MODERATION,
    "members.change_member_role",
    "members.manage_skills",
    "members.view_member_activity",
    "forums.add_group",
    "forums.change_group",
    "forums.change_participant",
    "content.add_digestselection",
    "content.add_resource",
    "content.change_resource",
    "content.delete_resource",
    "wagtailadmin.access_admin",
    "members.view_reports",
    # Business needs (snippets) and the value model (a setting) in /cms/.
    "metrics.add_businessneed",
    "metrics.change_businessneed",
    "metrics.delete_businessneed",
    "metrics.change_valuemodel",
    "metrics.add_reportsubscription",
    "metrics.change_reportsubscription",
    "metrics.delete_reportsubscription",
    # 90-day plans: managers run them.
    "plans.change_plan",
}
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.MEMBER: set(),
    Role.MODERATOR: _MODERATION,
    Role.MANAGER: _MANAGEMENT,
    Role.SPONSOR: {"members.view_reports", "plans.view_plan"},  # plans read-only
    Role.ADMINISTRATOR: _MANAGEMENT,
}

ROLE_CHOICES = [(role.value, role.label.capitalize()) for role in Role]


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups with exactly their permissions. Runs after every migrate (and after a
    test flush), so roles exist from the first migration on and their permissions never drift."""
    from django.contrib.auth.models import Group, Permission

    apps = {name.split(".")[0] for names in ROLE_PERMISSIONS.values() for name in names}
    permissions = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([permissions[name] for name in names if name in permissions])
