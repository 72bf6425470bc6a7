"""The resource library is edited in /cms/ as a snippet, next to the pages; its files are served
only to those its audience allows."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
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
