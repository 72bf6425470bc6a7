"""Live forum pages: a thread's page joins `thread.<id>`, the group list joins `group.<id>` for each
group the member can read. Access is checked when the socket opens, as for the page itself."""

from channels.db import database_sync_to_async

from community.sockets import FORBIDDEN, ServerEventsConsumer

from . import selectors
from .models import Thread


@database_sync_to_async
def _readable_thread(user, thread_id: int) -> bool:
    thread = Thread.objects.select_related("group").filter(pk=thread_id).first()
    return thread is not None and selectors.can_read_thread(user, thread)


@database_sync_to_async
def _readable_group_ids(user) -> list[int]:
    return list(selectors.visible_groups(user).values_list("pk", flat=True))


class _EventConsumer(ServerEventsConsumer):
    groups_joined: list[str]

    async def join(self, names: list[str]) -> None:
        self.groups_joined = names
        for name in names:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for name in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(name, self.channel_name)


class ThreadConsumer(_EventConsumer):
    async def connect(self):
        thread_id = self.scope["url_route"]["kwargs"]["thread_id"]
        if not await _readable_thread(self.scope["user"], thread_id):
            await self.close(code=FORBIDDEN)  # the same answer for a missing and a private thread
            return
        await self.join([f"thread.{thread_id}"])


class GroupActivityConsumer(_EventConsumer):
    async def connect(self):
        await self.join([f"group.{pk}" for pk in await _readable_group_ids(self.scope["user"])])
