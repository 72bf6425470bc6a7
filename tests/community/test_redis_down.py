"""When Redis is down, only live updates stop: a real Daphne, configured as in production (REDIS_URL:
the Redis cache and the channels-redis layer), on a Redis of the test's own that it stops and starts.
Pages, sign-in, the API and posting keep working and nothing submitted is lost; /healthz says what is
down; when Redis is back on the same port, the first WebSocket handshake succeeds and live updates
flow again."""

import json
import time
import uuid

import pytest
import requests
from django.conf import global_settings
from django.conf import settings as django_settings
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from content.wagtail_groups import ensure_editor_permissions
from forums.models import Post
from tests.factories import PASSWORD, MemberFactory, make_group, make_thread
from tests.servers import (
    RedisServer,
    daphne_server,
    database_url_for_subprocesses,
    free_port,
    in_clean_thread,
    read_back_what_the_server_committed,
)

pytestmark = pytest.mark.django_db(transaction=True)

SLOW = 3.0  # seconds: a request that takes longer is waiting on the dead Redis, not failing soft


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs, timeout=10, allow_redirects=False)
    return response, time.monotonic() - started


def open_thread_socket(server: str, thread, cookies: requests.cookies.RequestsCookieJar | None = None):
    ws_url = server.replace("http://", "ws://")
    headers = {}
    if cookies is not None:
        headers["Cookie"] = f"{django_settings.SESSION_COOKIE_NAME}={cookies[django_settings.SESSION_COOKIE_NAME]}"
    return connect(f"{ws_url}/ws/threads/{thread.pk}/", origin=server, additional_headers=headers, open_timeout=5)


def ping(socket) -> None:
    """A round trip: the consumer accepted and joined its group before the test goes on."""
    socket.send('{"type": "ping"}')
    assert socket.recv(timeout=5) == '{"type": "pong"}'


def test_with_redis_down_pages_sign_in_and_posts_work_and_live_updates_come_back(
    redis_server_binary, settings, tmp_path
):
    # The members sign in on the server, which checks passwords with Django's own hashers.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS

    # Given the site's pages, an established member, a new member with an API token, and a public thread
    def community():
        ensure_editor_permissions()  # the transactional flush took the page tree
        ana = MemberFactory(handle="ana", email="ana@example.org", display_name="Ana Costa")
        newcomer = MemberFactory(handle="newcomer", email="newcomer@example.org", display_name="Nia New")
        group = make_group(members=[ana, newcomer], visibility="public", name="Facilitators")
        thread = make_thread(group=group, author=ana, title="How do you welcome newcomers?", body="What works?")
        return ana, thread, Token.objects.create(user=newcomer).key

    ana, thread, token = in_clean_thread(community)
    prefix = f"mutua-redis-down-{uuid.uuid4().hex}"
    database_url = database_url_for_subprocesses(tmp_path, application_name=prefix)
    redis = RedisServer(free_port())
    api_posts = f"/api/v1/forums/threads/{thread.pk}/posts/"
    as_newcomer = {"Authorization": f"Token {token}"}

    with redis, daphne_server(tmp_path, database_url=database_url, prefix=prefix, redis_url=redis.url) as server:
        # And a Daphne that has used Redis: pages cached, a socket opened and closed (pooled connections)
        assert requests.get(f"{server}/", timeout=10).status_code == 200
        with open_thread_socket(server, thread) as socket:
            ping(socket)

        # When Redis stops
        redis.stop()
        visitor, member = requests.Session(), requests.Session()

        # Then the home page, the articles and the sign-in page answer
        took = {}
        for path in ("/", "/articles/", "/accounts/login/"):
            response, took[path] = timed(visitor.get, f"{server}{path}")
            assert response.status_code == 200, path
        # And a member signs in (allauth's rate limit cannot count, and lets her through)
        member.get(f"{server}/accounts/login/", timeout=10)
        response = member.post(  # not timed: hashing her password takes a second or more on a busy machine
            f"{server}/accounts/login/",
            data={"login": ana.email, "password": PASSWORD, "csrfmiddlewaretoken": member.cookies["csrftoken"]},
            timeout=10,
            allow_redirects=False,
        )
        assert response.status_code == 302 and "/accounts/login/" not in response.headers["Location"]
        # And an anonymous visitor lists groups through the API (DRF's throttle cannot count either)
        response, took["anonymous API"] = timed(visitor.get, f"{server}/api/v1/forums/groups/")
        assert response.status_code == 200
        assert "Facilitators" in [group["name"] for group in response.json()["results"]]
        # And the new member's post through the API is taken
        response, took["new member's API post"] = timed(
            requests.post, f"{server}{api_posts}", json={"body": "Posted through the API."}, headers=as_newcomer
        )
        assert response.status_code == 201, response.text[:500]
        # And so is Ana's reply through the thread page's form
        response, took["page form post"] = timed(
            member.post,
            f"{server}{thread.get_absolute_url()}",
            data={"body": "Posted through the page.", "csrfmiddlewaretoken": member.cookies["csrftoken"]},
        )
        assert response.status_code == 302
        assert response.headers["Location"].startswith(thread.get_absolute_url())
        # And /healthz says what is down, without taking the process out of service
        response, took["healthz"] = timed(visitor.get, f"{server}/healthz")
        assert response.status_code == 200
        health = response.json()
        assert (health["status"], health["database"]) == ("degraded", "ok")
        assert health["cache"].startswith("error:") and health["channel_layer"].startswith("error:")
        # And nothing waited on the dead Redis
        assert max(took.values()) < SLOW, took

        # When Redis is back on the same port
        redis.start()
        # Then the first socket to the thread opens and joins its group
        with open_thread_socket(server, thread, member.cookies) as socket:
            ping(socket)
            # And live updates flow again: the new member's next post reaches it
            response = requests.post(
                f"{server}{api_posts}", json={"body": "Posted with Redis back."}, headers=as_newcomer, timeout=10
            )
            assert response.status_code == 201
            event = json.loads(socket.recv(timeout=5))
        assert (event["type"], event["number"]) == ("post.created", 4)
        assert "Posted with Redis back." in event["html"]
        # And /healthz is all "ok" again once the cache tries Redis again (it pauses after a failure)
        deadline = time.monotonic() + 10
        while (health := visitor.get(f"{server}/healthz", timeout=10).json())["status"] != "ok":
            assert time.monotonic() < deadline, health
            time.sleep(0.2)
        assert health == {"status": "ok", "database": "ok", "cache": "ok", "channel_layer": "ok"}

    # And every post is in the database, in order
    read_back_what_the_server_committed(database_url)
    assert list(
        Post.objects.filter(thread=thread).order_by("number").values_list("number", "author__username", "body")
    ) == [
        (1, "ana", "What works?"),
        (2, "newcomer", "Posted through the API."),
        (3, "ana", "Posted through the page."),
        (4, "newcomer", "Posted with Redis back."),
    ]
