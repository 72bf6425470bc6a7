"""What every Mutua socket shares: the server speaks, a client only pings to keep it open. Anything
else a client sends — not JSON, not an object, too long, nested too deep — is ignored, and the
socket stays open."""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

# A ping is a dozen characters: a client has nothing longer to say.
MAX_CLIENT_MESSAGE = 1024


class ServerEventsConsumer(AsyncJsonWebsocketConsumer):
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
