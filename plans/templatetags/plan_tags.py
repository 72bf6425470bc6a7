from django import template

register = template.Library()


@register.filter
def day_of(plan, today) -> int:
    return plan.day_number(today)


@register.filter
def objectives_met(plan) -> int:
    return sum(1 for objective in plan.objectives.all() if objective.met)


@register.filter
def percent(share) -> int:
    return 0 if share is None else round(share * 100)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
