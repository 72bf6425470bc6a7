from datetime import datetime, timedelta

from django import template
from django.utils import timezone

from members.durations import in_words

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """{{ summary.median_time_to_thank|duration }} → "3 days"."""
    return "" if value is None else in_words(value)


@register.filter
def age(value: datetime | None) -> str:
    """How long ago a moment was, without "ago": {{ give.created|age }} → "5 weeks"."""
    return "" if value is None else in_words(timezone.now() - value)
