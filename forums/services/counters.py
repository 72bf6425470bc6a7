"""The forums' running totals, rebuilt from the rows they count (as members.services rebuilds the
ledger's). Services keep them with F() updates as they write; this puts them right after an import,
a manual fix in the database or a bug."""

from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from ..models import (
    Group,
    GroupMembership,
    ModerationAction,
    Participant,
    PollOption,
    PollVote,
    Post,
    Reaction,
    Thread,
)


def _count(rows: QuerySet, field: str, outer: str = "pk") -> Coalesce:
    """How many of `rows` point (through `field`) at the row being updated."""
    per_row = rows.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(per_row.values("n")), 0)


def _published_posts() -> QuerySet:
    """The posts that went live (held ones never did; hidden ones did), each with the moment it did:
    when a moderator last approved it, or else when it was written (as forums.services.publish_post)."""
    approved = ModerationAction.objects.filter(post=OuterRef("pk"), action=ModerationAction.Action.APPROVE)
    approved_at = Subquery(approved.order_by("-created").values("created")[:1])
    return Post.objects.exclude(status=Post.Status.HELD).annotate(published_at=Coalesce(approved_at, F("created")))


def _latest_published(field: str, of: str) -> Subquery:
    """`field` of the last post to go live in the thread or group (`of`: the path from a post to it)."""
    latest = _published_posts().filter(**{of: OuterRef("pk")}).order_by("-published_at", "-number", "-pk")
    return Subquery(latest.values(field)[:1])


@transaction.atomic
def synchronize_forums() -> None:
    # A group counts the posts that were published (held ones never were; hidden ones were).
    published = Post.objects.exclude(status=Post.Status.HELD)
    Group.objects.update(
        thread_count=_count(Thread.objects.all(), "group"),
        post_count=_count(published, "thread__group"),
        member_count=_count(GroupMembership.objects.filter(status=GroupMembership.Status.ACTIVE), "group"),
        last_activity_at=_latest_published("published_at", of="thread__group"),  # none before a first post
    )
    # A thread moves on with each post that goes live; until one does, it was last active when started.
    Thread.objects.update(
        post_count=_count(Post.objects.all(), "thread"),  # every numbered post
        last_activity_at=Coalesce(_latest_published("published_at", of="thread"), F("created")),
        last_poster=Coalesce(_latest_published("author", of="thread"), F("author")),
    )
    # Rule 3: the author owes an answer when someone else was the last to post (read after the
    # statement above, since an UPDATE reads the row as it was).
    someone_posted = Exists(_published_posts().filter(thread=OuterRef("pk")))
    Thread.objects.update(
        awaits_author=Case(When(someone_posted & ~Q(last_poster=F("author")), then=Value(True)), default=Value(False))
    )
    Post.objects.update(
        **{f"{kind}_count": _count(Reaction.objects.filter(kind=kind), "post") for kind in Reaction.Kind.values}
    )
    PollOption.objects.update(vote_count=_count(PollVote.objects.all(), "option"))
    Participant.objects.update(
        post_count=_count(Post.objects.all(), "author", "member"),
        reactions_received=_count(Reaction.objects.all(), "post__author", "member"),
    )
