"""The fail-soft Redis cache: with Redis unreachable, reads are misses and writes are skipped, the
outage is logged once and not once a call, a Redis that hangs costs one timeout, and a Redis that
restarts is used again without a miss on the stale pooled connection."""

import logging
import socket
import time

import pytest

from community import cache as fail_soft
from community.cache import FailSoftRedisCache
from tests.servers import RedisServer, free_port

# As community/settings.py configures it with REDIS_URL.
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def cache_at(url: str) -> FailSoftRedisCache:
    return FailSoftRedisCache(url, {"OPTIONS": OPTIONS, "KEY_PREFIX": f"test-{free_port()}"})


@pytest.fixture(autouse=True)
def fresh_outages(monkeypatch):
    """Each test starts with no outage remembered (they are shared by location, per process)."""
    monkeypatch.setattr(fail_soft, "_outages", {})


def warnings_from(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "community.cache"]


def test_with_redis_down_reads_are_misses_and_writes_are_skipped(monkeypatch, caplog):
    # Given a cache whose Redis is not there, tried on every call
    monkeypatch.setattr(fail_soft, "RETRY_AFTER", 0)
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0")

    with caplog.at_level(logging.WARNING, logger="community.cache"):
        # Then every read is a miss and every write is skipped, none raises
        assert cache.get("ranking") is None
        assert cache.get("ranking", "default") == "default"
        assert cache.get_or_set("ranking", lambda: [1, 2, 3], timeout=60) == [1, 2, 3]
        assert cache.set("ranking", [1]) is None
        assert cache.add("lock", True) is True  # allauth's rate-limit lock must not wait on it
        assert cache.has_key("ranking") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys it could not store
        assert cache.touch("ranking") is False
        assert cache.delete("ranking") is False
        assert cache.delete_many(["a", "b"]) is None
        with pytest.raises(ValueError):  # as for a key that is not there
            cache.incr("count")
        assert cache.clear() is False

    # And the outage was logged once, not once a call, and the cache says why it is down
    logged = warnings_from(caplog)
    assert len(logged) == 1
    assert logged[0].startswith("Cache at redis://127.0.0.1:") and "unavailable (ConnectionError" in logged[0]
    assert cache.unavailable == "ConnectionError"


def test_the_warning_never_shows_the_password(caplog):
    cache = cache_at(f"redis://:s3cret-word@127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="community.cache"):
        assert cache.get("ranking") is None
    (logged,) = warnings_from(caplog)
    assert "s3cret-word" not in logged and "redis://127.0.0.1:" in logged


def test_a_redis_that_hangs_costs_one_timeout_not_one_per_call():
    # Given a "Redis" that accepts connections and never answers
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        cache = cache_at(f"redis://127.0.0.1:{hung.getsockname()[1]}/0")

        # When a page asks the cache twenty times
        started = time.monotonic()
        answers = [cache.get(f"key-{n}") for n in range(20)]
        elapsed = time.monotonic() - started

    # Then each is a miss, and the first timeout (0.5 s) spared the others from waiting
    assert answers == [None] * 20
    assert cache.unavailable == "TimeoutError"
    assert 0.4 < elapsed < 3, elapsed  # twenty timeouts would take ten seconds


def test_after_a_restart_the_cache_answers_again_without_a_miss(redis_server_binary, monkeypatch, caplog):
    monkeypatch.setattr(fail_soft, "RETRY_AFTER", 0)
    redis = RedisServer(free_port())
    cache = cache_at(redis.url)
    with redis, caplog.at_level(logging.WARNING, logger="community.cache"):
        # Given a cache that has a pooled connection to Redis
        cache.set("ranking", [1, 2, 3])
        assert cache.get("ranking") == [1, 2, 3]

        # When Redis restarts (its data gone, the pooled connection dead)
        redis.stop()
        redis.start()

        # Then the first call is served on a new connection: not a miss, no outage
        cache.set("ranking", [4, 5])
        assert cache.get("ranking") == [4, 5]
        assert warnings_from(caplog) == []

        # When Redis is down for a while, then back
        redis.stop()
        assert cache.get("ranking") is None
        redis.start()

        # Then the cache is used again, and says so once
        cache.set("ranking", [6])
        assert cache.get("ranking") == [6]
        assert cache.unavailable is None
    logged = warnings_from(caplog)
    assert len(logged) == 2 and "unavailable" in logged[0] and "answers again" in logged[1]
