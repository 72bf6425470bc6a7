"""/healthz: is the database answering, is the cache answering, is the channel layer answering.

Only a database that does not answer makes it 503: this process cannot serve anyone then. Redis
(the cache and the channel layer) is shared by every web process, and without it pages, sign-in
and posting still work, only live updates stop; a 503 for it would make a load balancer or Docker's
health check take every process out at once because Redis blinked. So a Redis outage answers 200
with "status": "degraded" and says which part is down, for monitoring to alert on.
"""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

ROUND_TRIP_TIMEOUT = 2.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure is a health answer, not a crash
        return f"error: {error.__class__.__name__}"


def _cache() -> str:
    """Write a key and read it back. The fail-soft cache never raises: a miss says it is down, and it
    knows why."""
    cache = caches["default"]
    key, nonce = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, nonce, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    if found == nonce:
        return "ok"
    return f"error: {getattr(cache, 'unavailable', None) or 'unavailable'}"


async def _round_trip(layer) -> None:
    """Send to a fresh channel and read the message back, within ROUND_TRIP_TIMEOUT."""
    async with asyncio.timeout(ROUND_TRIP_TIMEOUT):
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz", "nonce": uuid.uuid4().hex})
        await layer.receive(channel)


def _channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error: not configured"
    try:
        async_to_sync(_round_trip)(layer)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "cache": _cache(), "channel_layer": _channel_layer()}
    if checks["database"] != "ok":
        status, code = "error", 503
    elif all(state == "ok" for state in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return JsonResponse({"status": status, **checks}, status=code)
