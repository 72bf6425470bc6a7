"""Searching the forums: visible posts (and thread titles) matching the words, newest first, in the groups
you can read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from .. import selectors
from ..models import Post
from .base import ForumGroupRefSerializer, ForumListView, ForumPersonSerializer, ForumThreadRefSerializer


class ForumSearchResultSerializer(serializers.ModelSerializer):
    author = ForumPersonSerializer()
    thread = ForumThreadRefSerializer()
    group = ForumGroupRefSerializer(source="thread.group")
    html = serializers.CharField(help_text="Sanitised HTML rendered from the post's Markdown.")

    class Meta:
        model = Post
        fields = ["id", "number", "author", "thread", "group", "html", "created"]


class SearchPagination(PageNumberPagination):
    page_size = 20


@extend_schema(parameters=[OpenApiParameter("q", str, description="Words to find in posts and thread titles.")])
class Search(ForumListView):
    """Visible posts matching `q`, newest first, in the groups you can read."""

    serializer_class = ForumSearchResultSerializer
    pagination_class = SearchPagination

    def get_queryset(self):
        return selectors.search(self.request.user, self.request.query_params.get("q", "")[:200])
