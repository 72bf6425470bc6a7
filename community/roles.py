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


# Custom permissions live on members.Member (see its Meta); each role lists the codenames it holds.
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.MEMBER: set(),
    Role.MODERATOR: {"moderate_community"},
    Role.MANAGER: {"moderate_community", "change_member_role", "manage_skills", "view_member_activity"},
    Role.SPONSOR: {"view_reports"},
    Role.ADMINISTRATOR: {
        "moderate_community",
        "change_member_role",
        "manage_skills",
        "view_member_activity",
        "view_reports",
    },
}

ROLE_CHOICES = [(role.value, role.label.capitalize()) for role in Role]


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups with exactly their permissions. Runs after every migrate (and after a
    test flush), so roles exist from the first migration on and their permissions never drift."""
    from django.contrib.auth.models import Group, Permission

    permissions = {perm.codename: perm for perm in Permission.objects.filter(content_type__app_label="members")}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([permissions[codename] for codename in codenames if codename in permissions])
