"""90-day engagement plans (seed 004, secret #2): a period of 90 days, its objectives under four
programmes (and custom ones), the initiatives that deliver them, weekly check-ins, outreach to
members, and the review the plan closes into. Written only by `plans.services`."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PLAN_DAYS = 90


class Plan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "running"
        CLOSED = "closed", "closed"

    title = models.CharField(max_length=120)
    start = models.DateField()
    end = models.DateField(help_text="The plan's 90th day (start + 89 days).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    business_needs = models.ManyToManyField("metrics.BusinessNeed", blank=True, related_name="+")
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_plan")
    beta_group = models.ForeignKey("forums.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text="The forum group this plan runs as its beta group.")
    beta_skills = models.ManyToManyField("members.Skill", blank=True, related_name="+",
                                         help_text="The beta group's topic, as skills members list.")
    created = models.DateTimeField(default=timezone.now)
    prepare_notified_at = models.DateTimeField(null=True, blank=True, help_text="When day 80's reminder went out.")
    closed_at = models.DateTimeField(null=True, blank=True)
    lessons = models.TextField(max_length=5000, blank=True)
    outreach_review = models.JSONField(default=list, blank=True, help_text="Conversion per list, frozen at close.")

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["active", "closed"]), name="plan_status_valid"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="plan_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def end_for(start):
        return start + timedelta(days=PLAN_DAYS - 1)

    def day_number(self, today) -> int:
        """Which of the 90 days `today` is (0 before the start, 90 after the end)."""
        return max(0, min(PLAN_DAYS, (today - self.start).days + 1))

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Programme(models.Model):
    class Kind(models.TextChoices):
        ACQUISITION = "acquisition", "Member acquisition"
        BETA = "beta", "Beta-group participation"
        CONTENT = "content", "Content and conversation programme"
        OUTREACH = "outreach", "Member outreach"
        CUSTOM = "custom", "Custom programme"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="programmes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="programme_name_once")]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A target on a metric of the catalogue (or a beta-group metric, `beta:…`), or on a manual
    count with its definition."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    metric = models.CharField(max_length=40, blank=True, help_text="A catalogue key; empty for a manual count.")
    manual_name = models.CharField(max_length=120, blank=True)
    manual_definition = models.CharField(max_length=500, blank=True)
    manual_actual = models.FloatField(default=0)
    target = models.FloatField()
    baseline = models.FloatField(null=True, blank=True, help_text="The previous 90 days' figure, editable.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    final_actual = models.FloatField(null=True, blank=True, help_text="Frozen when the plan closes.")
    met = models.BooleanField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(metric="") | ~models.Q(manual_name=""), name="objective_metric_or_manual"
            ),
        ]

    def __str__(self) -> str:
        return self.manual_name or self.metric


class Initiative(models.Model):
    """A checklist item under a programme ("weekly AMA in the Product group"), linked to the thread,
    Wagtail page or digest that delivers it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=160)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    done = models.BooleanField(default=False)
    repeats = models.BooleanField(default=False, help_text="Copied into the next plan with new dates.")
    thread = models.ForeignKey("forums.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="A Wagtail page: an article, a digest, a guest post.")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=3000)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.created:%Y-%m-%d}"


class OutreachContact(models.Model):
    """A personal message a manager sent a member from an outreach list; whether the member came
    back and contributed within 14 days is measured from the forums and the ledger."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contacts")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_key = models.CharField(max_length=20)
    message = models.TextField(max_length=2000)
    formula = models.BooleanField(default=False, help_text="Sent although the text could go to anyone.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["plan", "list_key"], name="outreach_plan_list_idx")]

    def __str__(self) -> str:
        return f"{self.list_key}: {self.member_id}"
