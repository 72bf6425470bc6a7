"""Follows: no obligation (rule 7); follow-for-follow and unfollow-on-no-follow-back weighted down (rule 8)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from community.roles import Role
from members import services
from members.my_reciprocity import follow_summary
from members.errors import ReciprocityError
from members.models import Follow, Give, Notification
from members.scoring import FOLLOW_FOR_FOLLOW_WEIGHT, UNFOLLOW_CHURN_WEIGHT
from members.selectors import follow_figures, owed_to
from tests.factories import MemberFactory


def test_a_follow_is_recorded_and_the_followed_member_is_told(ana, ben, django_capture_on_commit_callbacks):
    # Given two members; when Ana follows Ben
    with django_capture_on_commit_callbacks() as callbacks:
        follow = services.follow(follower=ana, followed=ben)
    # Then the follow is live at full weight, Ben is notified (after commit, live), and counts show it
    assert (follow.follower, follow.followed, follow.ended_at, follow.weight, follow.flags) == (ana, ben, None, 1.0, [])
    notification = Notification.objects.get(recipient=ben)
    assert (notification.text, notification.url, notification.actor) == ("Ana followed you", "/members/ana/", ana)
    assert len(callbacks) == 1
    assert follow_figures(ben, viewer=ana) == follow_figures(ben, viewer=ana).__class__(
        followers=1, following=0, viewer_follows=True, follows_viewer=False
    )


# Rule 7: a follow creates no obligation.
def test_a_follow_is_not_a_give_and_is_never_owed(ana, ben):
    # When Ana follows Ben
    services.follow(follower=ana, followed=ben)
    # Then nothing lands in the ledger or on Ben's Pay it back, and his counters do not move
    ben.refresh_from_db()
    assert not Give.objects.exists()
    assert list(owed_to(ben)) == []
    assert (ben.gives_received, ben.owed_count) == (0, 0)


def test_not_following_back_costs_nothing(ana, ben):
    # Given Ana follows Ben and Ben never follows back
    services.follow(follower=ana, followed=ben)
    # Then Ben's own figures carry no mark for it
    summary = follow_summary(ben)
    assert (summary.followers, summary.follow_for_follow, summary.unfollow_churn) == (1, 0, 0)


@pytest.mark.parametrize("case, message", [("self", "cannot follow yourself"), ("twice", "already follow Ben")])
def test_bad_follows_are_refused_and_change_nothing(ana, ben, case, message):
    if case == "twice":
        services.follow(follower=ana, followed=ben)
    before = (Follow.objects.count(), Notification.objects.count())
    with pytest.raises(ReciprocityError, match=message):
        services.follow(follower=ana, followed=ana if case == "self" else ben)
    assert (Follow.objects.count(), Notification.objects.count()) == before


def test_unfollowing_someone_you_do_not_follow_is_refused(ana, ben):
    with pytest.raises(ReciprocityError, match="You do not follow Ben"):
        services.unfollow(follower=ana, followed=ben)
    assert not Follow.objects.exists()


def test_unfollow_ends_the_follow_and_tells_nobody(ana, ben):
    # Given Ana has followed Ben for a month
    services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(days=30))
    Notification.objects.all().delete()
    # When she unfollows
    follow = services.unfollow(follower=ana, followed=ben)
    # Then the follow has ended, nobody hears of it, and she may follow again later
    assert follow.ended_at is not None and follow.flags == []
    assert not Notification.objects.exists()
    assert follow_figures(ben, viewer=ana).followers == 0
    services.follow(follower=ana, followed=ben)
    assert Follow.objects.filter(follower=ana, followed=ben).count() == 2


def test_following_again_soon_after_unfollowing_does_not_notify_again(ana, ben):
    services.follow(follower=ana, followed=ben)
    services.unfollow(follower=ana, followed=ben)
    services.follow(follower=ana, followed=ben)
    assert Notification.objects.filter(recipient=ben).count() == 1


# Rule 8: follow-for-follow is weighted down, both ways.
def test_a_follow_back_within_minutes_flags_both_follows(ana, ben):
    # Given Ana followed Ben five minutes ago
    first = services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(minutes=5))
    # When Ben follows back now
    back = services.follow(follower=ben, followed=ana)
    # Then both follows are follow-for-follow and count less
    first.refresh_from_db()
    assert first.flags == back.flags == ["follow_for_follow"]
    assert first.weight == back.weight == FOLLOW_FOR_FOLLOW_WEIGHT
    assert follow_summary(ana).weighted_followers == FOLLOW_FOR_FOLLOW_WEIGHT
    assert follow_summary(ben).follow_for_follow == 1


def test_a_follow_back_after_the_window_is_genuine(ana, ben):
    first = services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(hours=3))
    back = services.follow(follower=ben, followed=ana)
    first.refresh_from_db()
    assert first.flags == back.flags == []
    assert first.weight == back.weight == 1.0


# Rule 8: unfollow-on-no-follow-back is weighted down, on the one who unfollows.
def test_unfollowing_within_a_week_without_a_follow_back_is_churn(ana, ben):
    # Given Ana followed Ben two days ago and Ben did not follow back
    services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(days=2))
    # When Ana unfollows
    follow = services.unfollow(follower=ana, followed=ben)
    # Then the follow is flagged as churn and weighs on Ana's figures, not Ben's
    assert follow.flags == ["unfollow_churn"] and follow.weight == UNFOLLOW_CHURN_WEIGHT
    assert follow_summary(ana).unfollow_churn == 1
    assert follow_summary(ben).unfollow_churn == 0


@pytest.mark.parametrize("case", ["followed back", "after a week"])
def test_unfollowing_is_not_churn_after_a_follow_back_or_a_week(ana, ben, case):
    days = 2 if case == "followed back" else 8
    services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(days=days))
    if case == "followed back":
        services.follow(follower=ben, followed=ana, at=timezone.now() - timedelta(days=1))
    follow = services.unfollow(follower=ana, followed=ben)
    assert follow.flags == [] and follow.weight == 1.0


# Rule 7: the scores are private to the member and managers.
def test_follow_scores_show_on_my_reciprocity_only_to_the_member_and_managers(client, ana, ben):
    services.follow(follower=ana, followed=ben, at=timezone.now() - timedelta(days=1))
    services.unfollow(follower=ana, followed=ben)
    client.force_login(ana)
    page = client.get("/members/me/reciprocity/").content.decode()
    assert "Unfollowed after no follow-back</dt><dd>1<" in page
    client.force_login(ben)
    assert client.get("/members/ana/reciprocity/").status_code == 403
    public = client.get("/members/ana/").content.decode()
    assert "follow-for-follow" not in public.lower() and "no follow-back" not in public
    client.force_login(MemberFactory(role=Role.MANAGER))
    assert "Unfollowed after no follow-back</dt><dd>1<" in client.get("/members/ana/reciprocity/").content.decode()


def test_follow_and_unfollow_from_the_profile_page(client, ana, ben):
    # Given Ana on Ben's profile
    client.force_login(ana)
    page = client.get("/members/ben/").content.decode()
    assert "<strong>0</strong> followers" in page and ">Follow<" in page
    # When she follows him
    response = client.post("/members/ben/follow/", follow=True)
    # Then she sees the count and an unfollow button
    page = response.content.decode()
    assert "You follow Ben" in page and "<strong>1</strong> follower<" in page and ">Unfollow<" in page
    # And following twice is a clear message, not an error page
    response = client.post("/members/ben/follow/", follow=True)
    assert response.status_code == 200 and "You already follow Ben" in response.content.decode()
    # When Ben looks at Ana's profile he sees that she follows him
    client.force_login(ben)
    assert "Follows you" in client.get("/members/ana/").content.decode()
    # When Ana unfollows
    client.force_login(ana)
    page = client.post("/members/ben/unfollow/", follow=True).content.decode()
    assert "You no longer follow Ben" in page and "<strong>0</strong> followers" in page
    assert Follow.objects.get().ended_at is not None


def test_follow_pages_refuse_get_and_unknown_members(client, ana):
    client.force_login(ana)
    assert client.get("/members/ana/follow/").status_code == 405
    assert client.post("/members/nobody-here/follow/").status_code == 404
    assert not Follow.objects.exists()


def test_follow_service_query_counts(ana, ben, django_assert_num_queries):
    # (the service's own savepoint, 2, as the test runs in a transaction) follow-back lookup, recent
    # follows by the pair, the insert's savepoint (2), insert, notification
    with django_assert_num_queries(8):
        services.follow(follower=ana, followed=ben)
    # savepoint (2), the live follow for update, the reverse follow, update
    with django_assert_num_queries(5):
        services.unfollow(follower=ana, followed=ben)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_concurrent_follows_end_as_one():
    follower, followed = MemberFactory(), MemberFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def follow_once():
        try:
            barrier.wait()
            services.follow(follower=follower, followed=followed)
            outcomes.append("ok")
        except ReciprocityError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=follow_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["ok", f"You already follow {followed.name}."])
    assert Follow.objects.count() == 1
    assert connection.vendor == "postgresql"
