"""Helpers for the realtime tests (members' and forums' sockets): the headers and session cookie a
socket opens with, the marker for tests that commit for real, running an async scenario from sync
test code, and the channel layer's logged failures. The `channel_layer` fixture is in conftest.py."""

import logging

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.test import Client

from tests.servers import in_clean_thread

ORIGIN = (b"origin", b"http://testserver")
REDIS_LAYER = "channels_redis.core.RedisChannelLayer"

# Sockets authenticate in another thread through the session table, so these tests commit for real.
committed = pytest.mark.django_db(transaction=True)


def run(scenario):
    """Run an async scenario to completion from sync test code."""
    return in_clean_thread(async_to_sync(scenario))


def session_cookie(member) -> str:
    """Log the member in through Django's own session machinery and return the cookie value."""
    client = Client()
    client.force_login(member)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def realtime_failures(caplog) -> list[logging.LogRecord]:
    """What the channel layer could not send: `community.realtime` logs it rather than raising."""
    return [record for record in caplog.records if record.name == "community.realtime"]
