import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# What /media/ may serve: avatars, and Wagtail's images (renditions and originals) that illustrate
# articles. Documents are never here: they go through /documents/, which checks who may open them.
PUBLIC_MEDIA = ("avatars/", "images/", "original_images/")


def media(request, path: str):
    """Public uploads, when no proxy serves them; MEDIA_ROOT is read per request so that the
    setting can change under tests."""
    if not posixpath.normpath(path).lstrip("/").startswith(PUBLIC_MEDIA):  # as serve() resolves it
        raise Http404("No such file.")
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # a name too long for the file system, say: no file has it
        raise Http404("No such file.") from None
