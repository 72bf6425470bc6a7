"""Roles: groups with permissions from the first migration; only managers and administrators change them."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from community.roles import ROLE_PERMISSIONS, Role
from members import services
from members.selectors import role_of
from tests.factories import MemberFactory


def test_every_role_exists_as_a_group_with_its_permissions(db):
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = group.permissions.values_list("content_type__app_label", "codename")
        assert {f"{app}.{codename}" for app, codename in held} == names


def test_new_accounts_are_members(db):
    assert role_of(MemberFactory()) == Role.MEMBER


@pytest.mark.parametrize("actor_role", [Role.MANAGER, Role.ADMINISTRATOR])
def test_managers_and_administrators_change_roles(db, actor_role):
    actor, member = MemberFactory(role=actor_role), MemberFactory()
    services.set_role(actor=actor, member=member, role=Role.MODERATOR)
    assert role_of(member) == Role.MODERATOR
    assert member.groups.count() == 1  # one role at a time


@pytest.mark.parametrize("actor_role", [Role.MEMBER, Role.MODERATOR, Role.SPONSOR])
def test_nobody_else_changes_roles(db, actor_role):
    actor, member = MemberFactory(role=actor_role), MemberFactory()
    with pytest.raises(PermissionDenied, match="Only community managers and administrators"):
        services.set_role(actor=actor, member=member, role=Role.MODERATOR)
    assert role_of(member) == Role.MEMBER


def test_nobody_changes_their_own_role(db):
    manager = MemberFactory(role=Role.MANAGER)
    with pytest.raises(PermissionDenied, match="your own role"):
        services.set_role(actor=manager, member=manager, role=Role.ADMINISTRATOR)


def test_only_administrators_grant_or_remove_administrator(db):
    manager, member = MemberFactory(role=Role.MANAGER), MemberFactory()
    admin = MemberFactory(role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.set_role(actor=manager, member=member, role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        services.set_role(actor=manager, member=admin, role=Role.MEMBER)
    services.set_role(actor=admin, member=member, role=Role.ADMINISTRATOR)
    member.refresh_from_db()
    assert member.is_superuser and member.is_staff


def test_an_unknown_role_is_refused(db):
    from members.errors import InvalidRole

    with pytest.raises(InvalidRole, match="is not a role here"):
        services.set_role(actor=None, member=MemberFactory(), role="emperor")


def test_role_form_shows_only_to_managers_and_works(client, db):
    manager, member = MemberFactory(role=Role.MANAGER), MemberFactory(handle="sam")
    client.force_login(member)
    assert "Change role" not in client.get("/members/sam/").content.decode()
    assert client.post("/members/sam/role/", {"role": Role.MODERATOR}).status_code == 403
    assert role_of(member) == Role.MEMBER

    client.force_login(manager)
    assert "Change role" in client.get("/members/sam/").content.decode()
    response = client.post("/members/sam/role/", {"role": Role.MODERATOR}, follow=True)
    assert "is now moderator." in response.content.decode()
    assert role_of(member) == Role.MODERATOR


def test_forbidden_role_change_explains_itself(client, db):
    MemberFactory(handle="sam")
    client.force_login(MemberFactory())
    response = client.post("/members/sam/role/", {"role": Role.MODERATOR})
    assert response.status_code == 403
    assert "Only community managers and administrators can change roles." in response.content.decode()


def test_skill_review_is_for_managers(client, db):
    from members.models import Skill

    member = MemberFactory()
    proposed = services.propose_skill(member=member, name="Origami")
    client.force_login(member)
    assert client.get("/members/skills/review/").status_code == 403
    assert client.post(f"/members/skills/{proposed.slug}/approve/").status_code == 403

    client.force_login(MemberFactory(role=Role.MANAGER))
    assert "Origami" in client.get("/members/skills/review/").content.decode()
    client.post(f"/members/skills/{proposed.slug}/approve/")
    assert Skill.objects.get(pk=proposed.pk).status == Skill.Status.APPROVED


def test_merging_skills_keeps_members_on_the_target(client, db):
    from members.models import Skill
    from tests.factories import SkillFactory

    target = SkillFactory(name="Facilitation")
    proposer = MemberFactory()
    duplicate = services.propose_skill(member=proposer, name="Facilitating meetings")
    holder = MemberFactory(skills=[target])
    services.set_skills(member=proposer, skills=[duplicate])
    client.force_login(MemberFactory(role=Role.MANAGER))
    client.post(f"/members/skills/{duplicate.slug}/merge/", {"target": target.slug})
    assert not Skill.objects.filter(pk=duplicate.pk).exists()
    assert list(proposer.skills.all()) == [target]
    assert list(holder.skills.all()) == [target]


def test_rename_to_an_existing_name_is_refused(db):
    from members.errors import InvalidSkill
    from tests.factories import SkillFactory

    manager = MemberFactory(role=Role.MANAGER)
    SkillFactory(name="Python")
    other = SkillFactory(name="Pyhton")
    with pytest.raises(InvalidSkill, match="merge the two instead"):
        services.rename_skill(actor=manager, skill=other, name="python")
    services.rename_skill(actor=manager, skill=other, name="Python programming")
    other.refresh_from_db()
    assert other.name == "Python programming"
