"""The follows API: follow a member or stop following them. The same services as the pages
(members.services.follows)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Follow
from .reciprocity import GiverSerializer


class FollowSerializer(serializers.ModelSerializer):
    follower = GiverSerializer()
    followed = GiverSerializer()

    class Meta:
        model = Follow
        fields = ["id", "follower", "followed", "created", "ended_at"]


class FollowMember(APIView):
    """Follow a member (POST) or stop following them (DELETE). A follow creates no obligation;
    unfollowing tells nobody."""

    @extend_schema(request=None, responses={201: FollowSerializer})
    def post(self, request, handle: str):
        followed = selectors.profile(handle)
        follow = services.follow(follower=request.user, followed=followed)
        return Response(FollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FollowSerializer)
    def delete(self, request, handle: str):
        followed = selectors.profile(handle)
        follow = services.unfollow(follower=request.user, followed=followed)
        return Response(FollowSerializer(follow).data)
