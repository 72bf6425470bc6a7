"""The resource library is edited in /cms/ as a snippet, next to the pages."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Resource


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    menu_label = "Resources"
    list_display = ["title", "category", "audience", "group"]
    list_filter = ["category", "audience"]
    search_fields = ["title", "description"]


register_snippet(ResourceViewSet)
