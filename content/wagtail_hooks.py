"""The resource library is edited in /cms/ as a snippet, next to the pages; its files are served
only to those its audience allows. Editors see Mutua's avatars and names and a way back to the site."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import escape
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Resource
from .selectors import check_download_permission


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = "Resources"
    list_display = ["title", "category", "audience", "group"]
    list_filter = ["category", "audience"]
    search_fields = ["title", "description"]


register_snippet(ResourceViewSet)


@hooks.register("before_serve_document")
def check_document_audience(document, request):
    try:
        check_download_permission(request.user, document)
    except PermissionDenied:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())
    if settings.MEDIA_STORAGE == "s3":
        return redirect_to_signed_file(document)


def redirect_to_signed_file(document) -> HttpResponseRedirect:
    """The reader was let in: send them to the private bucket with an address that works only briefly
    (a link passed on stops working), under the document's own name and type."""
    url = document.file.storage.url(
        document.file.name,
        expire=settings.DOCUMENT_URL_EXPIRY,
        parameters={
            "ResponseContentDisposition": document.content_disposition,
            "ResponseContentType": document.content_type,
        },
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


# The editors' side of /cms/: Mutua's own avatars and names, and the way back to the site.

AVATAR_COLOURS = ["#0b5d57", "#b4531d", "#3d5a80", "#6a4c93", "#2a7f62", "#8c2f39"]


@hooks.register("get_avatar_url")
def member_avatar(user, size):
    """The member's own picture, else their initials drawn here: Gravatar stays off (it would send
    every editor's e-mail hash to an outside service) and Wagtail's grey silhouette says nothing."""
    if getattr(user, "avatar", None):
        return user.avatar.url
    initials = escape(getattr(user, "initials", "") or "?")
    colour = AVATAR_COLOURS[(user.pk or 0) % len(AVATAR_COLOURS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" fill="{colour}"/><text x="20" y="25.5" fill="#fff" font-size="15" '
        f'font-family="system-ui, sans-serif" font-weight="700" text-anchor="middle">{initials}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


class CurationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("content.add_digestselection")


@hooks.register("register_admin_menu_item")
def back_to_the_site():
    return MenuItem("Back to Mutua", "/", name="back-to-site", icon_name="home", order=1)


@hooks.register("register_admin_menu_item")
def curation_queue():
    return CurationMenuItem("Curation", reverse("content:curation"), name="curation", icon_name="openquote", order=150)
