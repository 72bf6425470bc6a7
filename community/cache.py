"""The Redis cache, fail-soft: when Redis cannot be reached, a read is a miss and a write is skipped.

Nothing the site keeps in the cache is the only copy of anything: Wagtail's site paths and the home
page's rankings are computed again, and the rate limits kept there (allauth's sign-in limits, DRF's
API throttles) count nothing while Redis is away, so they let requests through (fail open) rather
than lock everyone out. A failure is logged once a minute, not once a call; after one, the cache is
left alone for a moment, so a Redis that hangs costs one timeout, not one for every call.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY = 60.0  # seconds between two warnings about one outage
RETRY_AFTER = 2.0  # seconds after a failure during which calls do not try Redis at all

_UNAVAILABLE = object()


class Outage:
    """The state of one Redis location, shared by every thread's cache object (Django makes one per thread)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._lock = threading.Lock()
        self.since: float | None = None  # when the current outage began
        self.last_error: str | None = None
        self._retry_at = 0.0
        self._warned_at: float | None = None
        self._unreported = 0

    def skipping(self) -> bool:
        return self.since is not None and time.monotonic() < self._retry_at

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            if self.since is None:
                self.since = now
            self.last_error = error.__class__.__name__
            self._retry_at = now + RETRY_AFTER
            self._unreported += 1
            if self._warned_at is not None and now - self._warned_at < WARN_EVERY:
                return
            failures, self._unreported, self._warned_at = self._unreported, 0, now
        logger.warning(
            "Cache at %s unavailable (%s: %s): serving without it; %d failed call(s) since the last warning",
            self.location,
            error.__class__.__name__,
            error,
            failures,
        )

    def answered(self) -> None:
        if self.since is None:  # the usual case, without taking the lock
            return
        with self._lock:
            if self.since is None:
                return
            lasted, self.since, self.last_error, self._warned_at = time.monotonic() - self.since, None, None, None
        logger.warning("Cache at %s answers again, after %.1f s", self.location, lasted)


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage(location))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache that answers as a miss, and skips writes, while Redis is unreachable.
    `add` answers True then: allauth's rate-limit lock waits on it, and a lock nobody can take would
    refuse every sign-in."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.outage = outage_of(",".join(_without_password(url) for url in self._servers))

    @property
    def unavailable(self) -> str | None:
        """Why the cache is not answering now (the error's class name), or None when it is."""
        return self.outage.last_error if self.outage.since is not None else None

    def _call(self, operation, fallback, *args, **kwargs):
        if self.outage.skipping():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except RedisError as error:
            self.outage.failed(error)
            return fallback
        self.outage.answered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._call(super().incr, _UNAVAILABLE, key, delta, version)
        if value is _UNAVAILABLE:
            raise ValueError(f"Key '{key}' not found.")  # what a miss answers
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)  # the keys not stored

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)
