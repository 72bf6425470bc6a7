"""Groups, threads, posts and what members do with them: reactions, polls, mentions, flags, moderation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class TrustLevel(models.IntegerChoices):
    """Discourse-style trust: earned from activity, or granted by a manager. Sets the rate limits."""

    NEW = 0, "new"
    BASIC = 1, "basic"
    MEMBER = 2, "member"
    REGULAR = 3, "regular"
    LEADER = 4, "leader"


class Participant(models.Model):
    """A member's standing in the forums: activity counters, trust level and any suspension."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    post_count = models.PositiveIntegerField(default=0)
    reactions_received = models.PositiveIntegerField(default=0)
    trust_level = models.PositiveSmallIntegerField(choices=TrustLevel.choices, default=TrustLevel.NEW)
    trust_granted = models.BooleanField(default=False, help_text="Set by a manager; activity no longer changes it.")
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["member_id"]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_trust_level_display()})"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class Group(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "topic area"
        PEER = "peer", "peer group"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "public"
        MEMBERS = "members", "members only"
        PRIVATE = "private", "private"

    class Policy(models.TextChoices):
        OPEN = "open", "open to join"
        REQUEST = "request", "request to join"
        INVITE = "invite", "invitation only"

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    policy = models.CharField(max_length=10, choices=Policy.choices, default=Policy.OPEN)
    # Rule 6: contributions to others' threads a member makes here before a promotion is accepted.
    contributions_before_promotion = models.PositiveSmallIntegerField(default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    thread_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:group", args=[self.slug])


class GroupMembership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "member"
        REQUESTED = "requested", "asked to join"
        INVITED = "invited", "invited"

    class Role(models.TextChoices):
        MEMBER = "member", "member"
        MODERATOR = "moderator", "group moderator"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group_id", "created", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="membership_once")]
        indexes = [models.Index(fields=["member", "status"], name="membership_member_idx")]


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "discussion"
        QUESTION = "question", "question"
        PROMOTION = "promotion", "promotion"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    # PROTECT: deleting an author must not take others' replies and running totals with it.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    post_count = models.PositiveIntegerField(default=0)  # every numbered post, the opening one included
    accepted_answer = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Rule 3: someone else has posted since the author last did; the author owes an answer.
    awaits_author = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-pinned", "-last_activity_at", "-id"], name="thread_list_idx"),
            models.Index(fields=["author"], condition=Q(awaits_author=True), name="thread_awaits_author_idx"),
            # Live discussions across groups (the home page): the newest few without sorting them all.
            models.Index(fields=["-last_activity_at", "-id"], name="thread_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:thread", args=[self.group.slug, self.pk])


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "visible"
        HELD = "held", "held for review"
        HIDDEN = "hidden", "hidden by a moderator"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    number = models.PositiveIntegerField()  # 1 is the opening post; pages are ranges of numbers
    body = models.TextField(max_length=20000)
    html = models.TextField()  # `body` rendered and sanitised once, on write
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    insightful_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["thread_id", "number"]
        constraints = [models.UniqueConstraint(fields=["thread", "number"], name="post_number_once")]
        indexes = [
            models.Index(fields=["author", "created"], name="post_author_idx"),
            models.Index(fields=["status", "created"], condition=Q(status="held"), name="post_held_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    my_kinds: frozenset = frozenset()  # the viewer's reactions, set by selectors.thread_page
    content_html = None  # the cached viewer-independent HTML, set by fragments.attach_content
    acceptable = False  # whether the viewer may accept it as the answer, set by selectors.mark_acceptable
    unresolved_mentions: tuple = ()  # @words that matched no member, set by the posting services

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}?post={self.number}#post-{self.number}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE

    @property
    def reaction_counts(self) -> list[tuple[str, str, int]]:
        return [(kind, label, getattr(self, f"{kind}_count")) for kind, label in Reaction.Kind.choices]


class PostRevision(models.Model):
    """The body a post had before an edit: history is kept, never rewritten."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=20000)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post_id", "-created", "-pk"]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        HELPFUL = "helpful", "Helpful"
        INSIGHTFUL = "insightful", "Insightful"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post_id", "created", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "member", "kind"], name="reaction_once")]


class Mention(models.Model):
    """An @mention; it waits on the mentioned member's Pay it back until they post in the thread (rule 3)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["post_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="mention_once")]
        indexes = [models.Index(fields=["member"], condition=Q(answered_at__isnull=True), name="mention_open_idx")]


class ThreadRead(models.Model):
    """How far a member has read a thread: the thread list marks what is new since."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["thread_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "thread"], name="thread_read_once")]


class Poll(models.Model):
    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(max_length=200)
    multiple = models.BooleanField(default=False, help_text="Voters may choose more than one option.")
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["thread_id"]

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["poll_id", "position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position_once")]


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # 0 on a single-choice poll, the option's position on a multiple-choice one: the constraint below
    # then allows one vote per poll, or one per option, whatever the race.
    slot = models.PositiveSmallIntegerField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["poll_id", "created", "pk"]
        constraints = [models.UniqueConstraint(fields=["poll", "member", "slot"], name="poll_vote_once")]


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "flagger"], name="flag_once")]
        indexes = [models.Index(fields=["created"], condition=Q(resolved_at__isnull=True), name="flag_open_idx")]


class ModerationAction(models.Model):
    """Every moderation decision, with who made it and why."""

    class Action(models.TextChoices):
        HIDE = "hide", "hid a post"
        RESTORE = "restore", "restored a post"
        APPROVE = "approve", "approved a held post"
        DISMISS_FLAGS = "dismiss_flags", "dismissed the flags on a post"
        LOCK = "lock", "locked a thread"
        UNLOCK = "unlock", "unlocked a thread"
        PIN = "pin", "pinned a thread"
        UNPIN = "unpin", "unpinned a thread"
        SUSPEND = "suspend", "suspended a member"
        UNSUSPEND = "unsuspend", "lifted a suspension"
        TRUST = "trust", "set a trust level"

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=15, choices=Action.choices)
    reason = models.CharField(max_length=500)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_has_reason"),
        ]
