"""Visits, daily rollups of every metric, the business needs the community serves and the value
model that turns outcomes into money."""

from django import forms
from django.conf import settings
from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Visit(models.Model):
    """A signed-in member opened the site on this day: one row per member per day (the middleware
    writes at most one a day, deduplicated through the cache)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        ordering = ["day", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="visit_once_a_day")]
        indexes = [models.Index(fields=["day"], name="visit_day_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.day}"


class Rollup(models.Model):
    """One metric's figure for one day (for the whole community, group 0, or one forum group), with
    what a longer period needs to aggregate it properly: numerator and denominator for shares,
    samples for medians and member ids for distinct counts. Written only by `metrics.rollups`."""

    metric = models.CharField(max_length=40)
    day = models.DateField()
    group_id = models.PositiveIntegerField(default=0, help_text="0 for the whole community.")
    staff_included = models.BooleanField(default=False)
    value = models.FloatField(null=True)
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)
    samples = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["metric", "day", "group_id"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "staff_included", "group_id", "day"], name="rollup_once"),
            models.CheckConstraint(condition=models.Q(denominator__gte=0), name="rollup_denominator_not_negative"),
        ]
        indexes = [models.Index(fields=["staff_included", "group_id", "day"], name="rollup_period_idx")]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} ({self.group_id})"


def _metric_choices() -> list[tuple[str, str]]:
    from .catalogue import METRICS

    return [(metric.key, f"{metric.name} ({metric.area}, {metric.indicator})") for metric in METRICS]


class BusinessNeedForm(WagtailAdminModelForm):
    metrics = forms.MultipleChoiceField(
        choices=_metric_choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="The metrics that show whether the community serves this need.",
    )


class BusinessNeed(models.Model):
    """A need of the business the community serves ("Reduce support cost"); managers attach metrics
    to it in /cms/ (snippets) and the dashboard groups figures under it."""

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(max_length=1000, blank=True)
    metrics = models.JSONField(default=list, blank=True, help_text="Keys of the metrics that serve it.")
    position = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("metrics"), FieldPanel("position")]
    base_form_class = BusinessNeedForm

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


@register_setting(icon="chart")
class ValueModel(BaseGenericSetting):
    """What one outcome is worth to the business, in one currency; the dashboard shows value =
    outcomes × these assumptions, with the assumptions beside the figure."""

    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code, e.g. EUR, USD, GBP.")
    accepted_answer = models.DecimalField(
        max_digits=9, decimal_places=2, default=25, help_text="An accepted answer deflects a support ticket."
    )
    accepted_introduction = models.DecimalField(
        max_digits=9, decimal_places=2, default=40, help_text="An introduction both people accepted."
    )
    approved_recommendation = models.DecimalField(
        max_digits=9, decimal_places=2, default=30, help_text="A recommendation its recipient approved."
    )
    beta_contribution = models.DecimalField(
        max_digits=9, decimal_places=2, default=15, help_text="A post in a beta group: product feedback."
    )
    beta_groups = models.ManyToManyField("forums.Group", blank=True, related_name="+")

    panels = [
        FieldPanel("currency"),
        MultiFieldPanel(
            [
                FieldPanel("accepted_answer"),
                FieldPanel("accepted_introduction"),
                FieldPanel("approved_recommendation"),
                FieldPanel("beta_contribution"),
                FieldPanel("beta_groups"),
            ],
            heading="Value of one outcome",
        ),
    ]

    class Meta:
        verbose_name = "value model"

    def __str__(self) -> str:
        return "Value model"


class ReportSubscription(models.Model):
    """A reader of reports who receives the PDF report by e-mail each month or quarter, for the
    period just ended. Managers subscribe sponsors in /cms/ (Snippets → Report subscriptions)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "every month"
        QUARTERLY = "quarterly", "every quarter"

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    include_staff = models.BooleanField(default=False, help_text="Count staff in member figures.")
    created = models.DateTimeField(auto_now_add=True)
    last_period_end = models.DateField(null=True, blank=True, editable=False,
                                       help_text="The end of the last period mailed.")

    panels = [FieldPanel("reader"), FieldPanel("frequency"), FieldPanel("include_staff")]

    class Meta:
        ordering = ["reader_id", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["reader", "frequency"], name="subscription_once"),
            models.CheckConstraint(condition=models.Q(frequency__in=["monthly", "quarterly"]),
                                   name="subscription_frequency_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.reader} ({self.get_frequency_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .selectors import can_view_reports

        if self.reader_id and not can_view_reports(self.reader):
            raise ValidationError({"reader": "Only executive sponsors, managers and administrators read reports."})
