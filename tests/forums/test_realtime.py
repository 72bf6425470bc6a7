"""Live forum pages: a thread's socket hears new posts, reactions and edits only after commit, and only
readers of the thread's group may open one; the group list hears activity only in groups its viewer
can read; a dead channel layer never fails a post, and live updates come back with Redis."""

import logging
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client

from community.asgi import application
from community.realtime import flush
from forums import services
from forums.models import Post, Reaction
from tests.factories import MemberFactory, make_group, make_member_of, make_thread
from tests.realtime import ORIGIN, REDIS_LAYER, committed, realtime_failures, run, session_cookie
from tests.servers import RedisServer, free_port, in_clean_thread

ANSWER = "Pair them with a **buddy** for the first month. <script>alert('x')</script>"


def socket_for(path: str, member=None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if member is not None:
        headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session_cookie(member)}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def thread_socket(thread, member=None) -> WebsocketCommunicator:
    return socket_for(f"/ws/threads/{thread.pk}/", member)


def handshake(communicator: WebsocketCommunicator) -> tuple[bool, int | None]:
    """Open and close a socket; what the server answered to the handshake."""

    async def scenario():
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return run(scenario)


@pytest.fixture
def question(channel_layer):
    """Ana asks in a private peer group that Ben belongs to."""
    ana = MemberFactory(handle="ana", display_name="Ana Costa")
    ben = MemberFactory(handle="ben", display_name="Ben Okoro")
    group = make_group(members=[ana, ben], visibility="private")
    thread = make_thread(group=group, author=ana, kind="question")
    return thread, ana, ben


# --- Events on a thread's socket ------------------------------------------------------------------


@committed
def test_reply_reaches_the_thread_socket_only_after_commit(question):
    # Given Ana with her question open
    thread, ana, ben = question
    communicator = thread_socket(thread, ana)

    def reply_and_commit():
        with transaction.atomic():
            services.reply(author=ben, thread=thread, body=ANSWER)
            # Still inside the transaction: the page must hear nothing yet.
            return async_to_sync(communicator.receive_nothing)(timeout=0.3)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When Ben answers
            nothing_before_commit = await sync_to_async(reply_and_commit)()
            received = await communicator.receive_json_from(timeout=3)
            nothing_after = await communicator.receive_nothing(timeout=0.2)
        finally:
            await communicator.disconnect()
        return nothing_before_commit, received, nothing_after

    nothing_before_commit, received, nothing_after = run(scenario)

    # Then the post arrives once, after the commit, rendered by the server and sanitised
    assert nothing_before_commit is True
    assert nothing_after is True  # the group and member events go to their own groups
    assert {key: received[key] for key in ("type", "number", "author")} == {
        "type": "post.created",
        "number": 2,
        "author": "Ben Okoro",
    }
    html = received["html"]
    assert html.strip().startswith('<article class="post" id="post-2"')
    assert "Pair them with a <strong>buddy</strong> for the first month." in html
    assert "<script" not in html
    assert "&lt;script&gt;alert" in html  # shown as the text Ben typed, never run
    # Rendered for no one in particular: the asker's accept control is there, hidden until the page shows it
    assert f'data-accept="{ana.pk}" hidden' in html
    assert Post.objects.filter(thread=thread, number=2, author=ben).exists()


@committed
def test_reactions_edits_and_accepting_reach_the_thread_socket(question):
    # Given Ben's answer, and Ben with the thread open
    thread, ana, ben = question
    answer = in_clean_thread(services.reply, author=ben, thread=thread, body="Give them a buddy.")
    communicator = thread_socket(thread, ben)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When Ana marks it helpful, Ben edits it, and Ana accepts it
            await sync_to_async(services.react)(member=ana, post=answer, kind=Reaction.Kind.HELPFUL)
            reactions = await communicator.receive_json_from(timeout=3)
            await sync_to_async(services.edit_post)(editor=ben, post=answer, body="Give them a buddy _and_ a task.")
            edited = await communicator.receive_json_from(timeout=3)
            await sync_to_async(services.accept_answer)(member=ana, post=answer)
            accepted = await communicator.receive_json_from(timeout=3)
            nothing_after = await communicator.receive_nothing(timeout=0.2)
        finally:
            await communicator.disconnect()
        return reactions, edited, accepted, nothing_after

    reactions, edited, accepted, nothing_after = run(scenario)

    # Then the page hears each, for the post it changed
    assert reactions == {"type": "post.reactions", "number": 2, "counts": {"like": 0, "helpful": 1, "insightful": 0}}
    assert (edited["type"], edited["number"]) == ("post.changed", 2)
    assert "Give them a buddy <em>and</em> a task." in edited["html"]
    assert ">edited</a>" in edited["html"]
    assert (accepted["type"], accepted["number"], accepted["accepted"]) == ("post.changed", 2, True)
    assert "Accepted answer" in accepted["html"]
    assert "Accept this answer" not in accepted["html"]
    assert nothing_after is True


@committed
def test_accepting_another_answer_takes_the_badge_off_the_first_live(question):
    # Given two answers, the first accepted, and Ana with the thread open
    thread, ana, ben = question
    cara = MemberFactory(handle="cara", display_name="Cara Lind")
    make_member_of(thread.group, cara)
    first = in_clean_thread(services.reply, author=ben, thread=thread, body="Give them a buddy.")
    second = in_clean_thread(services.reply, author=cara, thread=thread, body="Ask them to host one meeting.")
    in_clean_thread(services.accept_answer, member=ana, post=first)
    communicator = thread_socket(thread, ana)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When she accepts the second instead
            await sync_to_async(services.accept_answer)(member=ana, post=second)
            changed = [await communicator.receive_json_from(timeout=3) for _ in range(2)]
            nothing_after = await communicator.receive_nothing(timeout=0.2)
        finally:
            await communicator.disconnect()
        return changed, nothing_after

    changed, nothing_after = run(scenario)

    # Then both posts change on her page: the badge moves from the first to the second
    assert [(event["type"], event["number"]) for event in changed] == [("post.changed", 3), ("post.changed", 2)]
    assert "Accepted answer" in changed[0]["html"]
    assert "Accepted answer" not in changed[1]["html"]
    assert "Accept this answer" in changed[1]["html"]
    assert nothing_after is True


# --- Who may open a socket ------------------------------------------------------------------------


@committed
def test_private_thread_socket_is_for_the_groups_members_only(question):
    thread, ana, ben = question
    outsider = MemberFactory(handle="outsider")

    assert handshake(thread_socket(thread, outsider)) == (False, 4403)
    assert handshake(thread_socket(thread, None)) == (False, 4403)
    assert handshake(thread_socket(thread, ben))[0] is True


@committed
def test_public_thread_socket_is_open_to_visitors(channel_layer):
    thread = make_thread(group=make_group(visibility="public"))

    assert handshake(thread_socket(thread, None))[0] is True


@committed
def test_missing_thread_socket_is_refused_like_a_private_one(channel_layer):
    member = MemberFactory()

    assert handshake(socket_for("/ws/threads/999999/", member)) == (False, 4403)


@committed
def test_group_activity_reaches_only_those_who_can_read_the_group(question):
    # Given Ben (in the private group) and an outsider, both on the group list
    thread, ana, ben = question
    outsider = MemberFactory(handle="outsider")
    public_thread = make_thread(group=make_group(visibility="public"), author=ana, title="Open to all: hello")
    make_member_of(public_thread.group, ben)
    member_list, outsider_list = socket_for("/ws/forums/", ben), socket_for("/ws/forums/", outsider)

    async def scenario():
        for communicator in (member_list, outsider_list):
            connected, _ = await communicator.connect()
            assert connected
        try:
            # When Ana posts in the private group
            await sync_to_async(services.reply)(author=ana, thread=thread, body="Anyone else tried buddies?")
            member_heard = await member_list.receive_json_from(timeout=3)
            outsider_heard_nothing = await outsider_list.receive_nothing(timeout=0.3)
            # And then Ben posts in the public one
            await sync_to_async(services.reply)(author=ben, thread=public_thread, body="Hello, everyone.")
            outsider_heard = await outsider_list.receive_json_from(timeout=3)
            member_heard_public = await member_list.receive_json_from(timeout=3)
        finally:
            for communicator in (member_list, outsider_list):
                await communicator.disconnect()
        return member_heard, outsider_heard_nothing, outsider_heard, member_heard_public

    member_heard, outsider_heard_nothing, outsider_heard, member_heard_public = run(scenario)

    # Then only the member hears of the private group, and both hear of the public one
    assert member_heard == {
        "type": "group.activity",
        "group": thread.group.slug,
        "threads": 1,
        "posts": 2,
        "thread": thread.title,
    }
    assert outsider_heard_nothing is True
    assert outsider_heard["group"] == member_heard_public["group"] == public_thread.group.slug


# --- When the channel layer is down, and when it comes back ---------------------------------------


@pytest.fixture
def redis_layer_on(settings):
    """Point the channel layer at a Redis on `port` (running or not); put the configured one back after."""

    def point_at(port: int) -> None:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": REDIS_LAYER,
                "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"]},
            }
        }

    yield point_at
    channel_layers.backends = {}


def reply_over_http(member, thread, body: str):
    """Post the reply form as the thread page does; the response and the page loaded after it."""

    def post_then_load():
        client = Client()
        client.force_login(member)
        posted = client.post(thread.get_absolute_url(), {"body": body})
        return posted, client.get(thread.get_absolute_url())

    return in_clean_thread(post_then_load)


@committed
def test_reply_stands_and_page_loads_when_the_channel_layer_is_down(question, redis_layer_on, caplog):
    # Given a channel layer whose Redis is not there
    thread, ana, ben = question
    redis_layer_on(free_port())

    # When Ben answers through the page
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="community.realtime"):
        posted, page = reply_over_http(ben, thread, "Welcome them by name.")
        flush()  # delivery is asynchronous: wait until each event has been tried
    elapsed = time.monotonic() - started

    # Then the reply is committed, he is taken to it, and the thread page still loads with it
    assert posted.status_code == 302
    assert posted["Location"] == f"{thread.get_absolute_url()}?post=2#post-2"
    assert Post.objects.get(thread=thread, number=2).body == "Welcome them by name."
    assert page.status_code == 200
    assert "Welcome them by name." in page.content.decode()
    # And each event that could not be sent was logged, not raised
    assert {record.getMessage() for record in realtime_failures(caplog)} == {
        f"Could not send post.created to thread.{thread.pk}",
        f"Could not send group.activity to group.{thread.group_id}",
        f"Could not send give.received to member.{ana.pk}",
    }
    assert elapsed < 10


@committed
def test_live_updates_resume_when_redis_comes_back(question, redis_layer_on, redis_server_binary, caplog):
    thread, ana, ben = question
    port = free_port()
    redis_layer_on(port)

    # Given a Redis that served the layer, then went away
    with RedisServer(port):
        pass

    # When Ben answers while it is down, the answer stands
    with caplog.at_level(logging.ERROR, logger="community.realtime"):
        posted, _ = reply_over_http(ben, thread, "First answer, while Redis is down.")
        flush()  # delivery is asynchronous: wait until each event has been tried
    assert posted.status_code == 302
    assert Post.objects.filter(thread=thread, number=2).exists()
    assert realtime_failures(caplog)

    # And when Redis is back on the same port, Ana's page (re)connects and hears the next answer
    with RedisServer(port):
        communicator = thread_socket(thread, ana)

        async def scenario():
            connected, _ = await communicator.connect()
            assert connected
            try:
                await sync_to_async(services.reply)(author=ben, thread=thread, body="Second answer, Redis is back.")
                return await communicator.receive_json_from(timeout=3)
            finally:
                await communicator.disconnect()

        received = run(scenario)

    assert (received["type"], received["number"]) == ("post.created", 3)
    assert "Second answer, Redis is back." in received["html"]
