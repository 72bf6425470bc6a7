from django.conf import settings
from django.http import Http404
from django.views.static import serve


def media(request, path: str):
    """Uploads (re-encoded avatars), when no proxy serves MEDIA_ROOT; read per request so that the
    setting can change under tests."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name too long for the file system, say: no file has it
        raise Http404("No such file.") from None
