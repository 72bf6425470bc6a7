from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .validators import handle_validators


class MailKind(models.TextChoices):
    """What a notification is about, as far as e-mail goes: each kind has its own preference."""

    REPLIES = "replies", "Replies and mentions"
    GIVES = "gives", "Gives you receive"
    REQUESTS = "requests", "Requests (to connect, to join, to approve)"
    CREDITS = "credits", "Digests that credit you"
    OUTREACH = "outreach", "Messages from the community team (plan outreach)"


class MailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "In a daily digest"
    WEEKLY = "weekly", "In a weekly digest"
    NEVER = "never", "Never"


def _mail_preference(kind: str, default: str) -> models.CharField:
    return models.CharField(
        f"e-mail for {MailKind(kind).label.lower()}",
        max_length=12,
        choices=MailFrequency.choices,
        default=default,
        db_default=default,
    )


class Member(AbstractUser):
    """A person in the community. `username` is the member's handle, the address of their profile."""

    username = models.CharField(
        "handle",
        max_length=30,
        unique=True,
        validators=handle_validators,
        help_text="Lower-case letters, digits, - and _. Your profile lives at /members/<handle>/.",
        error_messages={"unique": "A member with that handle already exists."},
    )
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    headline = models.CharField(max_length=140, blank=True, help_text="One line about what you do.")
    organisation = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    website = models.URLField(max_length=200, blank=True)
    linkedin_url = models.URLField("LinkedIn", max_length=200, blank=True)
    github_url = models.URLField("GitHub", max_length=200, blank=True)
    mastodon_url = models.URLField("Mastodon", max_length=200, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    skills = models.ManyToManyField("Skill", through="MemberSkill", related_name="members", blank=True)
    interests = models.ManyToManyField("Interest", related_name="members", blank=True)
    # Full-text document on PostgreSQL, kept by services.refresh_search_document; unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    # The ledger's running totals (gives_given, gives_received, owed_count) live in LedgerTotals, a
    # narrow table of their own; the properties below read them.
    # Leaving (members.services.leaving): a deactivated member is inactive until they come back; a
    # deleted one stays as an anonymous row, so the conversation and the ledger keep their other side.
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # E-mail preferences, one per MailKind (members.mailing). On the member row, so that record_give
    # decides whether to queue a mail from the receiver it already holds, without a query.
    mail_replies = _mail_preference(MailKind.REPLIES, MailFrequency.IMMEDIATELY)
    mail_gives = _mail_preference(MailKind.GIVES, MailFrequency.DAILY)
    mail_requests = _mail_preference(MailKind.REQUESTS, MailFrequency.IMMEDIATELY)
    mail_credits = _mail_preference(MailKind.CREDITS, MailFrequency.IMMEDIATELY)
    mail_outreach = _mail_preference(MailKind.OUTREACH, MailFrequency.DAILY)
    # When the last digest of each frequency went out (members.mailing.send_digests).
    daily_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    weekly_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["display_name", "username"]
        indexes = [
            models.Index(Lower("display_name"), "username", name="member_name_idx"),
            models.Index(fields=["-date_joined"], name="member_newest_idx"),
            models.Index(fields=["organisation"], name="member_organisation_idx"),
            models.Index(fields=["location"], name="member_location_idx"),
            # Active members only: COUNT(*) for the directory's pagination and the join from a
            # skill's holders run on this small index (index-only) instead of the wide table.
            models.Index(fields=["id"], condition=models.Q(is_active=True), name="member_active_idx"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
        ]
        permissions = [
            ("change_member_role", "Can change a member's role"),
            ("manage_skills", "Can approve, rename and merge skills"),
            ("moderate_community", "Can moderate the community"),
            ("view_member_activity", "Can see members' private activity"),
            ("view_reports", "Can read the business-value reports"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.is_former:
            return FORMER_MEMBER
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # Wagtail's admin greets an editor by `first_name`, else by handle: the first word of the name.
        self.first_name = (self.display_name.split() or [""])[0][:150]
        if kwargs.get("update_fields") is not None and "display_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        """What Wagtail's admin and Django's show for a person: their name, not their handle."""
        return self.name

    @property
    def is_former(self) -> bool:
        """The account was deleted: what they wrote stays, under no name."""
        return self.deleted_at is not None

    @property
    def initials(self) -> str:
        if self.is_former:
            return "?"
        return "".join(part[0] for part in self.name.split()[:2]).upper() or "?"

    def get_absolute_url(self) -> str:
        if self.is_former:  # no profile: a page that says the member has left
            return reverse("members:former-member")
        return reverse("members:profile", kwargs={"handle": self.username})

    @property
    def ledger(self) -> "LedgerTotals":
        """The member's running totals; all zero (unsaved) for a member who never gave or received.
        Load them with the member (`select_related("ledger_totals")`) where a page shows them."""
        try:
            return self.ledger_totals
        except LedgerTotals.DoesNotExist:
            return LedgerTotals(member=self)

    @property
    def gives_given(self) -> int:
        return self.ledger.gives_given

    @property
    def gives_received(self) -> int:
        return self.ledger.gives_received

    @property
    def owed_count(self) -> int:
        """Gives not yet acknowledged: Pay it back's count."""
        return self.ledger.owed_count

    @property
    def links(self) -> list[tuple[str, str]]:
        labelled = [
            ("Website", self.website),
            ("LinkedIn", self.linkedin_url),
            ("GitHub", self.github_url),
            ("Mastodon", self.mastodon_url),
        ]
        return [(label, url) for label, url in labelled if url]


FORMER_MEMBER = "Former member"


class Skill(models.Model):
    """An entry in the shared skill taxonomy. Members propose skills; managers approve, rename, merge."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PROPOSED = "proposed", "Proposed"

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=70, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    proposed_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="skill_name_ci_unique"),
            models.CheckConstraint(condition=models.Q(status__in=["approved", "proposed"]), name="skill_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberSkill(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="member_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="member_skills")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["member", "skill"], name="member_skill_unique")]
        indexes = [models.Index(fields=["skill", "member"], name="memberskill_skill_idx")]

    def __str__(self) -> str:
        return f"{self.member} · {self.skill}"


class Interest(models.Model):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="interest_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


# A thank-you still lands within this window; past it a give is marked late on Pay it back (rule 2).
ACKNOWLEDGE_WITHIN = timezone.timedelta(hours=12)


class Give(models.Model):
    """One favour one member did for another, recorded once (rule 1). Written only by
    `services.record_give`."""

    class Kind(models.TextChoices):
        REPLY = "reply", "reply"
        REACTION = "reaction", "reaction"
        SHARE = "share", "share"
        ENDORSEMENT = "endorsement", "endorsement"
        RECOMMENDATION = "recommendation", "recommendation"
        INTRODUCTION = "introduction", "introduction"
        CREDIT = "credit", "credit"
        THANKS = "thanks", "thank-you"
        ACCEPTED_ANSWER = "accepted_answer", "accepted answer"

    class Acknowledgement(models.TextChoices):
        THANKED = "thanked", "thanked"
        RETURNED = "returned", "returned"
        DISMISSED = "dismissed", "dismissed"

    # PROTECT: the ledger and the other side's running totals outlive no raw delete of a member.
    giver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="gives_out")
    receiver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="gives_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    created = models.DateTimeField(default=timezone.now)
    weight = models.FloatField(default=1.0)
    flags = models.JSONField(default=list, blank=True)
    acknowledgement = models.CharField(max_length=10, choices=Acknowledgement.choices, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    thank_message = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["giver", "receiver", "kind", "subject_type", "subject_id"], name="give_once"
            ),
            models.CheckConstraint(condition=~models.Q(giver=models.F("receiver")), name="give_not_to_self"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="give_weight_0_to_1"),
            models.CheckConstraint(
                condition=models.Q(acknowledgement="", acknowledged_at__isnull=True)
                | (~models.Q(acknowledgement="") & models.Q(acknowledged_at__isnull=False)),
                name="give_acknowledged_consistently",
            ),
        ]
        indexes = [
            # Pay it back: the count and the page are index-only scans over what is really owed.
            models.Index(
                fields=["receiver", "created", "id"],
                condition=models.Q(acknowledged_at__isnull=True) & ~models.Q(kind="thanks"),
                name="give_owed_idx",
            ),
            models.Index(fields=["giver", "receiver", "created"], name="give_pair_idx"),
            models.Index(fields=["receiver", "created"], name="give_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver}: {self.get_kind_display()}"

    @property
    def verb(self) -> str:
        """What the giver did, as the receiver reads it: "Ana endorsed you"."""
        return _GIVE_VERBS[self.kind]

    @property
    def is_late(self) -> bool:
        return self.acknowledged_at is None and self.created < timezone.now() - ACKNOWLEDGE_WITHIN


class LedgerTotals(models.Model):
    """A member's running totals of the ledger, kept by `services.record_give` (and thank, dismiss)
    and rebuilt from the ledger by `services.synchronize_reciprocity`. A row appears with the
    member's first give, either side; no row reads as zeros (`Member.ledger`).

    A narrow table of their own rather than columns of the wide member row: every give updates two
    of these rows, and a small row in a table with one index, on pages kept part empty (fillfactor,
    set by the migration on PostgreSQL), is updated in place (HOT) and writes little WAL, where the
    member row with its many indexes, GIN search document included, was mostly rewritten in every
    index. See bench/README.md, "The ledger's running totals"."""

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="ledger_totals", editable=False
    )
    gives_given = models.PositiveIntegerField(default=0, editable=False)
    gives_received = models.PositiveIntegerField(default=0, editable=False)
    owed_count = models.PositiveIntegerField("gives not yet acknowledged", default=0, editable=False)

    class Meta:
        verbose_name_plural = "ledger totals"

    def __str__(self) -> str:
        return f"{self.member}: {self.gives_given} given, {self.gives_received} received, {self.owed_count} owed"


_GIVE_VERBS = {
    Give.Kind.REPLY: "replied to you",
    Give.Kind.REACTION: "reacted to your post",
    Give.Kind.SHARE: "shared your content",
    Give.Kind.ENDORSEMENT: "endorsed you",
    Give.Kind.RECOMMENDATION: "recommended you",
    Give.Kind.INTRODUCTION: "introduced you to someone",
    Give.Kind.CREDIT: "credited you",
    Give.Kind.THANKS: "thanked you",
    Give.Kind.ACCEPTED_ANSWER: "accepted your answer",
}


class Endorsement(models.Model):
    """A member vouches for a skill another member lists."""

    endorser = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="endorsements_given")
    endorsee = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="endorsements_received")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="endorsements")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endorser", "endorsee", "skill"], name="endorse_once"),
            models.CheckConstraint(condition=~models.Q(endorser=models.F("endorsee")), name="endorse_not_self"),
        ]
        indexes = [models.Index(fields=["endorsee", "skill"], name="endorsement_endorsee_idx")]

    def __str__(self) -> str:
        return f"{self.endorser} endorses {self.endorsee} for {self.skill}"


class Notification(models.Model):
    """Something the member should know about; most point at a give they received."""

    class Kind(models.TextChoices):
        # A give's notification has the give's kind; these are the others.
        MENTION = "mention", "mention"
        CONNECTION = "connection", "connection"
        FOLLOW = "follow", "follow"
        GROUP = "group", "group"
        MODERATION = "moderation", "moderation"
        CONTENT = "content", "content"
        OTHER = "", "other"

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(Member, null=True, on_delete=models.CASCADE, related_name="+")
    give = models.ForeignKey(Give, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    # What it is about, for its icon: a give's kind (Give.Kind) or one of Kind above.
    kind = models.CharField(max_length=20, blank=True)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Which e-mail preference applies ("" for notices that are never mailed, e.g. moderation), and
    # when it was mailed (immediately or in a digest): never twice.
    mail_kind = models.CharField(max_length=12, choices=MailKind.choices, blank=True, default="", db_default="")
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient_idx"),
            # The header's unread count on every page: an index-only count over what is unread.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class Recommendation(models.Model):
    """A written recommendation; it shows on the recipient's profile once they approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for approval"
        APPROVED = "approved", "approved"
        DECLINED = "declined", "declined"

    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="recommendations_written")
    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="recommendations_received")
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "recipient"], name="recommend_once"),
            models.CheckConstraint(condition=~models.Q(author=models.F("recipient")), name="recommend_not_self"),
        ]
        indexes = [models.Index(fields=["recipient", "status"], name="recommendation_recipient_idx")]

    def __str__(self) -> str:
        return f"{self.author} recommends {self.recipient}"


class Connection(models.Model):
    """A request to connect, with a personal note (rule 9). Accepting or declining costs nothing and
    creates no obligation (rule 7)."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        ACCEPTED = "accepted", "accepted"
        DECLINED = "declined", "declined"

    requester = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="connections_requested")
    addressee = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="connections_received")
    note = models.TextField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "addressee"], name="connect_once"),
            models.CheckConstraint(condition=~models.Q(requester=models.F("addressee")), name="connect_not_self"),
        ]
        indexes = [models.Index(fields=["addressee", "status"], name="connection_addressee_idx")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.addressee} ({self.status})"


class Introduction(models.Model):
    """One member introduces two others with a personal note; each may accept. When both accept they
    are connected, and the introducer learns the outcome."""

    class Answer(models.TextChoices):
        WAITING = "", "waiting"
        ACCEPTED = "accepted", "accepted"
        DECLINED = "declined", "declined"

    introducer = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="introductions_made")
    first = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=1000)
    first_answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    second_answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["introducer", "first", "second"], name="introduce_once"),
            models.CheckConstraint(condition=~models.Q(first=models.F("second")), name="introduce_two_people"),
            models.CheckConstraint(
                condition=~models.Q(introducer=models.F("first")) & ~models.Q(introducer=models.F("second")),
                name="introduce_others",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.introducer} introduces {self.first} and {self.second}"

    @property
    def outcome(self) -> str:
        answers = {self.first_answer, self.second_answer}
        if answers == {self.Answer.ACCEPTED}:
            return "connected"
        return "declined" if self.Answer.DECLINED in answers else "waiting"

    def other_side(self, member: Member) -> Member:
        return self.second if member.pk == self.first_id else self.first


class Follow(models.Model):
    """One member follows another's activity. It creates no obligation (rule 7): it is not a give and
    never shows on Pay it back. An unfollow keeps the row (`ended_at`), so the scoring can see churn."""

    follower = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="follows_out")
    followed = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="follows_in")
    created = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField("unfollowed at", null=True, blank=True)
    # Scored when it happens (rule 8); see members.scoring.
    weight = models.FloatField(default=1.0)
    follow_for_follow = models.BooleanField(
        default=False, help_text="A follow back within minutes, or the follow it answered."
    )
    unfollow_churn = models.BooleanField(
        default=False, help_text="Unfollowed soon after, because there was no follow back."
    )

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            # One live follow per pair; a member may follow again after unfollowing.
            models.UniqueConstraint(
                fields=["follower", "followed"], condition=models.Q(ended_at__isnull=True), name="follow_once"
            ),
            models.CheckConstraint(condition=~models.Q(follower=models.F("followed")), name="follow_not_self"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="follow_weight_0_to_1"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("created")),
                name="follow_ends_after_it_starts",
            ),
        ]
        indexes = [
            # Follower counts: index-only over live follows.
            models.Index(
                fields=["followed", "follower"], condition=models.Q(ended_at__isnull=True), name="follow_in_idx"
            ),
            models.Index(fields=["follower", "created"], name="follow_out_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followed}"

    @property
    def flags(self) -> list[str]:
        return [flag for flag in ("follow_for_follow", "unfollow_churn") if getattr(self, flag)]


class AuditEntry(models.Model):
    """A privileged change (a role, the skill taxonomy), written by the service that made it in the
    same transaction. Nobody edits or deletes these; `target` keeps the names in words, so an entry
    still reads right after the row it points at is renamed or gone."""

    class Action(models.TextChoices):
        ROLE_CHANGED = "role_changed", "changed a role"
        SKILL_ADDED = "skill_added", "added a skill"
        SKILL_APPROVED = "skill_approved", "approved a skill"
        SKILL_RENAMED = "skill_renamed", "renamed a skill"
        SKILL_MERGED = "skill_merged", "merged skills"
        MEMBER_DEACTIVATED = "member_deactivated", "deactivated an account"
        MEMBER_REACTIVATED = "member_reactivated", "reactivated an account"
        MEMBER_DELETED = "member_deleted", "deleted an account"
        DATA_EXPORTED = "data_exported", "exported the community's data"
        # 90-day plans (the plans app writes these through record_audit_entry).
        PLAN_CREATED = "plan_created", "started a 90-day plan"
        PLAN_CHANGED = "plan_changed", "changed a 90-day plan"
        PLAN_CHECKED_IN = "plan_checked_in", "recorded a plan check-in"
        PLAN_OUTREACH = "plan_outreach", "sent outreach from a plan"
        PLAN_CLOSED = "plan_closed", "closed a 90-day plan"

    actor = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Empty: the system."
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.CharField(max_length=200)
    details = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "role_changed",
                        "skill_added",
                        "skill_approved",
                        "skill_renamed",
                        "skill_merged",
                        "member_deactivated",
                        "member_reactivated",
                        "member_deleted",
                        "data_exported",
                        "plan_created",
                        "plan_changed",
                        "plan_checked_in",
                        "plan_outreach",
                        "plan_closed",
                    ]
                ),
                name="audit_action_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["-created", "-id"], name="audit_newest_idx"),
            models.Index(fields=["member", "-created"], name="audit_member_idx"),
            models.Index(fields=["actor", "-created"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor or 'The system'} {self.get_action_display()}: {self.target}"


class DataExport(models.Model):
    """An archive built in the background: one member's own data, or (for an administrator) the
    whole community. The file lives in the default storage under exports/ and is handed out only by
    `members.views.leaving.download_export`, to the member who asked, through a signed link that expires."""

    class Scope(models.TextChoices):
        MEMBER = "member", "my data"
        COMMUNITY = "community", "the whole community"

    class Status(models.TextChoices):
        PENDING = "pending", "being prepared"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    requested_by = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="data_exports")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=300, blank=True)  # the storage's name, never a URL
    size = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created"], name="dataexport_requester_idx")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} for {self.requested_by} ({self.status})"
