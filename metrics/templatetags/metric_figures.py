"""How figures read on a page: by the metric's unit, and a sparkline as inline SVG."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def figure(value, unit: str, currency: str = "") -> str:
    """A metric's value in its unit: "1,204", "42 %", "3.5 h", "EUR 1,250"."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value * 100:.1f} %"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "days":
        return f"{value:.1f} days"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "money":
        return f"{currency} {value:,.0f}".strip()
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@register.simple_tag
def change(fraction) -> str:
    if fraction is None:
        return "—"
    return f"{fraction * 100:+.0f} %"


@register.simple_tag
def sparkline(values, width: int = 96, height: int = 24):
    """A line of the period's daily values (no axis: a shape to read beside the figure)."""
    if not values or len(values) < 2:
        return ""
    top, bottom = max(values), min(values)
    span = (top - bottom) or 1
    step = width / (len(values) - 1)
    points = " ".join(
        f"{n * step:.1f},{height - 2 - (value - bottom) / span * (height - 4):.1f}" for n, value in enumerate(values)
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" aria-hidden="true" focusable="false">'
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
        width, height, width, height, points,
    )
