"""Realtime events: sent to channel-layer groups once the surrounding transaction commits.

The write always stands without them: if the channel layer is down the error is logged and clients
catch up on their next page load or reconnect.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def send_event_on_commit(event: dict, *, groups: list[str]) -> None:
    """Deliver `event` (a small JSON-able dict) to each group after commit, as a `realtime.event`."""
    transaction.on_commit(lambda: send_event_now(event, groups=groups))


def send_event_now(event: dict, *, groups: list[str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, {"type": "realtime.event", "event": event})
        except Exception:  # a dead layer must never undo or fail a committed write
            logger.exception("Could not send %s to %s", event.get("type"), group)
