"""What every Mutua socket shares: the server speaks, a client only pings to keep it open. Anything
else a client sends — not JSON, not an object, too long, nested too deep — is ignored, and the
socket stays open. A member who must first enrol in two-factor sign-in gets no socket at all."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from members.mfa import must_enrol

# A ping is a dozen characters: a client has nothing longer to say.
MAX_CLIENT_MESSAGE = 1024
FORBIDDEN = 4403  # the close code of every refused socket
_must_enrol = database_sync_to_async(must_enrol)  # it reads the member's role and authenticators


class ServerEventsConsumer(AsyncJsonWebsocketConsumer):
    async def websocket_connect(self, message):
        # The pages let such a member open only the account pages (members.mfa): no events either.
        user = self.scope.get("user")
        if user is not None and user.is_authenticated and await _must_enrol(user):
            await self.close(code=FORBIDDEN)
            return
        await super().websocket_connect(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > MAX_CLIENT_MESSAGE:
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            return
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def realtime_event(self, message):
        await self.send(text_data=message["text"])  # JSON already, serialised once per event
