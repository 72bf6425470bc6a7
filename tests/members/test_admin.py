"""Sign-up and the Django admin write members through the services: the directory finds what they
wrote, role changes go through the role service, and a member is deleted only through the service."""

import pytest
from django.db.models import ProtectedError

from community.roles import Role
from members.models import AuditEntry, Member, Skill
from members.selectors import role_of
from tests.factories import PASSWORD, MemberFactory, SkillFactory, make_thread


def directory_handles(client, query: str) -> list[str]:
    response = client.get("/members/", {"q": query})
    assert response.status_code == 200
    return [member.username for member in response.context["members"]]


@pytest.fixture
def administrator(db):
    return MemberFactory(handle="root", display_name="Ada Root", role=Role.ADMINISTRATOR)


def change_form(member: Member, **changes) -> dict:
    """What the admin's change form posts for `member`, with `changes` applied."""
    data = {
        "username": member.username,
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "is_active": "on",
        "role": role_of(member).value,
        "display_name": member.display_name,
        "headline": member.headline,
        "organisation": member.organisation,
        "job_title": member.job_title,
        "location": member.location,
        "bio": member.bio,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Sign-up


def test_a_member_who_signs_up_is_found_in_the_directory(client, db):
    # Given a newcomer who signs up through the form
    response = client.post(
        "/accounts/signup/",
        {"email": "zelda@example.org", "username": "zelda-quist", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    zelda = Member.objects.get(email="zelda@example.org")
    assert role_of(zelda) == Role.MEMBER

    # When another member searches the directory for their handle
    client.force_login(MemberFactory())

    # Then the newcomer is found (on PostgreSQL through the search document the service keeps)
    assert directory_handles(client, "zelda-quist") == ["zelda-quist"]


# Admin edits


def test_an_admin_edit_of_name_and_headline_is_found_by_the_new_words(client, administrator):
    member = MemberFactory(handle="quill", display_name="Old Name")
    client.force_login(administrator)

    response = client.post(
        f"/admin/members/member/{member.pk}/change/",
        change_form(member, display_name="Quentin Marsh", headline="Lectures on papercraft"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    member.refresh_from_db()
    assert member.display_name == "Quentin Marsh"
    assert directory_handles(client, "Quentin") == ["quill"]
    assert directory_handles(client, "papercraft") == ["quill"]
    assert directory_handles(client, "Old") == []


def test_an_account_added_in_the_admin_is_a_member_with_an_address_allauth_knows(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/members/member/add/",
        {
            "username": "nadia",
            "email": "nadia@example.org",
            "display_name": "Nadia Okafor",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    nadia = Member.objects.get(username="nadia")
    assert role_of(nadia) == Role.MEMBER
    assert nadia.emailaddress_set.get().email == "nadia@example.org"
    assert directory_handles(client, "Okafor") == ["nadia"]


# Roles in the admin go through the role service and its audit


def test_the_admin_changes_a_role_through_the_role_service(client, administrator):
    member = MemberFactory(handle="sam")
    client.force_login(administrator)

    response = client.post(f"/admin/members/member/{member.pk}/change/", change_form(member, role=Role.MANAGER))

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert role_of(member) == Role.MANAGER and member.groups.count() == 1
    assert member.is_staff and not member.is_superuser
    entry = AuditEntry.objects.get(actor=administrator)
    assert (entry.actor, entry.member) == (administrator, member)
    assert entry.details == {"from": Role.MEMBER.value, "to": Role.MANAGER.value}


def test_the_admin_does_not_write_staff_superuser_or_groups_directly(client, administrator):
    member = MemberFactory(handle="sam")
    client.force_login(administrator)
    page = client.get(f"/admin/members/member/{member.pk}/change/").content.decode()
    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in page

    client.post(
        f"/admin/members/member/{member.pk}/change/",
        change_form(member, is_staff="on", is_superuser="on", groups=["1", "2"]),
    )

    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser
    assert role_of(member) == Role.MEMBER and member.groups.count() == 1


def test_the_admin_refuses_to_change_an_administrators_own_role_with_a_message(client, administrator):
    client.force_login(administrator)
    response = client.post(
        f"/admin/members/member/{administrator.pk}/change/", change_form(administrator, role=Role.MEMBER)
    )
    assert response.status_code == 200
    assert "You cannot change your own role." in response.content.decode()
    assert role_of(administrator) == Role.ADMINISTRATOR


# No raw delete of members


def test_the_admin_deletes_a_member_only_through_the_service(client, administrator):
    """The delete page and the bulk action call `delete_member` (see tests/members/test_leaving.py):
    the row stays, anonymised, and nothing cascades."""
    member = MemberFactory(handle="sam")
    moderator = MemberFactory(handle="mod", role=Role.MANAGER)
    client.force_login(moderator)
    assert client.post(f"/admin/members/member/{member.pk}/delete/", {"post": "yes"}).status_code == 403

    client.force_login(administrator)
    assert client.post(f"/admin/members/member/{member.pk}/delete/", {"post": "yes"}).status_code == 302
    member.refresh_from_db()
    assert member.is_former
    # An account already gone offers no delete
    assert client.get(f"/admin/members/member/{member.pk}/delete/").status_code == 403


def test_the_admin_offers_no_add_or_delete_of_skills(client, administrator):
    skill = SkillFactory(name="Facilitation")
    client.force_login(administrator)
    assert client.get("/admin/members/skill/add/").status_code == 403
    assert client.post(f"/admin/members/skill/{skill.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Skill.objects.filter(pk=skill.pk).exists()


def test_a_member_with_posts_cannot_be_deleted_under_the_others(db):
    author = MemberFactory()
    thread = make_thread(author=author)
    with pytest.raises(ProtectedError):
        author.delete()
    assert thread.posts.exists()

    replier = MemberFactory()
    from forums import services as forum_services
    from tests.factories import make_member_of

    make_member_of(thread.group, replier)
    forum_services.reply(author=replier, thread=thread, body="I answer newcomers' first posts within a day.")
    with pytest.raises(ProtectedError):
        replier.delete()


def test_wagtail_user_management_does_not_delete_or_edit_members_around_the_services(client, administrator):
    member = MemberFactory(handle="sam")
    client.force_login(administrator)

    assert client.post(f"/cms/users/delete/{member.pk}/").status_code == 302
    assert Member.objects.filter(pk=member.pk).exists()
    response = client.post(
        "/cms/bulk/members/member/delete/", {"id": [member.pk]}, query_params={"id": member.pk}
    )
    assert response.status_code == 302
    assert Member.objects.filter(pk=member.pk).exists()

    response = client.post(f"/cms/users/edit/{member.pk}/", {"username": "sam", "is_superuser": "on"})
    assert response.status_code == 302 and response["Location"] == f"/admin/members/member/{member.pk}/change/"
    assert client.get("/cms/users/new/")["Location"] == "/admin/members/member/add/"
    member.refresh_from_db()
    assert not member.is_superuser


def test_a_member_in_the_ledger_cannot_be_deleted_under_the_other_side(ana, ben):
    from members import services

    skill = SkillFactory(name="Facilitation")
    services.edit_profile(member=ben, fields={}, skills=[skill])
    services.endorse(endorser=ana, endorsee=ben, skill=skill)
    for member in (ana, ben):
        with pytest.raises(ProtectedError):
            member.delete()
    ben.refresh_from_db()
    assert ben.gives_received == 1


def test_role_groups_are_not_edited_or_deleted_in_the_admin(client, administrator):
    from django.contrib.auth.models import Group

    client.force_login(administrator)
    member_role = Group.objects.get(name=Role.MEMBER.value)
    assert client.post(f"/admin/auth/group/{member_role.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/auth/group/{member_role.pk}/change/", {"name": "renamed"})
    assert Group.objects.filter(name=Role.MEMBER.value).exists()
    assert "delete_selected" not in client.get("/admin/auth/group/").content.decode()
