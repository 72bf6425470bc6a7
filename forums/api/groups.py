"""The groups API: the groups you can see, opening and changing one, joining and leaving, its
members, invitations and membership requests, and who can be mentioned in it. The same services as
the pages (forums.services.groups)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from members.models import Member

from .. import selectors, services
from ..models import Group, GroupMembership
from .base import ForumListView, ForumPersonSerializer, ForumView, answers, valid_input


class ForumGroupSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Group.Kind.choices)
    visibility = serializers.ChoiceField(choices=Group.Visibility.choices)
    policy = serializers.ChoiceField(choices=Group.Policy.choices)
    my_status = serializers.ChoiceField(
        choices=GroupMembership.Status.choices,
        allow_null=True,
        read_only=True,
        help_text="Your membership: active, requested or invited; null when you have none.",
    )
    readable = serializers.BooleanField(
        read_only=True,
        help_text="Whether you can read its threads: false for a members-only group while you are signed out "
        "(sign in to read), or a private group you are invited to (accept to read).",
    )

    class Meta:
        model = Group
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "kind",
            "visibility",
            "policy",
            "contributions_before_promotion",
            "thread_count",
            "post_count",
            "member_count",
            "created",
            "last_activity_at",
            "my_status",
            "readable",
        ]
        read_only_fields = fields


class ForumGroupDetailSerializer(ForumGroupSerializer):
    my_role = serializers.ChoiceField(choices=GroupMembership.Role.choices, allow_null=True, read_only=True)
    can_moderate = serializers.BooleanField(read_only=True)

    class Meta(ForumGroupSerializer.Meta):
        fields = [*ForumGroupSerializer.Meta.fields, "my_role", "can_moderate"]
        read_only_fields = fields


class ForumMembershipSerializer(serializers.ModelSerializer):
    group = serializers.SlugField(source="group.slug")
    member = ForumPersonSerializer()
    status = serializers.ChoiceField(choices=GroupMembership.Status.choices)
    role = serializers.ChoiceField(choices=GroupMembership.Role.choices)

    class Meta:
        model = GroupMembership
        fields = ["id", "group", "member", "status", "role", "created"]


class ForumGroupInputSerializer(serializers.Serializer):
    """A group's settings; the services hold the rules (name length, reserved names, duplicates)."""

    name = serializers.CharField(max_length=80)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=Group.Kind.choices, required=False)
    visibility = serializers.ChoiceField(choices=Group.Visibility.choices, required=False)
    policy = serializers.ChoiceField(choices=Group.Policy.choices, required=False)
    contributions_before_promotion = serializers.IntegerField(min_value=0, max_value=100, required=False)


class ForumInvitationInputSerializer(serializers.Serializer):
    handle = serializers.CharField(max_length=150, help_text="The invitee's handle.")


def _with_membership(group: Group, member) -> Group:
    """The caller's place in a group (`my_status`, `my_role`, `can_moderate`), as the group page shows it."""
    membership = GroupMembership.objects.filter(group=group, member=member).first() if member.is_authenticated else None
    group.my_status = membership.status if membership else None
    group.my_role = membership.role if membership else None
    group.can_moderate = selectors.is_group_moderator(member, group)
    group.readable = True  # only a group the caller may read is answered in full
    return group


class GroupList(ForumListView):
    """The groups you can see, with your membership status. POST opens a group (community managers)."""

    serializer_class = ForumGroupSerializer

    def get_queryset(self):
        return selectors.group_list(self.request.user)

    @extend_schema(request=ForumGroupInputSerializer, responses=answers({201: ForumGroupDetailSerializer}, 400, 403))
    def post(self, request):
        data = valid_input(ForumGroupInputSerializer, request.data)
        group = services.create_group(actor=request.user, **data)
        return Response(
            ForumGroupDetailSerializer(_with_membership(group, request.user)).data, status=status.HTTP_201_CREATED
        )


class GroupDetail(ForumView):
    """One group, with your place in it. PATCH changes its settings (community managers)."""

    @extend_schema(responses=answers({200: ForumGroupDetailSerializer}, 403, 404))
    def get(self, request, slug: str):
        group = selectors.access_group(request.user, slug)
        return Response(ForumGroupDetailSerializer(_with_membership(group, request.user)).data)

    @extend_schema(
        request=ForumGroupInputSerializer, responses=answers({200: ForumGroupDetailSerializer}, 400, 403, 404)
    )
    def patch(self, request, slug: str):
        group = selectors.access_group(request.user, slug)
        data = valid_input(ForumGroupInputSerializer, request.data, partial=True)
        group = services.update_group(actor=request.user, group=group, **data)
        return Response(ForumGroupDetailSerializer(_with_membership(group, request.user)).data)


class GroupJoin(ForumView):
    """Join an open group, ask to join a request-to-join group (status `requested`), or accept an
    invitation to an invitation-only one."""

    @extend_schema(request=None, responses=answers({200: ForumMembershipSerializer}, 400, 403, 404))
    def post(self, request, slug: str):
        group = selectors.access_group_to_join(request.user, slug)
        membership = services.join_group(member=request.user, group=group)
        return Response(ForumMembershipSerializer(membership).data)


class GroupLeave(ForumView):
    """Leave a group, withdraw a request to join it, or decline an invitation."""

    @extend_schema(request=None, responses=answers({204: None}, 400, 404))
    def post(self, request, slug: str):
        group = selectors.access_group_to_join(request.user, slug)
        services.leave_group(member=request.user, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[OpenApiParameter("status", str, enum=GroupMembership.Status.values, description="Only these.")],
    responses=answers({200: ForumMembershipSerializer(many=True)}, 403, 404),
)
class GroupMemberships(ForumListView):
    """A group's members, requests to join and invitations (the group's moderators)."""

    serializer_class = ForumMembershipSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        group = selectors.access_group(self.request.user, self.kwargs["slug"])
        selectors.check_moderate_permission(self.request.user, group)
        memberships = group.memberships.select_related("group", "member").order_by("status", "member__display_name")
        wanted = self.request.query_params.get("status")
        return memberships.filter(status=wanted) if wanted in GroupMembership.Status.values else memberships


class GroupInvitations(ForumView):
    """Invite a member into the group (the group's moderators)."""

    @extend_schema(
        request=ForumInvitationInputSerializer, responses=answers({201: ForumMembershipSerializer}, 400, 403, 404)
    )
    def post(self, request, slug: str):
        group = selectors.access_group(request.user, slug)
        selectors.check_moderate_permission(request.user, group)
        handle = valid_input(ForumInvitationInputSerializer, request.data)["handle"]
        invitee = Member.objects.filter(username__iexact=handle, is_active=True).first()
        if invitee is None:
            raise ValidationError({"handle": ["No member has that handle."]})
        membership = services.invite_member(actor=request.user, group=group, member=invitee)
        return Response(ForumMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipDecision(ForumView):
    """Approve or decline a request to join (the group's moderators). A declined request is removed."""

    @extend_schema(request=None, responses=answers({200: ForumMembershipSerializer, 204: None}, 400, 403))
    def post(self, request, membership_id: int, answer: str):
        membership = services.decide_membership(
            actor=request.user, membership_id=membership_id, approve=answer == "approve"
        )
        if answer != "approve":
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ForumMembershipSerializer(membership).data)


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="The start of a handle or of a word of a name (after the @).")],
    responses=answers({200: ForumPersonSerializer(many=True)}, 403, 404),
)
class GroupMentionable(generics.ListAPIView):
    """Up to 8 members an @mention in this group reaches, for the reply box's suggestions: the
    group's members first. For signed-in members, like the directory."""

    serializer_class = ForumPersonSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        group = selectors.access_group(self.request.user, self.kwargs["slug"])
        return selectors.mentionable_members(self.request.user, group, self.request.query_params.get("q", "")[:30])
