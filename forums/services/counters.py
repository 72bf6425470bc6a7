"""The forums' running totals, rebuilt from the rows they count (as members.services rebuilds the
ledger's). Services keep them with F() updates as they write; this puts them right after an import,
a manual fix in the database or a bug."""

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Group, GroupMembership, Participant, PollOption, PollVote, Post, Reaction, Thread


def _count(rows: QuerySet, field: str, outer: str = "pk") -> Coalesce:
    """How many of `rows` point (through `field`) at the row being updated."""
    per_row = rows.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(per_row.values("n")), 0)


@transaction.atomic
def synchronize_forums() -> None:
    # A group counts the posts that were published (held ones never were; hidden ones were).
    published = Post.objects.exclude(status=Post.Status.HELD)
    Group.objects.update(
        thread_count=_count(Thread.objects.all(), "group"),
        post_count=_count(published, "thread__group"),
        member_count=_count(GroupMembership.objects.filter(status=GroupMembership.Status.ACTIVE), "group"),
    )
    Thread.objects.update(post_count=_count(Post.objects.all(), "thread"))  # every numbered post
    Post.objects.update(
        **{f"{kind}_count": _count(Reaction.objects.filter(kind=kind), "post") for kind in Reaction.Kind.values}
    )
    PollOption.objects.update(vote_count=_count(PollVote.objects.all(), "option"))
    Participant.objects.update(
        post_count=_count(Post.objects.all(), "author", "member"),
        reactions_received=_count(Reaction.objects.all(), "post__author", "member"),
    )
