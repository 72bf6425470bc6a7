"""/healthz: is the database answering, is the channel layer answering."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure is a health answer, not a crash
        return f"error: {error.__class__.__name__}"


async def _round_trip(layer) -> None:
    """Send to a fresh channel and read the message back, within two seconds."""
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz", "nonce": uuid.uuid4().hex})
    await asyncio.wait_for(layer.receive(channel), timeout=2)


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
    checks = {"database": _database(), "channel_layer": _channel_layer()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
