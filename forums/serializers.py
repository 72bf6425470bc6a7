"""The forums API's serializers: what goes out (Forum…Serializer) and what comes in (…InputSerializer)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import services
from .models import (
    Flag,
    Group,
    GroupMembership,
    Participant,
    Poll,
    Post,
    PostRevision,
    Reaction,
    Thread,
    TrustLevel,
)

# Output -----------------------------------------------------------------------------------------


class ForumPersonSerializer(serializers.Serializer):
    handle = serializers.CharField(source="username")
    name = serializers.CharField()


class ForumGroupRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ForumThreadRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


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


class ForumSearchResultSerializer(serializers.ModelSerializer):
    author = ForumPersonSerializer()
    thread = ForumThreadRefSerializer()
    group = ForumGroupRefSerializer(source="thread.group")
    html = serializers.CharField(help_text="Sanitised HTML rendered from the post's Markdown.")

    class Meta:
        model = Post
        fields = ["id", "number", "author", "thread", "group", "html", "created"]


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


# Input ------------------------------------------------------------------------------------------


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
