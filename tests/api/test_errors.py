"""One way to say no: a refused rule answers with its own status and one shape in every app, and
every error under /api/ is JSON, whichever layer gave it."""

import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from forums.models import Thread
from members import services as member_services
from tests.factories import PASSWORD, MemberFactory, SkillFactory, make_group, make_thread

pytestmark = pytest.mark.django_db


def client_for(member) -> APIClient:
    api = APIClient()
    api.force_authenticate(member)
    return api


def test_a_duplicate_is_a_409_with_its_message_in_members_as_in_forums(ana):
    # Given a member with a skill Ana endorsed, and a post Ana reacted to
    skill = SkillFactory(name="Facilitation")
    ben = MemberFactory(handle="ben", display_name="Ben", skills=[skill])
    member_services.endorse(endorser=ana, endorsee=ben, skill=skill)
    thread = make_thread(author=ben)
    api = client_for(ana)
    assert api.post(f"/api/v1/forums/posts/{thread.posts.get().pk}/reactions/", {"kind": "like"}).status_code == 201

    # When she does each again
    endorsed = api.post("/api/v1/endorsements/", {"member": "ben", "skill": skill.slug}, format="json")
    reacted = api.post(f"/api/v1/forums/posts/{thread.posts.get().pk}/reactions/", {"kind": "like"})

    # Then both apps answer alike: 409 and the rule's own words
    assert endorsed.status_code == reacted.status_code == 409
    assert endorsed.json() == {"detail": "You have already endorsed Ben for Facilitation."}
    assert reacted.json() == {"detail": "You have already marked this post like."}


def test_a_refusal_about_a_nested_field_is_nested_in_the_api_and_flat_on_the_page(client, ana):
    group = make_group(members=[ana])
    thread = {"title": "Meetup day", "kind": "discussion", "body": "Which day suits everyone?"}

    answer = client_for(ana).post(
        f"/api/v1/forums/groups/{group.slug}/threads/",
        {**thread, "poll": {"question": "?", "options": ["Tuesday", "Thursday"]}},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"poll": {"question": ["A poll question is 3 to 200 characters."]}}

    client.login(username=ana.email, password=PASSWORD)
    page = client.post(
        f"/forums/{group.slug}/new/", {**thread, "poll_question": "?", "poll_options": "Tuesday\nThursday"}
    )
    assert page.status_code == 400
    assert page.context["form"].errors == {"poll_question": ["A poll question is 3 to 200 characters."]}
    assert not Thread.objects.exists()


def test_a_refusal_on_a_page_is_a_message_and_the_page_goes_on(client, ana):
    ben = MemberFactory(handle="ben", display_name="Ben")
    client.login(username=ana.email, password=PASSWORD)
    client.post(f"/members/{ben.username}/follow/", follow=True)
    again = client.post(f"/members/{ben.username}/follow/", follow=True)
    assert again.status_code == 200
    assert [str(message) for message in again.context["messages"]] == ["You already follow Ben."]


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/forums/nope/", "/api/v2/nope/", "/api/nope/"])
def test_an_unknown_api_address_is_a_json_404(path):
    answer = Client().get(path)
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Not found."}


def test_pages_outside_the_api_keep_their_html_404(client):
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("text/html")


def test_an_unexpected_error_under_the_api_is_a_logged_json_500(ana, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the directory broke")

    monkeypatch.setattr("members.selectors.directory", broken)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(ana)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        answer = api.get("/api/v1/members/")
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"
    assert "went wrong" in answer.json()["detail"] and "directory broke" not in answer.text
    assert any(record.exc_info and "the directory broke" in str(record.exc_info[1]) for record in caplog.records)


def test_a_malformed_multipart_body_is_a_json_400(ana):
    api = client_for(ana)
    answer = api.generic(
        "PATCH", "/api/v1/me/", b"--x\r\nContent-Disposition: form-data\r\n\r\n", content_type="multipart/form-data"
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json" and answer.json()["detail"]
