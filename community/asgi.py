"""ASGI entry point: HTTP through Django, WebSockets through the apps' routes."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from forums.routing import websocket_urlpatterns as forum_routes  # noqa: E402
from members.routing import websocket_urlpatterns as member_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter([*member_routes, *forum_routes]))),
    }
)
