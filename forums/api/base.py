"""What every module of the forums API shares: the documented error answers, the base views
(reading public groups needs no account), input validation, a post's serializer context, and the
references to a person, a group and a thread that many answers carry."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.views import APIView

from community.schema import ErrorSerializer


ERROR_DESCRIPTIONS = {
    400: "Invalid input: `{field: [message]}`, or `{detail: message}` for a rule about the whole request.",
    403: "Not allowed: `{detail: message}`.",
    404: "Not found, or in a private group you are not in.",
    409: "Already done (a duplicate): `{detail: message}`.",
    429: "Too much too fast for your trust level: `{detail: message}` (or `{body: [message]}`).",
}


def answers(success: dict, *errors: int) -> dict:
    """The documented responses of an operation: its success and the errors it can answer."""
    documented = dict(success)
    for code in errors:
        schema = OpenApiTypes.OBJECT if code == 400 else ErrorSerializer
        documented[code] = OpenApiResponse(schema, description=ERROR_DESCRIPTIONS[code])
    return documented


class ForumView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]


class ForumListView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]


def valid_input(serializer_class, data, **kwargs) -> dict:
    incoming = serializer_class(data=data, **kwargs)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


def post_context(request, *, can_moderate: bool = False) -> dict:
    return {"request": request, "viewer": request.user, "can_moderate": can_moderate}


class ForumPersonSerializer(serializers.Serializer):
    handle = serializers.CharField(source="username")
    name = serializers.CharField()


class ForumGroupRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ForumThreadRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
