"""The forums API: the same rules as the pages, because the same selectors and services enforce them.

Views validate input, call one selector or service, and answer. A refused rule (`ForumError`) answers
with its own status (400, 409 for a duplicate, 429 for too much too fast): `{"detail": message}`, or
`{field: [message]}` when it concerns one field of the input. `PermissionDenied` answers 403 and
`Http404` 404, each with its message; a private group is never revealed to outsiders, it is not found.
Reading public groups needs no account, as on the pages; everything else does.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from community.schema import ErrorSerializer
from members.models import Member

from . import selectors, services
from .models import (
    Group,
    GroupMembership,
    Poll,
    Post,
    Reaction,
)
from .serializers import (
    ForumApprovalInputSerializer,
    ForumEditInputSerializer,
    ForumFlagInputSerializer,
    ForumFlagSerializer,
    ForumGroupDetailSerializer,
    ForumGroupInputSerializer,
    ForumGroupSerializer,
    ForumInvitationInputSerializer,
    ForumMembershipSerializer,
    ForumModerationQueueSerializer,
    ForumNewPostSerializer,
    ForumPageQuerySerializer,
    ForumPersonSerializer,
    ForumPollSerializer,
    ForumPostPageSerializer,
    ForumPostSerializer,
    ForumReactionInputSerializer,
    ForumReactionSerializer,
    ForumReasonInputSerializer,
    ForumReplyInputSerializer,
    ForumRevisionSerializer,
    ForumSearchResultSerializer,
    ForumStandingSerializer,
    ForumSuspensionInputSerializer,
    ForumThreadDetailSerializer,
    ForumThreadInputSerializer,
    ForumThreadListSerializer,
    ForumThreadSerializer,
    ForumTrustInputSerializer,
    ForumVoteInputSerializer,
)

# Errors -----------------------------------------------------------------------------------------


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


def _valid(serializer_class, data, **kwargs) -> dict:
    incoming = serializer_class(data=data, **kwargs)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


def _post_context(request, *, can_moderate: bool = False) -> dict:
    return {"request": request, "viewer": request.user, "can_moderate": can_moderate}


def _with_my_reactions(post: Post, member) -> Post:
    """One post on its own carries the caller's reactions, as a page of posts does."""
    if member.is_authenticated:
        post.my_kinds = set(Reaction.objects.filter(post=post, member=member).values_list("kind", flat=True))
    return post


def _with_membership(group: Group, member) -> Group:
    """The caller's place in a group (`my_status`, `my_role`, `can_moderate`), as the group page shows it."""
    membership = GroupMembership.objects.filter(group=group, member=member).first() if member.is_authenticated else None
    group.my_status = membership.status if membership else None
    group.my_role = membership.role if membership else None
    group.can_moderate = selectors.is_group_moderator(member, group)
    group.readable = True  # only a group the caller may read is answered in full
    return group


# Groups -----------------------------------------------------------------------------------------


class GroupList(ForumListView):
    """The groups you can see, with your membership status. POST opens a group (community managers)."""

    serializer_class = ForumGroupSerializer

    def get_queryset(self):
        return selectors.group_list(self.request.user)

    @extend_schema(request=ForumGroupInputSerializer, responses=answers({201: ForumGroupDetailSerializer}, 400, 403))
    def post(self, request):
        data = _valid(ForumGroupInputSerializer, request.data)
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
        data = _valid(ForumGroupInputSerializer, request.data, partial=True)
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
        handle = _valid(ForumInvitationInputSerializer, request.data)["handle"]
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


# Threads ----------------------------------------------------------------------------------------


class ThreadPagination(PageNumberPagination):
    page_size = selectors.THREADS_PER_PAGE


class GroupThreads(ForumListView):
    """A group's threads, pinned first, then by latest activity, with how many posts you have not read.
    POST starts a thread (members of the group), with a poll if you like."""

    serializer_class = ForumThreadListSerializer
    pagination_class = ThreadPagination

    def get_queryset(self):
        group = selectors.access_group(self.request.user, self.kwargs["slug"])
        return selectors.thread_list(self.request.user, group)

    def paginate_queryset(self, queryset):
        return selectors.with_unread(self.request.user, super().paginate_queryset(queryset))

    @extend_schema(
        request=ForumThreadInputSerializer,
        responses=answers({201: ForumThreadDetailSerializer}, 400, 403, 404, 429),
    )
    def post(self, request, slug: str):
        group = selectors.access_group(request.user, slug)
        data = _valid(ForumThreadInputSerializer, request.data)
        poll = services.PollSpec(**data["poll"]) if data.get("poll") else None
        thread = services.start_thread(
            author=request.user, group=group, title=data["title"], body=data["body"], kind=data["kind"], poll=poll
        )
        context = {"poll": selectors.poll_for(request.user, thread)}
        return Response(ForumThreadDetailSerializer(thread, context=context).data, status=status.HTTP_201_CREATED)


class ThreadDetail(ForumView):
    """A thread, with its poll: results show once you have voted or the poll has closed."""

    @extend_schema(responses=answers({200: ForumThreadDetailSerializer}, 403, 404))
    def get(self, request, thread_id: int):
        thread = selectors.access_thread(request.user, thread_id)
        context = {"poll": selectors.poll_for(request.user, thread)}
        return Response(ForumThreadDetailSerializer(thread, context=context).data)


class ThreadModeration(ForumView):
    """Lock, unlock, pin or unpin a thread, with a reason for the log (the group's moderators)."""

    @extend_schema(
        request=ForumReasonInputSerializer, responses=answers({200: ForumThreadSerializer}, 400, 403, 404, 409)
    )
    def post(self, request, thread_id: int, action: str):
        thread = selectors.access_thread(request.user, thread_id)
        reason = _valid(ForumReasonInputSerializer, request.data)["reason"]
        if action in ("lock", "unlock"):
            thread = services.lock_thread(moderator=request.user, thread=thread, locked=action == "lock", reason=reason)
        else:
            thread = services.pin_thread(moderator=request.user, thread=thread, pinned=action == "pin", reason=reason)
        return Response(ForumThreadSerializer(thread).data)


# Posts ------------------------------------------------------------------------------------------


class ThreadPosts(ForumView):
    """A page of a thread: posts ((page-1)*20, page*20] by number. Reading a page marks it read, as the
    thread page does. POST replies (members of the group; a held post answers with status `held`)."""

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="1 to the last page; beyond it, the last page.")],
        responses=answers({200: ForumPostPageSerializer}, 400, 403, 404),
    )
    def get(self, request, thread_id: int):
        thread = selectors.access_thread(request.user, thread_id)
        page = _valid(ForumPageQuerySerializer, request.query_params)["page"]
        thread_page = selectors.thread_page(request.user, thread, page)
        if request.user.is_authenticated and thread_page.posts:
            services.mark_read(member=request.user, thread=thread, number=thread_page.posts[-1].number)
        context = _post_context(request, can_moderate=selectors.is_group_moderator(request.user, thread.group))
        thread_page.count = thread.post_count
        return Response(ForumPostPageSerializer(thread_page, context=context).data)

    @extend_schema(
        request=ForumReplyInputSerializer, responses=answers({201: ForumNewPostSerializer}, 400, 403, 404, 429)
    )
    def post(self, request, thread_id: int):
        thread = selectors.access_thread(request.user, thread_id)
        data = _valid(ForumReplyInputSerializer, request.data)
        reply_to = None
        if data.get("reply_to"):
            reply_to = selectors.post_in_thread(thread, data["reply_to"])
            if reply_to is None:
                raise ValidationError({"reply_to": [f"There is no post #{data['reply_to']} in this thread."]})
        post = services.reply(author=request.user, thread=thread, body=data["body"], reply_to=reply_to)
        return Response(
            ForumNewPostSerializer(post, context=_post_context(request)).data, status=status.HTTP_201_CREATED
        )


class PostDetail(ForumView):
    """One post. PATCH edits it (its author, or a moderator); the earlier text is kept as a revision."""

    @extend_schema(responses=answers({200: ForumPostSerializer}, 404))
    def get(self, request, post_id: int):
        post = _with_my_reactions(selectors.access_post(request.user, post_id), request.user)
        context = _post_context(request, can_moderate=selectors.is_group_moderator(request.user, post.thread.group))
        return Response(ForumPostSerializer(post, context=context).data)

    @extend_schema(request=ForumEditInputSerializer, responses=answers({200: ForumPostSerializer}, 400, 403, 404))
    def patch(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        body = _valid(ForumEditInputSerializer, request.data)["body"]
        post = _with_my_reactions(services.edit_post(editor=request.user, post=post, body=body), request.user)
        context = _post_context(request, can_moderate=selectors.is_group_moderator(request.user, post.thread.group))
        return Response(ForumPostSerializer(post, context=context).data)


class PostRevisions(ForumView):
    """A post's earlier texts, newest first."""

    @extend_schema(responses=answers({200: ForumRevisionSerializer(many=True)}, 404))
    def get(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        revisions = post.revisions.select_related("edited_by")
        return Response(ForumRevisionSerializer(revisions, many=True).data)


class PostReactions(ForumView):
    """Mark someone else's post like, helpful or insightful: one of each, a give to its author."""

    @extend_schema(
        request=ForumReactionInputSerializer, responses=answers({201: ForumReactionSerializer}, 400, 403, 404, 409)
    )
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        kind = _valid(ForumReactionInputSerializer, request.data)["kind"]
        reaction = services.react(member=request.user, post=post, kind=kind)
        return Response(ForumReactionSerializer(reaction).data, status=status.HTTP_201_CREATED)


class PostAccept(ForumView):
    """Accept this answer to your question (or, as a moderator, to any): a give to the one who answered."""

    @extend_schema(request=None, responses=answers({200: ForumThreadSerializer}, 400, 403, 404, 409))
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        thread = services.accept_answer(member=request.user, post=post)
        return Response(ForumThreadSerializer(thread).data)


class PollVotes(ForumView):
    """Vote in a poll: once, with one option, or several on a multiple-choice poll."""

    @extend_schema(request=ForumVoteInputSerializer, responses=answers({201: ForumPollSerializer}, 400, 403, 404, 409))
    def post(self, request, poll_id: int):
        poll = get_object_or_404(Poll, pk=poll_id)
        thread = selectors.access_thread(request.user, poll.thread_id)
        option_ids = _valid(ForumVoteInputSerializer, request.data)["options"]
        services.vote(member=request.user, poll=poll, option_ids=option_ids)
        return Response(
            ForumPollSerializer(selectors.poll_for(request.user, thread)).data, status=status.HTTP_201_CREATED
        )


# Mentions ---------------------------------------------------------------------------------------


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


# Moderation -------------------------------------------------------------------------------------


class PostFlags(ForumView):
    """Flag a post for the moderators, with a reason; once per post."""

    @extend_schema(request=ForumFlagInputSerializer, responses=answers({201: ForumFlagSerializer}, 400, 404, 409))
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        reason = _valid(ForumFlagInputSerializer, request.data)["reason"]
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
        reason = _valid(ForumReasonInputSerializer, request.data)["reason"]
        post = MODERATE_POST[action](moderator=request.user, post=post, reason=reason)
        return Response(ForumPostSerializer(post, context=_post_context(request, can_moderate=True)).data)


class PostApproval(ForumView):
    """Publish a held post (links from a new member) with everything posting does (the group's moderators)."""

    @extend_schema(request=ForumApprovalInputSerializer, responses=answers({200: ForumPostSerializer}, 400, 403, 404))
    def post(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        reason = _valid(ForumApprovalInputSerializer, request.data)["reason"]
        post = services.approve_post(moderator=request.user, post=post, reason=reason)
        return Response(ForumPostSerializer(post, context=_post_context(request, can_moderate=True)).data)


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
        data = _valid(ForumSuspensionInputSerializer, request.data)
        participant = services.suspend_member(
            moderator=request.user, member=_standing_of(handle), days=data["days"], reason=data["reason"]
        )
        return Response(ForumStandingSerializer(participant).data)


class MemberTrust(ForumView):
    """Grant a member a trust level; activity no longer changes it (community managers)."""

    @extend_schema(request=ForumTrustInputSerializer, responses=answers({200: ForumStandingSerializer}, 400, 403, 404))
    def put(self, request, handle: str):
        data = _valid(ForumTrustInputSerializer, request.data)
        participant = services.set_trust_level(
            actor=request.user, member=_standing_of(handle), level=data["level"], reason=data["reason"]
        )
        return Response(ForumStandingSerializer(participant).data)


# Search -----------------------------------------------------------------------------------------


class SearchPagination(PageNumberPagination):
    page_size = 20


@extend_schema(parameters=[OpenApiParameter("q", str, description="Words to find in posts and thread titles.")])
class Search(ForumListView):
    """Visible posts matching `q`, newest first, in the groups you can read."""

    serializer_class = ForumSearchResultSerializer
    pagination_class = SearchPagination

    def get_queryset(self):
        return selectors.search(self.request.user, self.request.query_params.get("q", "")[:200])
