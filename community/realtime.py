"""Realtime events: sent to channel-layer groups once the surrounding transaction commits.

The write always stands without them: if the channel layer is down the error is logged and clients
catch up on their next page load or reconnect.

A request hands its events over without waiting for them to be delivered. They run on the event
loop of the server that called the sync code (Daphne's, through sync_to_async: the in-memory
layer's queues live there), or else on one event loop per process in a background thread. Either
loop lives as long as the process, so channels-redis keeps its connections (it pools them per event
loop) instead of opening one per event.
"""

import asyncio
import atexit
import json
import logging
import os
import threading
import weakref
from concurrent.futures import Future, wait

from asgiref.sync import SyncToAsync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# How long `send_event_now` waits for delivery, and how long a process at exit waits for events
# still on their way; a channel layer that hangs must not hang the caller.
SEND_NOW_TIMEOUT = 5.0
EXIT_TIMEOUT = 2.0


def send_event_on_commit(event: dict, *, groups: list[str]) -> None:
    """Deliver `event` (a small JSON-able dict) to each group after commit, as a `realtime.event`.
    The commit does not wait for the delivery."""
    transaction.on_commit(lambda: _hand_over(event, groups))


def send_event_now(event: dict, *, groups: list[str]) -> None:
    """Deliver `event` now and wait (up to SEND_NOW_TIMEOUT) until the channel layer has taken it."""
    future = _hand_over(event, groups)
    if future is not None and not wait([future], timeout=SEND_NOW_TIMEOUT).done:
        logger.error("Gave up waiting to send %s to %s", event.get("type"), ", ".join(groups))


def flush(timeout: float = SEND_NOW_TIMEOUT) -> bool:
    """Wait until every event handed over so far has been sent (or has failed and been logged).
    True when nothing is left on its way."""
    return _sender.flush(timeout)


def _hand_over(event: dict, groups: list[str]) -> Future | None:
    layer = get_channel_layer()
    if layer is None:
        return None
    return _sender.submit(_deliver(layer, event, groups))


async def _deliver(layer, event: dict, groups: list[str]) -> None:
    # Serialised once here, not once per socket: a thread with a thousand readers sends the same text.
    message = {"type": "realtime.event", "text": json.dumps(event)}
    async with _in_order():  # a post's "created" must not overtake an earlier "changed"
        for group in groups:
            try:
                await layer.group_send(group, message)
            except Exception:  # a dead layer must never undo or fail a committed write
                logger.exception("Could not send %s to %s", event.get("type"), group)


_ORDER_LOCKS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


def _in_order() -> asyncio.Lock:
    """One lock per event loop: deliveries start in the order they were handed over and the lock
    is first come, first served, so events leave in that order."""
    loop = asyncio.get_running_loop()
    if loop not in _ORDER_LOCKS:
        _ORDER_LOCKS[loop] = asyncio.Lock()
    return _ORDER_LOCKS[loop]


class _Sender:
    """The process's event loop for outgoing events, started on first use (and again in a forked
    child, which inherits the parent's loop object but not its thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._pending: set[Future] = set()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="realtime-events", daemon=True)
                self._thread.start()
                self._pid = os.getpid()
                self._pending = set()
            return self._loop

    def submit(self, coroutine) -> Future:
        loop = _callers_loop() or self._running_loop()
        try:
            future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        except RuntimeError:  # the caller's loop closed under us (server shutting down)
            future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def flush(self, timeout: float) -> bool:
        with self._lock:
            pending = list(self._pending)
        return not pending or not wait(pending, timeout=timeout).not_done


def _callers_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop whose sync_to_async call runs this thread, as async_to_sync finds it."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is not None and getattr(local, "main_event_loop_pid", None) == os.getpid() and loop.is_running():
        return loop
    return None


_sender = _Sender()
atexit.register(flush, EXIT_TIMEOUT)
