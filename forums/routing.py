from django.urls import path

from .consumers import GroupActivityConsumer, ThreadConsumer

websocket_urlpatterns = [
    path("ws/threads/<int:thread_id>/", ThreadConsumer.as_asgi()),
    path("ws/forums/", GroupActivityConsumer.as_asgi()),
]
