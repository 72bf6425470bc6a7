from django.conf import settings
from django.views.static import serve


def media(request, path: str):
    """Uploads (re-encoded avatars), when no proxy serves MEDIA_ROOT; read per request so that the
    setting can change under tests."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
