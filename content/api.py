"""Published content through Wagtail's API v2 (/api/v2/: pages, images, documents), and the site
actions around it in /api/v1/content/: share, guest-post submission and a member's digest credits."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from members.models import Give

from . import selectors, services
from .errors import ContentError


class PublishedPagesAPIViewSet(PagesAPIViewSet):
    """Live, public pages are for everyone, as on the site; images and documents stay for members,
    since the library holds members-only files."""

    permission_classes = [AllowAny]


class AudienceDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Only the documents the caller may open, listed and found alike (a group's file is not found
    for others), by the rule the download itself applies."""

    def get_queryset(self):
        allowed = selectors.downloadable_documents(self.request.user).values("pk")
        return super().get_queryset().filter(pk__in=allowed)


wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PublishedPagesAPIViewSet)
wagtail_api.register_endpoint("images", ImagesAPIViewSet)
wagtail_api.register_endpoint("documents", AudienceDocumentsAPIViewSet)


class ShareOutputSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The page's address, to copy and pass on.")
    share_count = serializers.IntegerField()


class GuestPostInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, help_text="Markdown; at least 50 words.")
    bio = serializers.CharField(max_length=1000)
    website = serializers.URLField(required=False, allow_blank=True, default="")
    linkedin = serializers.URLField(required=False, allow_blank=True, default="")


class GuestPostOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(source="status_string")


class CreditSerializer(serializers.ModelSerializer):
    giver = serializers.CharField(source="giver.username")
    page_id = serializers.IntegerField(source="subject_id")

    class Meta:
        model = Give
        fields = ["id", "giver", "page_id", "created", "acknowledgement"]


def _page_url(request, page: Page) -> str:
    return request.build_absolute_uri(page.url)


class ShareView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="content_share",
        request=None,
        responses={201: ShareOutputSerializer, 409: OpenApiResponse(description="Shared already (the link again)")},
    )
    def post(self, request, page_id: int):
        """Share a published article, digest or guest post: a `share` give to its authors."""
        page = Page.objects.live().public().filter(pk=page_id).first()
        if page is None:
            return Response({"detail": "No such published page."}, status=status.HTTP_404_NOT_FOUND)
        try:
            services.share(member=request.user, page=page)
            answer = status.HTTP_201_CREATED
        except ContentError as error:
            if error.status != 409:
                raise
            # Shared already: the answer still carries the link, to copy again.
            answer = status.HTTP_409_CONFLICT
        page = page.specific
        page.refresh_from_db(fields=["share_count"])
        return Response({"url": _page_url(request, page), "share_count": page.share_count}, status=answer)


class GuestPostView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="content_guest_post_create",
        request=GuestPostInputSerializer,
        responses={201: GuestPostOutputSerializer},
    )
    def post(self, request):
        """Submit a guest post: it enters the editorial workflow, and a manager reviews it."""
        data = GuestPostInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        page = services.submit_guest_post(member=request.user, **data.validated_data)
        return Response(GuestPostOutputSerializer(page).data, status=status.HTTP_201_CREATED)


class CreditList(generics.ListAPIView):
    """Your digest and guest-post credits: each one a `credit` give in the ledger."""

    serializer_class = CreditSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Give.objects.filter(receiver=self.request.user, kind=Give.Kind.CREDIT).select_related("giver")
