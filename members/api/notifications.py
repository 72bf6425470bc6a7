"""The notifications API: your notifications, newest first, and marking them all read."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created", "read_at"]


class NotificationList(generics.ListAPIView):
    """Your notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def paginate_queryset(self, queryset):
        # As on the page: a give's notification names its object and links to it.
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.describe_notifications(page)


class NotificationsRead(APIView):
    """Mark all your notifications as read."""

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    def post(self, request):
        return Response({"marked": services.mark_notifications_read(member=request.user)})
