"""Groups: managers open them; members join, ask or are invited; visibility is never leaked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from community.roles import Role
from forums import selectors, services
from forums.errors import ForumError
from forums.models import Group, GroupMembership
from tests.factories import MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


def test_only_managers_open_groups_and_names_are_unique():
    manager = MemberFactory(role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.create_group(actor=MemberFactory(), name="Onboarding")
    group = services.create_group(actor=manager, name="Onboarding")
    assert group.slug == "onboarding" and group.contributions_before_promotion == 3
    assert GroupMembership.objects.get(group=group).role == GroupMembership.Role.MODERATOR
    with pytest.raises(ForumError, match="already a group"):
        services.create_group(actor=manager, name="Onboarding")
    with pytest.raises(ForumError, match="reserved"):
        services.create_group(actor=manager, name="Search")
    assert Group.objects.count() == 1


def test_joining_follows_the_groups_policy():
    member = MemberFactory()
    open_group = make_group(policy="open")
    asking = make_group(policy="request")
    invite_only = make_group(policy="invite")
    assert services.join_group(member=member, group=open_group).status == GroupMembership.Status.ACTIVE
    assert services.join_group(member=member, group=asking).status == GroupMembership.Status.REQUESTED
    with pytest.raises(PermissionDenied, match="invitation"):
        services.join_group(member=member, group=invite_only)
    with pytest.raises(ForumError, match="already"):
        services.join_group(member=member, group=open_group)


def test_a_group_moderator_answers_requests():
    group = make_group(policy="request")
    member = MemberFactory()
    membership = services.join_group(member=member, group=group)
    with pytest.raises(PermissionDenied):
        services.decide_membership(actor=member, membership_id=membership.pk, approve=True)
    services.decide_membership(actor=group.created_by, membership_id=membership.pk, approve=True)
    assert selectors.is_active_member(member, group)
    group.refresh_from_db()
    assert group.member_count == 2


def test_an_invitation_opens_a_private_group():
    group = make_group(visibility="private", policy="invite")
    member = MemberFactory()
    with pytest.raises(Http404):
        selectors.access_group(member, group.slug)
    services.invite_member(actor=group.created_by, group=group, member=member)
    services.join_group(member=member, group=group)
    assert selectors.access_group(member, group.slug) == group


def test_private_groups_are_invisible_to_outsiders_and_their_posts_unsearchable():
    insider, outsider = MemberFactory(), MemberFactory()
    private = make_group(visibility="private", policy="invite", members=[insider])
    make_thread(group=private, author=insider, title="Secret roadmap", body="The roadmap for next year")
    public = make_group(visibility="public", members=[insider])
    make_thread(group=public, author=insider, title="Open roadmap", body="The roadmap everyone sees")
    assert private not in selectors.visible_groups(outsider)
    assert [post.thread.title for post in selectors.search(outsider, "roadmap")] == ["Open roadmap"]
    assert {post.thread.title for post in selectors.search(insider, "roadmap")} == {"Open roadmap", "Secret roadmap"}


def test_members_only_groups_ask_visitors_to_sign_in():
    from django.contrib.auth.models import AnonymousUser

    group = make_group(visibility="members")
    with pytest.raises(PermissionDenied, match="Sign in"):
        selectors.access_group(AnonymousUser(), group.slug)


def test_an_invitee_accepts_a_private_groups_invitation_on_its_page(client):
    from tests.factories import PASSWORD

    # Given a private group with a thread, and a member invited to it
    group = make_group(name="Inner Room", visibility="private", policy="invite")
    make_thread(group=group, author=group.created_by, title="Board minutes")
    invitee = MemberFactory()
    services.invite_member(actor=group.created_by, group=group, member=invitee)
    client.login(username=invitee.email, password=PASSWORD)
    # When they open the group, they meet it by name, with the invitation, and not yet its threads
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200 and "Inner Room" in page.text
    assert "Accept the invitation" in page.text and "You are invited" in page.text
    assert "Board minutes" not in page.text and "No threads yet" not in page.text
    # And when they accept, they are in and read its threads
    joined = client.post(f"/forums/{group.slug}/join/", follow=True)
    assert "Welcome to Inner Room" in joined.text and "Board minutes" in joined.text
    assert selectors.is_active_member(invitee, group)


def test_an_invitee_declines_a_private_groups_invitation(client):
    from tests.factories import PASSWORD

    group = make_group(name="Inner Room", visibility="private", policy="invite")
    invitee, stranger = MemberFactory(), MemberFactory()
    services.invite_member(actor=group.created_by, group=group, member=invitee)
    client.login(username=invitee.email, password=PASSWORD)
    declined = client.post(f"/forums/{group.slug}/leave/", follow=True)
    assert "You declined the invitation to Inner Room" in declined.text
    assert not GroupMembership.objects.filter(group=group, member=invitee).exists()
    # Once declined, or never invited, the group is not found at all
    assert client.get(group.get_absolute_url()).status_code == 404
    client.force_login(stranger)
    assert client.post(f"/forums/{group.slug}/join/").status_code == 404
