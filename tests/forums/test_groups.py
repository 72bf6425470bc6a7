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
