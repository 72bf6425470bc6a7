"""The member's own socket: every event sent to group `member.<id>` reaches their open pages."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = f"member.{user.pk}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The socket is for server events; clients only ping to keep it open.
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def realtime_event(self, message):
        await self.send(text_data=message["text"])  # JSON already, serialised once per event
