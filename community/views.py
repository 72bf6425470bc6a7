from django.conf import settings
from django.shortcuts import render
from django.views.static import serve

from members.selectors import home_figures


def home(request):
    return render(request, "home.html", home_figures())


def media(request, path: str):
    """Uploads (re-encoded avatars), when no proxy serves MEDIA_ROOT; read per request so that the
    setting can change under tests."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
