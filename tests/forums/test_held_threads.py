"""A thread whose opening post is held for review (a new member's link, rule 10) is seen only by its
author and the moderators, in every list: the group's thread list, the thread itself, the home
page, forum and site search, the API, Pay it back, mentions and the live sockets."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from community.roles import Role
from content.selectors import home_sections
from forums import services
from forums.models import GroupMembership, Post
from forums.selectors import pay_it_back_sections
from forums.models import Mention
from members.models import Member
from tests.factories import MemberFactory, make_group, make_member_of, make_thread
from tests.realtime import committed, run

pytestmark = pytest.mark.django_db

TITLE = "Zebrafish growth hacks for sale"
VIEWERS = ["visitor", "member", "author", "group_moderator", "site_moderator"]
SEES = {"visitor": False, "member": False, "author": True, "group_moderator": True, "site_moderator": True}


def _held_thread(group, author):
    thread = make_thread(group=group, author=author, title=TITLE, body="Zebrafish deals at https://example.org/buy")
    assert thread.posts.get().status == Post.Status.HELD
    return thread


@pytest.fixture
def forum():
    """A public group with a new member's held thread, an ordinary thread beside it, and a reader
    of each kind."""
    author, member, group_moderator = MemberFactory(handle="newbie"), MemberFactory(), MemberFactory()
    group = make_group(visibility="public", members=[author, member, group_moderator])
    GroupMembership.objects.filter(group=group, member=group_moderator).update(role=GroupMembership.Role.MODERATOR)
    ordinary = make_thread(group=group, author=member, title="Zebrafish care, an open question")
    people = {
        "visitor": None,
        "member": member,
        "author": author,
        "group_moderator": group_moderator,
        "site_moderator": MemberFactory(role=Role.MODERATOR),
    }
    return {"group": group, "held": _held_thread(group, author), "ordinary": ordinary, "people": people}


def _page_client(forum, viewer) -> Client:
    client = Client()
    if forum["people"][viewer] is not None:
        client.force_login(forum["people"][viewer])
    return client


def _api_client(forum, viewer) -> APIClient:
    api = APIClient()
    if forum["people"][viewer] is not None:
        api.force_authenticate(Member.objects.get(pk=forum["people"][viewer].pk))
    return api


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_group_page_and_the_thread_page(forum, viewer):
    client = _page_client(forum, viewer)
    held, group = forum["held"], forum["group"]
    listing = client.get(group.get_absolute_url()).text
    assert "Zebrafish care" in listing and (TITLE in listing) == SEES[viewer]
    assert client.get(held.get_absolute_url()).status_code == (200 if SEES[viewer] else 404)
    opening = held.posts.get()
    assert client.get(f"/forums/posts/{opening.pk}/history/").status_code in ((200,) if SEES[viewer] else (404,))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_home_pages_live_discussions(forum, viewer):
    viewer_member = forum["people"][viewer]
    from django.contrib.auth.models import AnonymousUser

    titles = [thread.title for thread in home_sections(viewer_member or AnonymousUser())["discussions"]]
    assert "Zebrafish care, an open question" in titles and (TITLE in titles) == SEES[viewer]
    home = _page_client(forum, viewer).get("/").text
    assert (TITLE in home) == SEES[viewer]


def _moderator_replies(forum) -> Post:
    """A visible reply in the held thread: search finds visible posts only, with their thread's title."""
    return services.reply(
        author=forum["people"]["group_moderator"], thread=forum["held"], body="Zebrafish links: checking them."
    )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_forum_search_and_site_search(forum, viewer):
    _moderator_replies(forum)
    client = _page_client(forum, viewer)
    for address in ("/forums/search/", "/search/"):
        found = client.get(address, {"q": "zebrafish"}).text
        assert "Zebrafish care" in found and (TITLE in found) == SEES[viewer], address


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_lists_and_details(forum, viewer):
    reply = _moderator_replies(forum)
    api, held, group = _api_client(forum, viewer), forum["held"], forum["group"]
    listed = [item["title"] for item in api.get(f"/api/v1/forums/groups/{group.slug}/threads/").json()["results"]]
    assert "Zebrafish care, an open question" in listed and (TITLE in listed) == SEES[viewer]
    expected = 200 if SEES[viewer] else 404
    assert api.get(f"/api/v1/forums/threads/{held.pk}/").status_code == expected
    assert api.get(f"/api/v1/forums/threads/{held.pk}/posts/").status_code == expected
    assert api.get(f"/api/v1/forums/posts/{held.posts.get(number=1).pk}/").status_code == expected
    assert api.get(f"/api/v1/forums/posts/{reply.pk}/").status_code == expected
    found = api.get("/api/v1/forums/search/", {"q": "zebrafish"}).json()["results"]
    assert (held.pk in {result["thread"]["id"] for result in found}) == SEES[viewer]


def test_a_moderators_reply_in_a_held_thread_stays_with_it(forum):
    """Replies in a held thread (a moderator answering, say) do not carry its title out: not in
    search, not in Pay it back, and a mention of an outsider is not sent."""
    held, member = forum["held"], forum["people"]["member"]
    moderator = forum["people"]["group_moderator"]
    reply = services.reply(author=moderator, thread=held, body=f"Zebrafish aside, @{member.username} knows this.")
    assert reply.is_visible
    assert not Mention.objects.filter(member=member).exists()
    anyone = Client()
    assert TITLE not in anyone.get("/forums/search/", {"q": "zebrafish"}).text
    assert anyone.get(reply.get_absolute_url()).status_code == 404
    sections = pay_it_back_sections(member)
    assert all(TITLE not in item.text for section in sections for item in section.items)


def test_a_held_question_from_a_helper_is_not_on_pay_it_back(forum):
    author, member = forum["people"]["author"], forum["people"]["member"]
    services.reply(author=author, thread=forum["ordinary"], body="Feed them twice a day.")  # a give to member
    make_thread(group=forum["group"], author=author, title="Which zebrafish food works?", kind="question")
    held = make_thread(
        group=forum["group"], author=author, title="Zebrafish tanks at a discount?", kind="question",
        body="See https://example.org/tanks",
    )  # fmt: skip
    assert held.posts.get().status == Post.Status.HELD
    questions = [item.text for item in pay_it_back_sections(member)[0].items]
    assert any("Which zebrafish food works?" in text for text in questions)
    assert not any("Zebrafish tanks" in text for text in questions)


def test_once_approved_the_thread_is_everyones(forum):
    held = forum["held"]
    services.approve_post(moderator=forum["people"]["site_moderator"], post=held.posts.get())
    assert _page_client(forum, "member").get(held.get_absolute_url()).status_code == 200
    assert TITLE in Client().get(forum["group"].get_absolute_url()).text


@committed
def test_the_thread_socket_and_group_activity_keep_a_held_thread_private(channel_layer):
    from tests.forums.test_realtime import handshake, socket_for, thread_socket

    author, member, moderator = MemberFactory(handle="newbie"), MemberFactory(), MemberFactory(role=Role.MODERATOR)
    group = make_group(visibility="public", members=[author, member])
    make_member_of(group, moderator)
    held = _held_thread(group, author)

    assert handshake(thread_socket(held, member)) == (False, 4403)
    assert handshake(thread_socket(held, None)) == (False, 4403)
    assert handshake(thread_socket(held, author))[0] is True

    listener = socket_for("/ws/forums/", member)

    async def scenario():
        from asgiref.sync import sync_to_async

        connected, _ = await listener.connect()
        assert connected
        try:
            await sync_to_async(services.reply)(author=moderator, thread=held, body="Checking the links now.")
            return await listener.receive_json_from(timeout=3)
        finally:
            await listener.disconnect()

    heard = run(scenario)
    assert heard["type"] == "group.activity" and heard["group"] == group.slug
    assert heard["thread"] == ""  # activity, but not the held thread's title
