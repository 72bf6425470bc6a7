"""What the forums tell open pages, after commit: a thread's page (`thread.<id>`) and the group
lists (`group.<id>`). The HTML of a post is rendered here once and sent; the page only inserts it."""

from django.template.loader import render_to_string

from community.realtime import send_event_on_commit

from . import fragments, selectors
from .models import Post, Thread


def _post_html(post: Post) -> str:
    # Rendered for no one in particular: controls for the author or thread owner are revealed by the page.
    # A changed post may carry open flags; the service refuses the asker then, with the reason.
    post.acceptable = selectors.acceptance_refusal(post.thread, post, flagged=False, moderator=False) is None
    fragments.prepare(post.thread, [post])
    return render_to_string("forums/includes/post.html", {"post": post, "thread": post.thread, "live": True})


def post_created(post: Post) -> None:
    send_event_on_commit(
        {"type": "post.created", "number": post.number, "html": _post_html(post), "author": post.author.name},
        groups=[f"thread.{post.thread_id}"],
    )
    thread_activity(post.thread)


def post_changed(post: Post) -> None:
    send_event_on_commit(
        {
            "type": "post.changed",
            "number": post.number,
            "html": _post_html(post),
            "accepted": post.thread.accepted_answer_id == post.pk,
        },
        groups=[f"thread.{post.thread_id}"],
    )


def reactions_changed(post: Post) -> None:
    counts = {"like": post.like_count, "helpful": post.helpful_count, "insightful": post.insightful_count}
    send_event_on_commit(
        {"type": "post.reactions", "number": post.number, "counts": counts}, groups=[f"thread.{post.thread_id}"]
    )


def thread_activity(thread: Thread) -> None:
    group = thread.group
    # Everyone who reads the group hears of it: a thread held from them is activity without a title.
    shown = not thread.posts.filter(number=1, status=Post.Status.HELD).exists()
    send_event_on_commit(
        {
            "type": "group.activity",
            "group": group.slug,
            "threads": group.thread_count,
            "posts": group.post_count,
            "thread": thread.title if shown else "",
        },
        groups=[f"group.{group.pk}"],
    )


def poll_voted(poll) -> None:
    # The total only: each reader's page fetches the results it may see (after voting), so nobody
    # reads the count per option before voting through the socket either.
    total = sum(poll.options.values_list("vote_count", flat=True))
    send_event_on_commit({"type": "poll.voted", "poll": poll.pk, "total": total}, groups=[f"thread.{poll.thread_id}"])
