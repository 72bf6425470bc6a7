"""What a visitor is told about groups they cannot read yet, the sign-in way out of a refused
thread, the members a mention can reach, and the poll answering in place."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from community.roles import Role
from forums import services
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def signed_in(client, member):
    client.login(username=member.email, password=PASSWORD)
    return client


# The group list ----------------------------------------------------------------------------------


def test_a_visitor_sees_members_only_groups_with_a_way_in_and_no_private_group(client, django_assert_num_queries):
    make_group(name="Open Square", visibility="public")
    lounge = make_group(name="Members Lounge", visibility="members")
    make_group(name="Board Room", visibility="private", policy="invite")
    with django_assert_num_queries(1):  # the groups, in one query: a visitor has no session to read
        page = client.get(reverse("forums:groups")).text
    assert "Open Square" in page and "Members Lounge" in page and "Board Room" not in page
    assert f'href="/accounts/login/?next={lounge.get_absolute_url()}">Sign in to read</a>' in page
    assert page.count("data-group=") == 1  # live activity only for the group the visitor reads


def test_an_invited_member_sees_the_private_group_they_are_invited_to(client):
    manager = MemberFactory(role=Role.MANAGER)
    board = make_group(manager=manager, name="Board Room", visibility="private", policy="invite")
    make_group(manager=manager, name="Other Room", visibility="private", policy="invite")
    guest = MemberFactory()
    services.invite_member(actor=manager, group=board, member=guest)
    page = signed_in(client, guest).get(reverse("forums:groups")).text
    assert "Board Room" in page and "See the invitation" in page and "Other Room" not in page


# The 403 of a members-only thread ---------------------------------------------------------------


def test_a_visitor_refused_a_members_only_thread_is_offered_to_sign_in_and_come_back(client):
    thread = make_thread(group=make_group(visibility="members"), title="Members talk")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 403 and "Members talk" not in response.text
    assert f'href="/accounts/login/?next={thread.get_absolute_url()}">Sign in</a>' in response.text


def test_a_signed_in_member_refused_something_is_not_asked_to_sign_in(client):
    signed_in(client, MemberFactory())
    response = client.get(reverse("forums:moderation"))
    assert response.status_code == 403 and "/accounts/login/?next=" not in response.text


# Members a mention reaches ------------------------------------------------------------------------


@pytest.fixture
def people():
    ana = MemberFactory(handle="ana", display_name="Ana Costa")
    kira = MemberFactory(handle="kira-adeyemi-56", display_name="Kira Adeyemi")
    kim = MemberFactory(handle="kim", display_name="Kim Adler")
    gone = MemberFactory(handle="kira-gone", display_name="Kira Gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    # The groups' creator, named so that no query of these tests matches them (a made-up name might).
    MemberFactory(handle="group-maker", display_name="Maya Lind", role=Role.MANAGER)
    return ana, kira, kim


def _group(**fields):
    from members.models import Member

    return make_group(manager=Member.objects.get(username="group-maker"), **fields)


def mentionable(member, group, q):
    api = APIClient()
    if member:
        api.force_authenticate(member)
    return api.get(reverse("api-forums-group-mentionable", args=[group.slug]), {"q": q})


def test_suggestions_match_handles_and_words_of_names_group_members_first(people):
    ana, kira, kim = people
    group = _group(visibility="members", members=[ana, kim])
    assert [m["handle"] for m in mentionable(ana, group, "ki").json()] == ["kim", "kira-adeyemi-56"]
    assert mentionable(ana, group, "ad").json() == [
        {"handle": "kim", "name": "Kim Adler"},
        {"handle": "kira-adeyemi-56", "name": "Kira Adeyemi"},
    ]
    assert mentionable(ana, group, "@kira").json() == [{"handle": "kira-adeyemi-56", "name": "Kira Adeyemi"}]
    assert mentionable(ana, group, "ana").json() == []  # never oneself
    assert mentionable(ana, group, "").json() == []


def test_suggestions_in_a_private_group_are_its_members_only(people):
    ana, kira, kim = people
    group = _group(visibility="private", policy="invite", members=[ana, kim])
    assert [m["handle"] for m in mentionable(ana, group, "ki").json()] == ["kim"]
    assert mentionable(kira, group, "ki").status_code == 404  # outsiders do not learn of the group


def test_a_reply_through_the_api_names_its_unresolved_mentions(people):
    ana, kira, kim = people
    thread = make_thread(group=make_group(members=[ana]))
    api = APIClient()
    api.force_authenticate(ana)
    url = reverse("api-forums-thread-posts", args=[thread.pk])
    answered = api.post(url, {"body": "Ask @kim and @kira-adeyemi."}, format="json")
    assert answered.status_code == 201 and answered.json()["unresolved_mentions"] == ["kira-adeyemi"]


def test_suggestions_are_for_signed_in_members(people):
    group = make_group(visibility="public")
    assert mentionable(None, group, "ki").status_code in (401, 403)


# The poll in place ---------------------------------------------------------------------------------


@pytest.fixture
def poll_thread():
    voter = MemberFactory()
    thread = make_thread(
        group=make_group(members=[voter]),
        poll=services.PollSpec(question="Which day?", options=["Tuesday", "Thursday"]),
    )
    return thread, voter


def test_a_vote_from_the_script_answers_with_the_results_in_place(client, poll_thread):
    thread, voter = poll_thread
    tuesday = thread.poll.options.get(text="Tuesday")
    vote = reverse("forums:vote", args=[thread.poll.pk])
    answered = signed_in(client, voter).post(vote, {"option": tuesday.pk}, **FRAGMENT)
    assert answered.status_code == 200
    fragment = answered.text
    assert fragment.lstrip().startswith('<section class="panel poll" id="poll"') and "<html" not in fragment
    assert "Your vote is counted." in fragment and "1 vote" in fragment and "(your vote)" in fragment
    again = client.post(vote, {"option": tuesday.pk}, **FRAGMENT)
    assert again.status_code == 409 and "You have already voted in this poll." in again.text


def test_a_vote_without_the_script_still_posts_and_returns_to_the_poll(client, poll_thread):
    thread, voter = poll_thread
    option = thread.poll.options.first()
    answered = signed_in(client, voter).post(reverse("forums:vote", args=[thread.poll.pk]), {"option": option.pk})
    assert answered.status_code == 302 and answered.url == f"{thread.get_absolute_url()}#poll"


def test_the_poll_fragment_shows_what_the_viewer_may_see(client, poll_thread):
    thread, voter = poll_thread
    url = reverse("forums:poll", args=[thread.poll.pk])
    assert signed_in(client, voter).get(url).status_code == 302  # a person opening it lands on the thread
    before = client.get(url, **FRAGMENT)
    assert before.status_code == 200 and 'name="option"' in before.text and "<meter" not in before.text
    services.vote(member=voter, poll=thread.poll, option_ids=[thread.poll.options.first().pk])
    assert "<meter" in client.get(url, **FRAGMENT).text


def poll_doors(client, api, poll, option) -> dict[str, int]:
    """What each door of a poll answers: its fragment (script and person), the vote (script and
    person), the API's vote and the API's thread that carries it."""
    fragment, vote = reverse("forums:poll", args=[poll.pk]), reverse("forums:vote", args=[poll.pk])
    return {
        "fragment": client.get(fragment, **FRAGMENT).status_code,
        "fragment, person": client.get(fragment).status_code,
        "vote": client.post(vote, {"option": option.pk}, **FRAGMENT).status_code,
        "vote, person": client.post(vote, {"option": option.pk}).status_code,
        "api vote": api.post(f"/api/v1/forums/polls/{poll.pk}/votes/", {"options": [option.pk]}, format="json").status_code,
        "api thread": api.get(f"/api/v1/forums/threads/{poll.thread_id}/").status_code,
    }


@pytest.mark.parametrize("visibility", ["private", "members"])
def test_an_outsider_neither_sees_nor_votes_in_a_groups_poll_by_any_door(client, visibility):
    # Given a poll in a private (or members-only) group, and a member outside the group
    insider, outsider = MemberFactory(), MemberFactory()
    group = make_group(visibility=visibility, policy="invite", members=[insider])
    thread = make_thread(group=group, author=insider, poll=services.PollSpec(question="Which day?",
                                                                              options=["Tuesday", "Thursday"]))
    poll, option = thread.poll, thread.poll.options.first()
    api = APIClient()
    api.force_authenticate(outsider)
    answers = poll_doors(signed_in(client, outsider), api, poll, option)
    if visibility == "private":  # not found by any door, as the group itself is not
        assert answers == dict.fromkeys(answers, 404)
    else:  # the poll is read as the thread is, but no door takes the outsider's vote
        assert answers == {"fragment": 200, "fragment, person": 302, "vote": 403, "vote, person": 403,
                           "api vote": 403, "api thread": 200}
    assert not poll.votes.exists()


def test_a_vote_tells_open_pages_the_total_only(poll_thread):
    from unittest import mock

    thread, voter = poll_thread
    with mock.patch("forums.events.send_event_on_commit") as sent:
        services.vote(member=voter, poll=thread.poll, option_ids=[thread.poll.options.first().pk])
    event = sent.call_args.args[0]
    assert event == {"type": "poll.voted", "poll": thread.poll.pk, "total": 1}
    assert sent.call_args.kwargs == {"groups": [f"thread.{thread.pk}"]}
