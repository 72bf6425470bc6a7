"""Role changes and changes to the skill taxonomy leave one audit row each (who, what, when), in the
transaction of the change; administrators read them, nobody edits them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.roles import Role
from members import services
from members.models import AuditEntry
from tests.factories import MemberFactory, SkillFactory


@pytest.fixture
def manager(db):
    manager = MemberFactory(handle="maria", display_name="Maria Manager", role=Role.MANAGER)
    AuditEntry.objects.all().delete()  # the system's grant of the role is audited; count from here
    return manager


@pytest.fixture
def administrator(db):
    administrator = MemberFactory(handle="root", display_name="Ada Root", role=Role.ADMINISTRATOR)
    AuditEntry.objects.all().delete()
    return administrator


def only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def test_a_role_change_writes_one_entry(manager):
    member = MemberFactory(handle="sam", display_name="Sam Sample")
    AuditEntry.objects.all().delete()  # accounts made with a role by the system are audited too
    before = timezone.now()

    services.set_role(actor=manager, member=member, role=Role.MODERATOR)

    entry = only_entry()
    assert entry.action == AuditEntry.Action.ROLE_CHANGED
    assert (entry.actor, entry.member, entry.skill) == (manager, member, None)
    assert entry.target == "Sam Sample (@sam)"
    assert entry.details == {"from": "member", "to": "moderator"}
    assert before <= entry.created <= timezone.now()


def test_setting_the_role_a_member_has_writes_nothing(manager):
    member = MemberFactory()
    count = AuditEntry.objects.count()
    services.set_role(actor=manager, member=member, role=Role.MEMBER)
    assert AuditEntry.objects.count() == count


def test_new_members_leave_no_entry_but_a_privileged_account_made_by_the_system_does(db):
    MemberFactory()
    assert not AuditEntry.objects.exists()
    admin = MemberFactory(role=Role.ADMINISTRATOR)
    entry = only_entry()
    assert (entry.actor, entry.member, entry.details["to"]) == (None, admin, "administrator")


def test_a_refused_role_change_writes_nothing(db):
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        services.set_role(actor=MemberFactory(), member=member, role=Role.MODERATOR)
    assert not AuditEntry.objects.exists()


def test_approving_a_skill_writes_one_entry(manager):
    skill = services.propose_skill(member=MemberFactory(), name="Knot tying")
    services.approve_skill(actor=manager, skill=skill)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.skill, entry.target) == (
        AuditEntry.Action.SKILL_APPROVED,
        manager,
        skill,
        "Knot tying",
    )


def test_adding_a_skill_writes_one_entry(manager):
    skill = services.add_skill(actor=manager, name="Mentoring")
    entry = only_entry()
    assert (entry.action, entry.actor, entry.skill) == (AuditEntry.Action.SKILL_ADDED, manager, skill)


def test_renaming_a_skill_writes_one_entry_with_both_names(manager):
    skill = SkillFactory(name="Pyhton")
    services.rename_skill(actor=manager, skill=skill, name="Python")
    entry = only_entry()
    assert (entry.action, entry.actor, entry.skill) == (AuditEntry.Action.SKILL_RENAMED, manager, skill)
    assert entry.details == {"from": "Pyhton", "to": "Python"}


def test_merging_skills_writes_one_entry_that_outlives_the_merged_skill(manager):
    source, target = SkillFactory(name="Facilitating"), SkillFactory(name="Facilitation")
    holder = MemberFactory(skills=[source])
    services.merge_skills(actor=manager, source=source, target=target)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.skill) == (AuditEntry.Action.SKILL_MERGED, manager, target)
    assert entry.target == "Facilitating → Facilitation"
    assert entry.details == {"merged": "Facilitating", "into": "Facilitation", "members": 1}
    assert list(holder.skills.all()) == [target]


def test_a_refused_skill_change_writes_nothing(db):
    skill = SkillFactory(name="Python")
    with pytest.raises(PermissionDenied):
        services.rename_skill(actor=MemberFactory(), skill=skill, name="Snakes")
    assert not AuditEntry.objects.exists()


def test_the_site_pages_write_entries_too(client, manager):
    member = MemberFactory(handle="sam")
    AuditEntry.objects.all().delete()
    client.force_login(manager)
    client.post("/members/sam/role/", {"role": Role.MODERATOR})
    skill = services.propose_skill(member=member, name="Origami")
    client.post(f"/members/skills/{skill.slug}/approve/")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        AuditEntry.Action.SKILL_APPROVED,
        AuditEntry.Action.ROLE_CHANGED,
    ]  # newest first


# Who reads the audit


def test_administrators_read_the_audit_on_the_site_and_in_the_admin(client, manager, administrator):
    services.set_role(actor=manager, member=MemberFactory(handle="sam", display_name="Sam Sample"), role=Role.MODERATOR)
    client.force_login(administrator)

    page = client.get("/members/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Maria Manager" in text and "Sam Sample (@sam)" in text and "changed a role" in text

    admin_list = client.get("/admin/members/auditentry/")
    assert admin_list.status_code == 200 and "Sam Sample (@sam)" in admin_list.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR, Role.MANAGER, Role.SPONSOR])
def test_nobody_else_reads_the_audit(client, db, role):
    client.force_login(MemberFactory(role=role))
    assert client.get("/members/audit/").status_code == 403
    assert client.get("/admin/members/auditentry/").status_code in (302, 403)


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/members/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nobody_adds_changes_or_deletes_audit_entries_in_the_admin(client, manager, administrator):
    services.set_role(actor=manager, member=MemberFactory(), role=Role.MODERATOR)
    entry = AuditEntry.objects.get()
    client.force_login(administrator)

    assert client.get("/admin/members/auditentry/add/").status_code == 403
    assert client.post(f"/admin/members/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/members/auditentry/{entry.pk}/change/", {"action": "skill_added", "target": "forged"})
    entry.refresh_from_db()
    assert (entry.action, entry.target) != ("skill_added", "forged")
    assert AuditEntry.objects.count() == 1


def test_the_audit_page_costs_the_same_whatever_its_entries(client, manager, administrator, django_assert_num_queries):
    client.force_login(administrator)
    for n in range(3):
        services.add_skill(actor=manager, name=f"Skill {n}")
    with django_assert_num_queries(4):  # session, administrator, the count, the page with its actors
        assert client.get("/members/audit/").status_code == 200
    for n in range(3, 20):
        services.add_skill(actor=MemberFactory(role=Role.MANAGER), name=f"Skill {n}")
    with django_assert_num_queries(4):
        assert client.get("/members/audit/").status_code == 200


def test_set_role_costs_a_fixed_number_of_queries(manager, django_assert_num_queries):
    member = MemberFactory()
    # savepoint, the manager's permissions (two), the member's groups, the role groups, remove,
    # the new role's group, add, save, audit row, release
    with django_assert_num_queries(11):
        services.set_role(actor=manager, member=member, role=Role.MODERATOR)
