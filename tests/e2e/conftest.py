"""Fixtures for the browser journeys on a real Daphne: a channel-layer and cache prefix of the test's
own, and passwords hashed the way the server checks them."""

import os
import threading
import time
import uuid

import pytest
from channels.layers import channel_layers
from django.conf import global_settings
from django.conf import settings as django_settings

from tests.realtime import REDIS_LAYER
from tests.servers import delete_redis_keys


@pytest.fixture
def channel_prefix(request, settings):
    """A channel-layer and cache prefix for this test and its server. With Redis, this process
    publishes (the factories' events) under the same prefix, and every key is deleted after."""
    prefix = f"mutua-journey-{uuid.uuid4().hex}"
    redis_url = ""
    if os.environ.get("REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")  # fails clearly when Redis is set but down
        layers = {alias: {**config} for alias, config in django_settings.CHANNEL_LAYERS.items()}
        if layers["default"]["BACKEND"] == REDIS_LAYER:
            layers["default"]["CONFIG"] = {**layers["default"]["CONFIG"], "prefix": prefix}
            settings.CHANNEL_LAYERS = layers  # channels drops its cached layers on setting_changed
    yield prefix, redis_url
    channel_layers.backends = {}
    if redis_url:
        delete_redis_keys(redis_url, prefix)


@pytest.fixture
def server_password_hashing(settings):
    """The members sign in on the server, which knows only Django's own hashers (not the fast MD5
    of the tests): hash their passwords the way it checks them."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def requests_finish_before_the_database_is_flushed(request):
    """pytest-django's live server answers each request in a thread of its own: a request the closed
    page left in flight could still hold a table when the test's tables are truncated (a deadlock,
    seen once in CI). Set up after the database, torn down before it: wait for those threads."""
    yield
    if "live_server" not in request.fixturenames:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any("process_request_thread" in t.name for t in threading.enumerate()):
        time.sleep(0.02)
