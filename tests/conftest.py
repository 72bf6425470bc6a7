"""Shared test set-up: real services when present, and a clear failure when CI requires them; the
channel layer the realtime tests listen on."""

import os
import shutil
import uuid

import pytest
from channels.layers import channel_layers, get_channel_layer
from django.conf import settings as django_settings
from django.db import connection

from community.roles import ensure_role_groups
from tests.realtime import REDIS_LAYER
from tests.servers import delete_redis_keys

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing(part: str) -> None:
    """Skip a test whose service is not here, or fail it when CI says every service must be."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{part} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{part} is not available")


@pytest.fixture(autouse=True)
def services_the_test_is_marked_for(request):
    """`@pytest.mark.postgres` and `@pytest.mark.redis` tests skip on the embedded default (and fail
    when REQUIRE_SERVICES=1 and the service is missing)."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")
    if request.node.get_closest_marker("redis"):
        request.getfixturevalue("redis_url")


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("Redis (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        missing(f"Redis at {url}")
    return url


@pytest.fixture
def redis_server_binary():
    """Tests that start and stop a Redis of their own (tests/servers.py `RedisServer`) need the binary,
    not the shared Redis."""
    if not shutil.which("redis-server"):
        missing("redis-server")


@pytest.fixture
def channel_layer(settings):
    """The configured layer, on a prefix of its own when it is Redis: parallel test workers number
    their members from 1 each, so a shared prefix would let one worker's `member.1` hear another's."""
    layers = {alias: {**config} for alias, config in django_settings.CHANNEL_LAYERS.items()}
    default = layers["default"]
    prefix = None
    if default["BACKEND"] == REDIS_LAYER:
        prefix = f"mutua-test-{uuid.uuid4().hex}"
        default["CONFIG"] = {**default["CONFIG"], "prefix": prefix}
    settings.CHANNEL_LAYERS = layers  # channels drops its cached layers on this setting_changed
    yield get_channel_layer()
    if prefix:
        host = default["CONFIG"]["hosts"][0]
        delete_redis_keys(host["address"] if isinstance(host, dict) else host, prefix)
    channel_layers.backends = {}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        missing(f"Chromium at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def role_groups(request):
    """Transactional tests flush the tables the post-migrate step filled: put the roles back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        ensure_role_groups()


@pytest.fixture(autouse=True)
def cache_per_test(settings):
    """Rate-limit counters (allauth, DRF) live in the cache: on a shared Redis, give each test its
    own key space so parallel workers and earlier runs never trip each other's limits."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {name: {**config, "KEY_PREFIX": prefix} for name, config in settings.CACHES.items()}
    yield
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    for name in settings.CACHES:
        if isinstance(caches[name], RedisCache):  # the fail-soft one in production is one too
            client = caches[name]._cache.get_client(write=True)
            try:
                keys = list(client.scan_iter(f"{prefix}:*"))
            except RedisConnectionError:
                continue  # a test pointed the cache at a Redis that is not there: nothing was kept
            if keys:
                client.delete(*keys)


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """Administrators must enrol in two-factor sign-in by default (MFA_REQUIRED_ROLES): tests of
    everything else sign them in without it. tests/members/test_mfa.py tests the requirement."""
    settings.MFA_REQUIRED_ROLES = []


def pytest_collection_modifyitems(config, items):
    # Playwright leaves an event loop on the main thread; browser tests go last so that the
    # async_to_sync calls of every other test run without it.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # A deliberately slow hash is the point in production and a waste of minutes in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ana(db):
    """Two ordinary members most tests need; a module that needs them otherwise defines its own."""
    from tests.factories import MemberFactory

    return MemberFactory(handle="ana", display_name="Ana")


@pytest.fixture
def ben(db):
    from tests.factories import MemberFactory

    return MemberFactory(handle="ben", display_name="Ben")
