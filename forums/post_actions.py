"""The buttons other apps add under a post ("Add to digest"): forums offers this small registry and
an app above it fills it in its `AppConfig.ready()`, so forums' templates name no other app's URL or
permission and forums works without them.

An action is a form that POSTs to a URL taking the post's id, shown to whoever holds its permission,
on the server-rendered page only (a live post, sent to everyone, carries none)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PostAction:
    label: str  # the button's words
    url_name: str  # a URL name whose only argument is the post's id, e.g. "content:add-to-digest"
    permission: str  # "app_label.codename" the viewer needs


_actions: dict[str, PostAction] = {}


def register_post_action(action: PostAction) -> None:
    """Add a button under every post. Registering a URL name again replaces it (ready() may run more
    than once in tests)."""
    _actions[action.url_name] = action


def actions_for(user) -> list[PostAction]:
    """The registered actions this viewer may take. `has_perm` caches the viewer's permissions on
    the user object, so a page of posts costs at most the one permission query it always did."""
    if user is None or not user.is_authenticated:
        return []
    return [action for action in _actions.values() if user.has_perm(action.permission)]
