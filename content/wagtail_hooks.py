"""The resource library is edited in /cms/ as a snippet, next to the pages; its files are served
only to those its audience allows."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from wagtail import hooks
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
