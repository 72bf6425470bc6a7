from django import template

from forums.post_actions import actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def post_actions(context):
    """`{% post_actions as actions %}`: what the apps above forums let this viewer do with a post."""
    return actions_for(context.get("user"))
