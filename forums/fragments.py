"""Each post's viewer-independent HTML, rendered once per version of what it shows and kept in
Django's cache (LocMem by default, the fail-soft Redis cache in production).

The fragment (templates/forums/includes/post_content.html: the header with the avatar, name and date,
the reply-to line, the body) shows nothing that depends on who is reading. Its key is a digest of
everything it does show, so an edit, a moderator's decision, an accepted answer, the author's new name
or avatar, or the reply-to author's new name gives a new key and the old fragment is simply never read
again (it expires): nothing has to remember to delete it. The templates' own source is in the key, so
a deploy that changes them never serves fragments of the old ones from a shared Redis. The post's age
("3 hours ago") changes with the clock, not with the post: the fragment holds a slot for it, filled
for every request.

What depends on the viewer (reactions they can press, their own reactions, Reply/Quote, Accept, Edit,
Flag, "Add to digest", placeholders for held and hidden posts) is rendered for every request, outside
the fragment (templates/forums/includes/post.html). `attach_controls` makes that part cheap: the
controls' URLs come from one `reverse` a route and page (not one a post and control), and the
reaction counts are ready strings.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache as django_cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Post, Reaction, Thread

CONTENT_TEMPLATE = "forums/includes/post_content.html"
# The templates the fragment is made of: their source is part of every key.
FRAGMENT_TEMPLATES = (CONTENT_TEMPLATE, "includes/avatar.html")
TIMEOUT = 7 * 24 * 3600  # a fragment unread for a week is rendered again when next needed
KEY_PREFIX = "forums.post"
# Where the age goes. NUL never occurs in a rendered post (the sanitiser drops it; requests carrying
# it are refused), and the slot comes before the body, so the first occurrence is the slot.
AGE_SLOT = "\x00age\x00"


@cache
def _templates_digest() -> str:
    sources = []
    for name in FRAGMENT_TEMPLATES:
        template = get_template(name).template
        sources.append(template.source)
    sources.append(settings.MEDIA_URL)  # avatars' URLs
    return hashlib.blake2b("\0".join(sources).encode(), digest_size=8).hexdigest()


def _member_version(member) -> tuple:
    if member is None:
        return ()
    return (member.pk, member.username, member.display_name, member.avatar.name, member.deleted_at is not None)


def content_key(post: Post, thread: Thread) -> str:
    """The cache key of `post`'s fragment: a digest of every value the fragment shows."""
    reply = post.reply_to
    shown = (
        post.pk,
        post.number,
        post.status,
        post.created.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.author_id == thread.author_id,
        thread.accepted_answer_id == post.pk,
        _member_version(post.author),
        (reply.number, _member_version(reply.author)) if reply is not None else (),
        hashlib.blake2b(post.html.encode(), digest_size=16).hexdigest(),
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{_templates_digest()}:{digest}"


def render_content(post: Post, thread: Thread) -> str:
    return get_template(CONTENT_TEMPLATE).render({"post": post, "thread": thread, "age_slot": AGE_SLOT})


def attach_content(thread: Thread, posts: list[Post]) -> None:
    """Set `post.content_html` on every post of a page: one cache read for the page, one write for
    the fragments it had to render."""
    if not posts:
        return
    keys = {post.pk: content_key(post, thread) for post in posts}
    found = django_cache.get_many(list(keys.values()))
    rendered = {}
    for post in posts:
        html = found.get(keys[post.pk])
        if html is None:
            html = rendered[keys[post.pk]] = render_content(post, thread)
        post.content_html = mark_safe(html.replace(AGE_SLOT, escape(str(naturaltime(post.created))), 1))
    if rendered:
        django_cache.set_many(rendered, TIMEOUT)


# A post id no post has: reversed once a page, then replaced by each post's id.
_ID_SLOT = 987654321987654321
_CONTROL_ROUTES = {
    "accept": "forums:accept",
    "edit": "forums:edit-post",
    "flag": "forums:flag",
    "reactions": "api-forums-post-reactions",
}


def _url_patterns() -> tuple[dict[str, str], dict[str, str]]:
    controls = {name: reverse(route, args=[_ID_SLOT]) for name, route in _CONTROL_ROUTES.items()}
    reacts = {kind: reverse("forums:react", args=[_ID_SLOT, kind]) for kind in Reaction.Kind.values}
    return controls, reacts


def attach_controls(posts: list[Post]) -> None:
    """Set `post.urls` (accept, edit, flag, reactions API) and `post.reaction_buttons` (kind, label,
    count, whether the viewer's own, form action) on every post of a page."""
    controls, reacts = _url_patterns()
    slot = str(_ID_SLOT)
    for post in posts:
        pk = str(post.pk)
        post.urls = {name: url.replace(slot, pk) for name, url in controls.items()}
        post.reaction_buttons = [
            (kind, label, str(count), kind in post.my_kinds, reacts[kind].replace(slot, pk))
            for kind, label, count in post.reaction_counts
        ]


def prepare(thread: Thread, posts: list[Post]) -> None:
    """Everything post.html needs on a page's posts, done once for the page."""
    attach_content(thread, posts)
    attach_controls(posts)
