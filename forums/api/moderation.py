"""The moderation API: locking and pinning threads, flagging posts, hiding, restoring and approving
them or dismissing their flags, the site moderators' queue, and a member's standing (suspension,
trust level). The same services as the pages (forums.services.moderation)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from members.models import Member

from .. import selectors, services
from ..models import Flag, Participant, Post, TrustLevel
from .base import (
    ForumGroupRefSerializer,
    ForumPersonSerializer,
    ForumThreadRefSerializer,
    ForumView,
    answers,
    post_context,
    valid_input,
)
from .posting import ForumPostSerializer, ForumThreadSerializer


class ForumFlagSerializer(serializers.ModelSerializer):
    post = serializers.IntegerField(source="post_id")

    class Meta:
        model = Flag
        fields = ["id", "post", "reason", "created"]


class ForumOpenFlagSerializer(serializers.ModelSerializer):
    flagger = ForumPersonSerializer()

    class Meta:
        model = Flag
        fields = ["id", "flagger", "reason", "created"]


class ForumQueuePostSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Post.Status.choices)
    author = ForumPersonSerializer()
    thread = ForumThreadRefSerializer()
    group = ForumGroupRefSerializer(source="thread.group")
    html = serializers.CharField(help_text="Sanitised HTML rendered from `body`: the one to show.")

    class Meta:
        model = Post
        fields = ["id", "number", "status", "author", "thread", "group", "html", "body", "created", "edited_at"]


class ForumFlaggedPostSerializer(ForumQueuePostSerializer):
    flags = ForumOpenFlagSerializer(source="open_flags", many=True, help_text="The open flags, with their reasons.")

    class Meta(ForumQueuePostSerializer.Meta):
        fields = [*ForumQueuePostSerializer.Meta.fields, "flags"]


class ForumModerationQueueSerializer(serializers.Serializer):
    flagged = ForumFlaggedPostSerializer(many=True)
    held = ForumQueuePostSerializer(many=True, help_text="Posts waiting for review (links from new members).")


class ForumStandingSerializer(serializers.ModelSerializer):
    handle = serializers.CharField(source="member.username")
    suspended = serializers.BooleanField(source="is_suspended")
    trust_level = serializers.ChoiceField(choices=TrustLevel.choices)

    class Meta:
        model = Participant
        fields = [
            "handle",
            "trust_level",
            "trust_granted",
            "suspended",
            "suspended_until",
            "suspension_reason",
            "post_count",
            "reactions_received",
        ]


class ForumReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Kept with the decision in the moderation log.")


class ForumApprovalInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, required=False, default="Links checked", help_text="Kept in the moderation log."
    )


class ForumFlagInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="What is wrong with the post, for the moderators.")


class ForumSuspensionInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=0, max_value=365, help_text="0 lifts a suspension.")
    reason = serializers.CharField(max_length=500)


class ForumTrustInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TrustLevel.choices)
    reason = serializers.CharField(max_length=500)


class ThreadModeration(ForumView):
    """Lock, unlock, pin or unpin a thread, with a reason for the log (the group's moderators)."""

    @extend_schema(
        request=ForumReasonInputSerializer, responses=answers({200: ForumThreadSerializer}, 400, 403, 404, 409)
    )
    def post(self, request, thread_id: int, action: str):
        thread = selectors.access_thread(request.user, thread_id)
        reason = valid_input(ForumReasonInputSerializer, request.data)["reason"]
        if action in ("lock", "unlock"):
            thread = services.lock_thread(moderator=request.user, thread=thread, locked=action == "lock", reason=reason)
        else:
            thread = services.pin_thread(moderator=request.user, thread=thread, pinned=action == "pin", reason=reason)
        return Response(ForumThreadSerializer(thread).data)


class PostFlags(ForumView):
    """Flag a post for the moderators, with a reason; once per post."""

    @extend_schema(request=ForumFlagInputSerializer, responses=answers({201: ForumFlagSerializer}, 400, 404, 409))
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        reason = valid_input(ForumFlagInputSerializer, request.data)["reason"]
        flag = services.flag_post(member=request.user, post=post, reason=reason)
        return Response(ForumFlagSerializer(flag).data, status=status.HTTP_201_CREATED)


MODERATE_POST = {
    "hide": services.hide_post,
    "restore": services.restore_post,
    "dismiss-flags": services.dismiss_flags,
}


class PostModeration(ForumView):
    """Hide a post, restore a hidden one, or dismiss a post's flags, with a reason for the log (the
    group's moderators)."""

    @extend_schema(
        request=ForumReasonInputSerializer, responses=answers({200: ForumPostSerializer}, 400, 403, 404, 409)
    )
    def post(self, request, post_id: int, action: str):
        post = selectors.access_post(request.user, post_id)
        reason = valid_input(ForumReasonInputSerializer, request.data)["reason"]
        post = MODERATE_POST[action](moderator=request.user, post=post, reason=reason)
        return Response(ForumPostSerializer(post, context=post_context(request, can_moderate=True)).data)


class PostApproval(ForumView):
    """Publish a held post (links from a new member) with everything posting does (the group's moderators)."""

    @extend_schema(request=ForumApprovalInputSerializer, responses=answers({200: ForumPostSerializer}, 400, 403, 404))
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        reason = valid_input(ForumApprovalInputSerializer, request.data)["reason"]
        post = services.approve_post(moderator=request.user, post=post, reason=reason)
        return Response(ForumPostSerializer(post, context=post_context(request, can_moderate=True)).data)


class ModerationQueue(ForumView):
    """What waits for the site's moderators: posts with open flags (and their reasons) and held posts."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=answers({200: ForumModerationQueueSerializer}, 403))
    def get(self, request):
        selectors.check_moderate_permission(request.user)
        return Response(ForumModerationQueueSerializer(selectors.moderation_queue()).data)


def _standing_of(handle: str) -> Member:
    return get_object_or_404(Member, username=handle)


class MemberSuspension(ForumView):
    """Suspend a member from posting, reacting and voting for some days; 0 lifts it (moderators)."""

    @extend_schema(
        request=ForumSuspensionInputSerializer, responses=answers({200: ForumStandingSerializer}, 400, 403, 404)
    )
    def post(self, request, handle: str):
        data = valid_input(ForumSuspensionInputSerializer, request.data)
        participant = services.suspend_member(
            moderator=request.user, member=_standing_of(handle), days=data["days"], reason=data["reason"]
        )
        return Response(ForumStandingSerializer(participant).data)


class MemberTrust(ForumView):
    """Grant a member a trust level; activity no longer changes it (community managers)."""

    @extend_schema(request=ForumTrustInputSerializer, responses=answers({200: ForumStandingSerializer}, 400, 403, 404))
    def put(self, request, handle: str):
        data = valid_input(ForumTrustInputSerializer, request.data)
        participant = services.set_trust_level(
            actor=request.user, member=_standing_of(handle), level=data["level"], reason=data["reason"]
        )
        return Response(ForumStandingSerializer(participant).data)
