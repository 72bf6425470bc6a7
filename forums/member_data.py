"""The forums' part of a member's archive and of deleting an account (registered with members'
`personal_data` in ForumsConfig.ready)."""

from django.db.models import Count, F

from members.member_data import CHUNK
from members.models import Member
from members.personal_data import register_archive_part, register_eraser

from .models import Group, GroupMembership, Mention, PollVote, Post, Reaction, Thread, ThreadRead


def post_rows(member: Member):
    posts = Post.objects.filter(author=member).select_related("thread__group").order_by("created", "pk")
    for post in posts.iterator(chunk_size=CHUNK):
        yield {
            "group": post.thread.group.name,
            "thread": post.thread.title,
            "number": post.number,
            "url": post.get_absolute_url(),
            "body": post.body,
            "status": post.status,
            "created": post.created,
            "edited_at": post.edited_at,
        }


def thread_rows(member: Member):
    threads = Thread.objects.filter(author=member).select_related("group").order_by("created", "pk")
    for thread in threads.iterator(chunk_size=CHUNK):
        yield {
            "group": thread.group.name,
            "title": thread.title,
            "kind": thread.kind,
            "url": thread.get_absolute_url(),
            "created": thread.created,
        }


def reaction_rows(member: Member):
    reactions = Reaction.objects.filter(member=member).select_related("post__thread__group").order_by("created", "pk")
    for reaction in reactions.iterator(chunk_size=CHUNK):
        yield {"kind": reaction.kind, "post": reaction.post.get_absolute_url(), "created": reaction.created}


def membership_rows(member: Member):
    memberships = GroupMembership.objects.filter(member=member).order_by("created", "pk")
    for row in memberships.values("group__name", "status", "role", "created").iterator(chunk_size=CHUNK):
        yield {"group": row["group__name"], "status": row["status"], "role": row["role"], "since": row["created"]}


def poll_vote_rows(member: Member):
    votes = PollVote.objects.filter(member=member).order_by("created", "pk")
    for row in votes.values("poll__question", "option__text", "created").iterator(chunk_size=CHUNK):
        yield {"poll": row["poll__question"], "option": row["option__text"], "created": row["created"]}


def erase(*, member: Member) -> None:
    """A deleted member leaves their groups (each group's member count follows) and what only
    they read: how far they read, the mentions that waited for them. Their posts, threads,
    reactions and votes stay, with every count that includes them."""
    active = GroupMembership.objects.filter(member=member, status=GroupMembership.Status.ACTIVE)
    for group_id, n in active.values_list("group").annotate(n=Count("pk")).values_list("group", "n"):
        Group.objects.filter(pk=group_id).update(member_count=F("member_count") - n)
    GroupMembership.objects.filter(member=member).delete()
    ThreadRead.objects.filter(member=member).delete()
    Mention.objects.filter(member=member, answered_at__isnull=True).delete()


def register() -> None:
    register_archive_part("posts", post_rows, description="Everything you posted, with where it is.")
    register_archive_part("threads", thread_rows, description="The threads you started.")
    register_archive_part("reactions", reaction_rows, description="Your reactions to posts.")
    register_archive_part("group_memberships", membership_rows, description="The groups you belong to.")
    register_archive_part("poll_votes", poll_vote_rows, description="How you voted in polls.")
    register_eraser("forums", erase)
