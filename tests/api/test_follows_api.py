"""Follows through the API: the same rules as the profile page, clear 4xx answers for bad requests."""

from rest_framework.test import APIClient

from members.models import Follow, Notification
from tests.factories import MemberFactory


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member)
    return api


def test_follow_then_unfollow(ana, ben):
    api = client_for(ana)
    # When Ana follows Ben
    created = api.post("/api/v1/members/ben/follow/")
    # Then the follow is created, Ben is told, and his detail shows the count
    assert created.status_code == 201
    body = created.json()
    assert (body["follower"]["handle"], body["followed"]["handle"], body["ended_at"]) == ("ana", "ben", None)
    assert Notification.objects.get(recipient=ben).text == "Ana followed you"
    assert api.get("/api/v1/members/ben/").json()["follows"] == {
        "followers": 1,
        "following": 0,
        "you_follow": True,
        "follows_you": False,
    }
    assert client_for(ben).get("/api/v1/members/ana/").json()["follows"]["follows_you"] is True
    # When she unfollows
    ended = api.delete("/api/v1/members/ben/follow/")
    assert ended.status_code == 200 and ended.json()["ended_at"] is not None
    assert api.get("/api/v1/members/ben/").json()["follows"]["followers"] == 0


def test_following_twice_is_a_clear_409(ana, ben):
    api = client_for(ana)
    api.post("/api/v1/members/ben/follow/")
    again = api.post("/api/v1/members/ben/follow/")
    assert again.status_code == 409
    assert again.json() == {"detail": "You already follow Ben."}
    assert Follow.objects.count() == 1


def test_bad_follow_requests_change_nothing(ana):
    api = client_for(ana)
    yourself = api.post("/api/v1/members/ana/follow/")
    assert yourself.status_code == 400 and yourself.json() == {"detail": "You cannot follow yourself."}
    assert api.post("/api/v1/members/nobody/follow/").status_code == 404
    MemberFactory(handle="ben", display_name="Ben")
    not_following = api.delete("/api/v1/members/ben/follow/")
    assert not_following.status_code == 400 and not_following.json() == {"detail": "You do not follow Ben."}
    assert not Follow.objects.exists()


def test_anonymous_cannot_follow(ben):
    assert APIClient().post("/api/v1/members/ben/follow/").status_code in (401, 403)
    assert not Follow.objects.exists()


def test_follow_scores_are_in_the_private_summary_only(ana, ben):
    api = client_for(ana)
    api.post("/api/v1/members/ben/follow/")
    api.delete("/api/v1/members/ben/follow/")
    follows = api.get("/api/v1/members/ana/reciprocity/").json()["follows"]
    assert follows == {
        "followers": 0,
        "weighted_followers": 0.0,
        "following": 0,
        "follow_for_follow": 0,
        "unfollow_churn": 1,
    }
    assert client_for(ben).get("/api/v1/members/ana/reciprocity/").status_code == 403
    public = client_for(ben).get("/api/v1/members/ana/").json()
    assert "unfollow_churn" not in str(public)
