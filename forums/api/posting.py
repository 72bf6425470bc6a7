"""The posting API: a group's threads (starting one, with a poll or not), a thread and its posts
(replying), a post (editing, its revisions), reactions, accepted answers and poll votes. The same
services as the pages (forums.services.posting)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .. import selectors, services
from ..models import Poll, Post, PostRevision, Reaction, Thread
from .base import (
    ForumGroupRefSerializer,
    ForumListView,
    ForumPersonSerializer,
    ForumView,
    answers,
    post_context,
    valid_input,
)


class ForumThreadListSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Thread.Kind.choices)
    author = ForumPersonSerializer()
    last_poster = ForumPersonSerializer(allow_null=True)
    accepted_answer = serializers.IntegerField(source="accepted_answer_id", allow_null=True, help_text="A post id.")
    unread = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="Posts you have not read; null when not signed in."
    )

    class Meta:
        model = Thread
        fields = [
            "id",
            "title",
            "kind",
            "pinned",
            "locked",
            "created",
            "last_activity_at",
            "post_count",
            "author",
            "last_poster",
            "accepted_answer",
            "unread",
        ]


class ForumThreadSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Thread.Kind.choices)
    group = ForumGroupRefSerializer()
    author = ForumPersonSerializer()
    accepted_answer = serializers.IntegerField(source="accepted_answer_id", allow_null=True, help_text="A post id.")

    class Meta:
        model = Thread
        fields = [
            "id",
            "group",
            "title",
            "kind",
            "pinned",
            "locked",
            "created",
            "last_activity_at",
            "post_count",
            "author",
            "accepted_answer",
        ]


class ForumPollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    position = serializers.IntegerField()
    votes = serializers.IntegerField(
        source="vote_count", allow_null=True, help_text="Shown once you have voted or the poll has closed."
    )


class ForumPollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    multiple = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)
    closed = serializers.BooleanField(source="is_closed")
    show_results = serializers.BooleanField()
    total_votes = serializers.IntegerField(allow_null=True, help_text="Shown with the results.")
    my_options = serializers.SerializerMethodField()
    options = ForumPollOptionSerializer(source="option_list", many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_my_options(self, poll: Poll) -> list[int]:
        return sorted(poll.my_option_ids)

    def to_representation(self, poll: Poll) -> dict:
        data = super().to_representation(poll)
        if not poll.show_results:  # nobody is swayed by the count before voting
            data["total_votes"] = None
            for option in data["options"]:
                option["votes"] = None
        return data


class ForumThreadDetailSerializer(ForumThreadSerializer):
    poll = serializers.SerializerMethodField()

    class Meta(ForumThreadSerializer.Meta):
        fields = [*ForumThreadSerializer.Meta.fields, "poll"]

    @extend_schema_field(ForumPollSerializer(allow_null=True))
    def get_poll(self, thread: Thread) -> dict | None:
        poll = self.context.get("poll")
        return ForumPollSerializer(poll).data if poll is not None else None


class ForumReactionCountsSerializer(serializers.Serializer):
    like = serializers.IntegerField(source="like_count")
    helpful = serializers.IntegerField(source="helpful_count")
    insightful = serializers.IntegerField(source="insightful_count")


class ForumPostSerializer(serializers.ModelSerializer):
    """A post. A held or hidden post shows its content only to its author and the group's moderators;
    others get a placeholder: number and status, with author, body and html null."""

    status = serializers.ChoiceField(choices=Post.Status.choices)
    author = ForumPersonSerializer(allow_null=True)
    html = serializers.CharField(allow_null=True, help_text="Sanitised HTML rendered from `body`: the one to show.")
    body = serializers.CharField(
        allow_null=True, help_text="The Markdown source, for editing; never render it as HTML."
    )
    reply_to = serializers.IntegerField(source="reply_to.number", allow_null=True, help_text="A post number.")
    reactions = ForumReactionCountsSerializer(source="*")
    my_reactions = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "number",
            "status",
            "author",
            "html",
            "body",
            "reply_to",
            "created",
            "edited_at",
            "reactions",
            "my_reactions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Reaction.Kind.choices)))
    def get_my_reactions(self, post: Post) -> list[str]:
        return sorted(post.my_kinds)

    def to_representation(self, post: Post) -> dict:
        data = super().to_representation(post)
        viewer = self.context["viewer"]
        shown = post.is_visible or self.context.get("can_moderate") or post.author_id == viewer.pk
        if not shown:
            data.update(author=None, html=None, body=None, reply_to=None, edited_at=None)
        return data


class ForumNewPostSerializer(ForumPostSerializer):
    unresolved_mentions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The @handles in the text that are no member's: they stay plain text and tell nobody.",
    )

    class Meta(ForumPostSerializer.Meta):
        fields = [*ForumPostSerializer.Meta.fields, "unresolved_mentions"]


class ForumPostPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Posts in the thread.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ForumPostSerializer(many=True, source="posts")


class ForumRevisionSerializer(serializers.ModelSerializer):
    body = serializers.CharField(help_text="The Markdown source the post had until this edit; never render it as HTML.")
    edited_by = ForumPersonSerializer(allow_null=True)

    class Meta:
        model = PostRevision
        fields = ["id", "body", "edited_by", "created"]


class ForumReactionSerializer(serializers.ModelSerializer):
    post = serializers.IntegerField(source="post_id")
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)
    reactions = ForumReactionCountsSerializer(source="post", help_text="The post's counts after this reaction.")

    class Meta:
        model = Reaction
        fields = ["id", "post", "kind", "created", "reactions"]


class ForumPollInputSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=200)
    options = serializers.ListField(child=serializers.CharField(max_length=120), help_text="2 to 10 options.")
    multiple = serializers.BooleanField(default=False, help_text="Voters may choose more than one option.")
    closes_at = serializers.DateTimeField(required=False, allow_null=True)


class ForumThreadInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=Thread.Kind.choices, default=Thread.Kind.DISCUSSION)
    body = serializers.CharField(max_length=services.posting.BODY_MAX, trim_whitespace=False, help_text="Markdown.")
    poll = ForumPollInputSerializer(required=False, allow_null=True)


class ForumPageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)


class ForumReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.posting.BODY_MAX, trim_whitespace=False, help_text="Markdown.")
    reply_to = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="The number of the post you answer."
    )


class ForumEditInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.posting.BODY_MAX, trim_whitespace=False, help_text="Markdown.")


class ForumReactionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


class ForumVoteInputSerializer(serializers.Serializer):
    options = serializers.ListField(
        child=serializers.IntegerField(), help_text="Option ids: one, or several on a multiple-choice poll."
    )


def _with_my_reactions(post: Post, member) -> Post:
    """One post on its own carries the caller's reactions, as a page of posts does."""
    if member.is_authenticated:
        post.my_kinds = set(Reaction.objects.filter(post=post, member=member).values_list("kind", flat=True))
    return post


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
        data = valid_input(ForumThreadInputSerializer, request.data)
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


class ThreadPosts(ForumView):
    """A page of a thread: posts ((page-1)*20, page*20] by number. Reading a page marks it read, as the
    thread page does. POST replies (members of the group; a held post answers with status `held`)."""

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="1 to the last page; beyond it, the last page.")],
        responses=answers({200: ForumPostPageSerializer}, 400, 403, 404),
    )
    def get(self, request, thread_id: int):
        thread = selectors.access_thread(request.user, thread_id)
        page = valid_input(ForumPageQuerySerializer, request.query_params)["page"]
        thread_page = selectors.thread_page(request.user, thread, page)
        if request.user.is_authenticated and thread_page.posts:
            services.mark_read(member=request.user, thread=thread, number=thread_page.posts[-1].number)
        context = post_context(request, can_moderate=selectors.is_group_moderator(request.user, thread.group))
        thread_page.count = thread.post_count
        return Response(ForumPostPageSerializer(thread_page, context=context).data)

    @extend_schema(
        request=ForumReplyInputSerializer, responses=answers({201: ForumNewPostSerializer}, 400, 403, 404, 429)
    )
    def post(self, request, thread_id: int):
        thread = selectors.access_thread(request.user, thread_id)
        data = valid_input(ForumReplyInputSerializer, request.data)
        reply_to = None
        if data.get("reply_to"):
            reply_to = selectors.post_in_thread(thread, data["reply_to"])
            if reply_to is None:
                raise ValidationError({"reply_to": [f"There is no post #{data['reply_to']} in this thread."]})
        post = services.reply(author=request.user, thread=thread, body=data["body"], reply_to=reply_to)
        return Response(
            ForumNewPostSerializer(post, context=post_context(request)).data, status=status.HTTP_201_CREATED
        )


class PostDetail(ForumView):
    """One post. PATCH edits it (its author, or a moderator); the earlier text is kept as a revision."""

    @extend_schema(responses=answers({200: ForumPostSerializer}, 404))
    def get(self, request, post_id: int):
        post = _with_my_reactions(selectors.access_post(request.user, post_id), request.user)
        context = post_context(request, can_moderate=selectors.is_group_moderator(request.user, post.thread.group))
        return Response(ForumPostSerializer(post, context=context).data)

    @extend_schema(request=ForumEditInputSerializer, responses=answers({200: ForumPostSerializer}, 400, 403, 404))
    def patch(self, request, post_id: int):
        post = selectors.access_post(request.user, post_id)
        body = valid_input(ForumEditInputSerializer, request.data)["body"]
        post = _with_my_reactions(services.edit_post(editor=request.user, post=post, body=body), request.user)
        context = post_context(request, can_moderate=selectors.is_group_moderator(request.user, post.thread.group))
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
        kind = valid_input(ForumReactionInputSerializer, request.data)["kind"]
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
        option_ids = valid_input(ForumVoteInputSerializer, request.data)["options"]
        services.vote(member=request.user, poll=poll, option_ids=option_ids)
        return Response(
            ForumPollSerializer(selectors.poll_for(request.user, thread)).data, status=status.HTTP_201_CREATED
        )
