"""Realtime: a member's socket receives the events sent to `member.<id>`, only after commit, and
across processes through Redis; a dead channel layer never fails a write."""

import asyncio
import json
import logging
import os
import threading
import time
import uuid
from contextlib import ExitStack

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import transaction

from community.asgi import application
from community.realtime import flush, send_event_now, send_event_on_commit
from community.roles import Role
from members import services
from members.models import Member
from members.selectors import role_of
from tests.factories import MemberFactory
from tests.realtime import ORIGIN, REDIS_LAYER, committed, realtime_failures, run, session_cookie
from tests.servers import (
    database_url_for_subprocesses,
    delete_redis_keys,
    in_clean_thread,
    start_daphne,
    stop,
    wait_for_port,
    wait_for_sessions_to_end,
)


def socket_for(member=None, *, origin=True) -> WebsocketCommunicator:
    headers = [ORIGIN] if origin else []
    if member is not None:
        headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session_cookie(member)}".encode()))
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


@committed
def test_member_socket_receives_event_only_after_commit(channel_layer):
    # Given a signed-in member with an open socket
    member = MemberFactory()
    communicator = socket_for(member)
    event = {"type": "notification.new", "text": "Ada endorsed you for Facilitation"}

    def write_and_commit():
        with transaction.atomic():
            send_event_on_commit(event, groups=[f"member.{member.pk}"])
            # Still inside the transaction: the socket must hear nothing yet.
            return async_to_sync(communicator.receive_nothing)(timeout=0.3)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When an event is sent on commit of a transaction
            nothing_before_commit = await sync_to_async(write_and_commit)()
            # Then it arrives once, after the commit, and only then
            received = await communicator.receive_json_from(timeout=3)
            nothing_after = await communicator.receive_nothing(timeout=0.2)
        finally:
            await communicator.disconnect()
        return nothing_before_commit, received, nothing_after

    nothing_before_commit, received, nothing_after = run(scenario)
    assert nothing_before_commit is True
    assert received == event
    assert nothing_after is True


@committed
def test_member_socket_does_not_receive_other_members_events(channel_layer):
    member, other = MemberFactory(), MemberFactory()
    communicator = socket_for(member)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            await sync_to_async(send_event_now)({"type": "ping.other"}, groups=[f"member.{other.pk}"])
            return await communicator.receive_nothing(timeout=0.3)
        finally:
            await communicator.disconnect()

    assert run(scenario) is True


@committed
def test_role_change_reaches_the_members_socket(channel_layer):
    # The same path a real write takes: a service publishes on commit of its own transaction.
    member = MemberFactory()
    communicator = socket_for(member)

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            await sync_to_async(services.set_role)(actor=None, member=member, role=Role.MODERATOR)
            return await communicator.receive_json_from(timeout=3)
        finally:
            await communicator.disconnect()

    assert run(scenario) == {"type": "role.changed", "role": "moderator"}


@committed
def test_owed_count_updates_live_on_endorse_and_thank(channel_layer):
    # Given a member with an open socket and a skill others can endorse
    from tests.factories import SkillFactory

    skill = SkillFactory(name="Facilitation")
    endorsee = MemberFactory(skills=[skill])
    endorser = MemberFactory(display_name="Ana Costa")
    communicator = socket_for(endorsee)

    def thank_latest():
        give = endorsee.gives_in.get()
        services.thank(member=endorsee, give_id=give.pk, message="It got me the facilitation job")

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When someone endorses them, then they thank the endorser
            await sync_to_async(services.endorse)(endorser=endorser, endorsee=endorsee, skill=skill)
            received = await communicator.receive_json_from(timeout=3)
            await sync_to_async(thank_latest)()
            after_thanks = await communicator.receive_json_from(timeout=3)
        finally:
            await communicator.disconnect()
        return received, after_thanks

    received, after_thanks = run(scenario)
    # Then the header count goes up live, with a toast, and back down after the thank-you
    assert received == {"type": "give.received", "owed": 1, "text": "Ana Costa endorsed you for Facilitation"}
    assert after_thanks == {"type": "owed.changed", "owed": 0}


@committed
def test_anonymous_socket_is_refused(channel_layer):
    communicator = socket_for(None)

    async def scenario():
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    connected, code = run(scenario)
    assert not connected
    assert code == 4401


def handshake(path: str, member) -> tuple[bool, int | None]:
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session_cookie(member)}".encode()
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, (b"cookie", cookie)])

    async def scenario():
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return run(scenario)


@committed
def test_a_member_who_must_enrol_in_two_factor_sign_in_gets_no_socket(channel_layer, settings):
    # Given an administrator, whose role requires two-factor sign-in, who has not enrolled yet
    settings.MFA_REQUIRED_ROLES = ["administrator"]
    admin = MemberFactory(role=Role.ADMINISTRATOR)
    # Then every socket refuses them as the pages do (only the account pages are open to them)
    for path in ("/ws/notifications/", "/ws/forums/"):
        assert handshake(path, admin) == (False, 4403), path
    # And once they have enrolled, their notifications reach them again
    TOTP.activate(admin, generate_totp_secret())
    assert handshake("/ws/notifications/", admin) == (True, None)


@committed
def test_socket_without_origin_is_refused(channel_layer):
    member = MemberFactory()
    communicator = socket_for(member, origin=False)

    async def scenario():
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert run(scenario) is False


@committed
def test_socket_from_foreign_origin_is_refused(channel_layer):
    member = MemberFactory()
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session_cookie(member)}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie)]
    )

    async def scenario():
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert run(scenario) is False


@pytest.fixture
def broken_layer(channel_layer, monkeypatch):
    async def group_send(group, message):
        raise ConnectionError("channel layer is down")

    monkeypatch.setattr(channel_layer, "group_send", group_send)
    return channel_layer


def test_send_event_now_logs_and_swallows_layer_errors(broken_layer, caplog):
    with caplog.at_level(logging.ERROR, logger="community.realtime"):
        in_clean_thread(send_event_now, {"type": "notification.new"}, groups=["member.1", "member.2"])
    failures = realtime_failures(caplog)
    assert len(failures) == 2  # one per group: a failed group does not stop the next
    assert [record.exc_info[0] for record in failures] == [ConnectionError, ConnectionError]
    assert failures[0].getMessage() == "Could not send notification.new to member.1"


def test_set_role_publishes_to_the_member_group_on_commit(db, channel_layer, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.set_role(actor=None, member=member, role=Role.MODERATOR)
    assert len(callbacks) == 1  # held back until the transaction commits

    async def commit_and_listen():
        channel = await channel_layer.new_channel()
        await channel_layer.group_add(f"member.{member.pk}", channel)
        for callback in callbacks:  # what the commit would run
            await sync_to_async(callback)()
        return await asyncio.wait_for(channel_layer.receive(channel), timeout=3)

    message = run(commit_and_listen)
    assert message["type"] == "realtime.event"
    assert json.loads(message["text"]) == {"type": "role.changed", "role": "moderator"}


@committed
def test_write_stands_when_layer_is_down(broken_layer, caplog):
    member = MemberFactory()
    flush()  # events go out in the background after commit: the new member's own go first
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="community.realtime"):
        # The service commits for real in its own thread; the event fails after the commit.
        in_clean_thread(services.set_role, actor=None, member=member, role=Role.MODERATOR)
        assert flush()
    assert role_of(Member.objects.get(pk=member.pk)) == Role.MODERATOR
    failures = realtime_failures(caplog)
    assert [(record.getMessage(), record.exc_info[0]) for record in failures] == [
        (f"Could not send role.changed to member.{member.pk}", ConnectionError)
    ]


# --- Two Daphne processes sharing one Redis -------------------------------------------------------


def _change_role_over_http(port: int, *, actor_cookie: str, handle: str, role: str) -> int:
    """POST the role form to one Daphne as a signed-in manager, as the profile page does."""
    import http.client
    from urllib.parse import urlencode

    from django.utils.crypto import get_random_string

    csrf = get_random_string(32)  # an unmasked CSRF secret is a valid form token for Django
    cookies = f"{django_settings.SESSION_COOKIE_NAME}={actor_cookie}; {django_settings.CSRF_COOKIE_NAME}={csrf}"
    body = urlencode({"csrfmiddlewaretoken": csrf, "role": role})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(
            "POST",
            f"/members/{handle}/role/",
            body=body,
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
        )
        return conn.getresponse().status
    finally:
        conn.close()


@committed
@pytest.mark.redis
def test_event_crosses_daphne_processes_through_redis(redis_url, settings, tmp_path):
    from websockets.sync.client import connect

    # Given a member and a manager, both signed in, and two Daphne processes on one Redis
    member = MemberFactory()
    manager = MemberFactory(role=Role.MANAGER)
    member_cookie, manager_cookie = session_cookie(member), session_cookie(manager)
    prefix = f"mutua-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": database_url_for_subprocesses(tmp_path, application_name=prefix),
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,
        "LOG_LEVEL": "INFO",  # Daphne's "Listening on" line tells us the port it chose
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the servers run as in production
    processes = []
    sockets = ExitStack()
    try:
        for name in ("daphne-1", "daphne-2"):
            processes.append(start_daphne(name, env, tmp_path))
        ports = [wait_for_port(process, log) for process, log in processes]

        def open_socket(port: int):
            return sockets.enter_context(
                connect(
                    f"ws://127.0.0.1:{port}/ws/notifications/",
                    origin=f"http://127.0.0.1:{port}",
                    additional_headers={"Cookie": f"{django_settings.SESSION_COOKIE_NAME}={member_cookie}"},
                    open_timeout=5,
                )
            )

        # The member holds one socket on each process.
        on_first, on_second = open_socket(ports[0]), open_socket(ports[1])
        # A ping round trip proves the consumer accepted and joined its group before anyone sends.
        for socket in (on_first, on_second):
            socket.send('{"type": "ping"}')
            assert socket.recv(timeout=5) == '{"type": "pong"}'

        # When a third process (this test) sends to the member's group on the same Redis and prefix
        settings.CHANNEL_LAYERS = {
            "default": {"BACKEND": REDIS_LAYER, "CONFIG": {"hosts": [redis_url], "prefix": prefix}}
        }
        in_clean_thread(send_event_now, {"type": "notification.new", "n": 1}, groups=[f"member.{member.pk}"])

        # Then both sockets, held by two other processes, receive it
        assert on_first.recv(timeout=5) == '{"type": "notification.new", "n": 1}'
        assert on_second.recv(timeout=5) == '{"type": "notification.new", "n": 1}'

        # When a write in process 2 (a manager changes the member's role there) publishes on commit
        status = _change_role_over_http(ports[1], actor_cookie=manager_cookie, handle=member.username, role="moderator")
        assert status == 302

        # Then the member's socket on process 1 receives it too
        assert on_first.recv(timeout=5) == '{"type": "role.changed", "role": "moderator"}'
        assert on_second.recv(timeout=5) == '{"type": "role.changed", "role": "moderator"}'
    finally:
        sockets.close()
        for process, _ in processes:
            stop(process)
        wait_for_sessions_to_end(prefix)
        channel_layers.backends = {}
        delete_redis_keys(redis_url, prefix)


# --- Handing events over: the write does not wait, and the layer keeps one loop -----------------------


@committed
def test_a_commit_does_not_wait_for_the_channel_layer(channel_layer, monkeypatch):
    # Given a member, and a channel layer that takes its time to accept an event
    member = MemberFactory()
    flush()
    release = threading.Event()
    delivered = []

    async def slow_group_send(group, message):
        await asyncio.get_running_loop().run_in_executor(None, release.wait, 5)
        delivered.append((group, json.loads(message["text"])))

    monkeypatch.setattr(channel_layer, "group_send", slow_group_send)
    # When a service commits a change that publishes an event
    started = time.perf_counter()
    in_clean_thread(services.set_role, actor=None, member=member, role=Role.MODERATOR)
    # Then it returns at once, the event still on its way, and it arrives once the layer takes it
    assert time.perf_counter() - started < 2
    assert delivered == []
    release.set()
    assert flush()
    assert delivered == [(f"member.{member.pk}", {"type": "role.changed", "role": "moderator"})]


def test_events_from_plain_threads_share_one_event_loop(channel_layer, monkeypatch):
    # Given the event loop each delivery runs on is recorded
    loops = []

    async def recording_group_send(group, message):
        loops.append(asyncio.get_running_loop())

    monkeypatch.setattr(channel_layer, "group_send", recording_group_send)
    # When two threads without an event loop of their own send events
    in_clean_thread(send_event_now, {"type": "one"}, groups=["member.1"])
    in_clean_thread(send_event_now, {"type": "two"}, groups=["member.1"])
    # Then both went out on the same long-lived loop (so channels-redis reuses its connections)
    assert len(loops) == 2 and loops[0] is loops[1] and loops[0].is_running()


@committed
def test_a_socket_ignores_what_a_client_should_not_send_and_stays_open(channel_layer):
    # Given a member's open socket
    communicator = socket_for(MemberFactory())
    nonsense = ["not json", "[1, 2]", '"ping"', "[" * 5000 + "]" * 5000, '{"type": "ping", "pad": "' + "x" * 5000 + '"}']

    async def scenario():
        connected, _ = await communicator.connect()
        assert connected
        try:
            # When the client sends what no page sends: text that is not JSON, a list, deep nesting, a flood
            for text in nonsense:
                await communicator.send_to(text_data=text)
            ignored = await communicator.receive_nothing(timeout=0.3)
            # Then nothing is answered, and the socket still answers a ping
            await communicator.send_json_to({"type": "ping"})
            return ignored, await communicator.receive_json_from(timeout=3)
        finally:
            await communicator.disconnect()

    assert run(scenario) == (True, {"type": "pong"})
