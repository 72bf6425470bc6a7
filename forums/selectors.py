"""Reads of the forums and the permission checks that guard every forum write."""

import operator
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from community import text_search
from members.activity import Activity
from members.models import Give, Member
from members.waiting import Waiting, WaitingSection

from .errors import ForumError
from .models import (
    Flag,
    Group,
    GroupMembership,
    Mention,
    Participant,
    Poll,
    PollOption,
    PollVote,
    Post,
    Reaction,
    Thread,
    ThreadRead,
)

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 30

Viewer = Member | AnonymousUser


def is_moderator(member: Viewer) -> bool:
    return member.is_authenticated and member.has_perm("members.moderate_community")


def can_manage_groups(member: Viewer) -> bool:
    return member.is_authenticated and member.has_perm("forums.add_group")


def visible_groups(member: Viewer) -> QuerySet[Group]:
    """Public groups for everyone; members-only groups for members; private groups for their own
    members. Site moderators see every group, since they moderate them all."""
    groups = Group.objects.all()
    if is_moderator(member):
        return groups
    if not member.is_authenticated:
        return groups.filter(visibility=Group.Visibility.PUBLIC)
    joined = GroupMembership.objects.filter(member=member, status=GroupMembership.Status.ACTIVE)
    return groups.filter(~Q(visibility=Group.Visibility.PRIVATE) | Q(pk__in=joined.values("group")))


def access_group(member: Viewer, slug: str) -> Group:
    """The group at `slug`, if the member may read it. A private group is not found at all for
    outsiders (its name is not leaked); a members-only group asks visitors to sign in."""
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404("No such group.")
    check_read_group_permission(member, group)
    return group


def access_group_to_join(member: Viewer, slug: str) -> Group:
    """The group at `slug` for joining or leaving it: one the member may read, or one they are
    invited to, since an invitation is how one finds a private group."""
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404("No such group.")
    try:
        check_read_group_permission(member, group)
    except (PermissionDenied, Http404):
        if not is_invited(member, group):
            raise
    return group


def is_invited(member: Viewer, group: Group) -> bool:
    return (
        member.is_authenticated
        and GroupMembership.objects.filter(group=group, member=member, status=GroupMembership.Status.INVITED).exists()
    )


def check_read_group_permission(member: Viewer, group: Group) -> None:
    if group.visibility == Group.Visibility.PUBLIC or is_moderator(member):
        return
    if not member.is_authenticated:
        if group.visibility == Group.Visibility.PRIVATE:
            raise Http404("No such group.")
        raise PermissionDenied("Sign in to read this group: it is for members only.")
    if group.visibility == Group.Visibility.PRIVATE and not is_active_member(member, group):
        raise Http404("No such group.")


def can_read_group(member: Viewer, group: Group) -> bool:
    try:
        check_read_group_permission(member, group)
    except (PermissionDenied, Http404):
        return False
    return True


def is_active_member(member: Viewer, group: Group) -> bool:
    return (
        member.is_authenticated
        and GroupMembership.objects.filter(group=group, member=member, status=GroupMembership.Status.ACTIVE).exists()
    )


def is_group_moderator(member: Viewer, group: Group) -> bool:
    if is_moderator(member):
        return True
    return (
        member.is_authenticated
        and GroupMembership.objects.filter(
            group=group, member=member, status=GroupMembership.Status.ACTIVE, role=GroupMembership.Role.MODERATOR
        ).exists()
    )


def _opening_status(thread_path: str = "pk") -> Subquery:
    """The status of a thread's opening post, read in the same query as the thread."""
    return Subquery(Post.objects.filter(thread=OuterRef(thread_path), number=1).values("status")[:1])


def shown_threads_q(member: Viewer, prefix: str = "") -> Q:
    """A thread whose opening post is held for review (rule 10) is shown only to its author and to
    the group's moderators: its title is as unpublished as the post. (A hidden opening post leaves
    the thread readable, with the placeholder, as a hidden reply does.) `prefix` is the path to the
    thread from the model filtered ("thread__" for posts). In-query, however many groups."""
    if is_moderator(member):
        return Q()
    opening_held = Exists(Post.objects.filter(thread=OuterRef(f"{prefix}pk"), number=1, status=Post.Status.HELD))
    if not member.is_authenticated:
        return ~Q(opening_held)
    moderated = GroupMembership.objects.filter(
        member=member, status=GroupMembership.Status.ACTIVE, role=GroupMembership.Role.MODERATOR
    ).values("group")
    return ~Q(opening_held) | Q(**{f"{prefix}author": member}) | Q(**{f"{prefix}group__in": moderated})


def visible_threads(member: Viewer) -> QuerySet[Thread]:
    """Every thread the member may see: in groups they can read, and not held from them. Every list
    of threads across groups starts here."""
    return Thread.objects.filter(shown_threads_q(member), group__in=visible_groups(member))


_UNREAD = object()


def check_read_thread_permission(member: Viewer, thread: Thread, opening_status=_UNREAD) -> None:
    """Read the group, and a thread whose opening post is held only as its author or a moderator of
    its group; for anyone else it is not found. `opening_status`, when the caller read it with the
    thread, saves a query."""
    check_read_group_permission(member, thread.group)
    if opening_status is _UNREAD:
        opening_status = thread.posts.filter(number=1).values_list("status", flat=True).first()
    if opening_status != Post.Status.HELD or (member.is_authenticated and member.pk == thread.author_id):
        return
    if not is_group_moderator(member, thread.group):
        raise Http404("No such thread.")


def can_read_thread(member: Viewer, thread: Thread) -> bool:
    try:
        check_read_thread_permission(member, thread)
    except (PermissionDenied, Http404):
        return False
    return True


def access_thread(member: Viewer, thread_id: int, *, group_slug: str | None = None) -> Thread:
    thread = (
        Thread.objects.select_related("group", "author", "poll")
        .annotate(opening_status=_opening_status())
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or (group_slug is not None and thread.group.slug != group_slug):
        raise Http404("No such thread.")
    check_read_thread_permission(member, thread, thread.opening_status)
    return thread


def access_post(member: Viewer, post_id: int) -> Post:
    post = (
        Post.objects.select_related("thread__group", "thread__author", "author")
        .annotate(opening_status=_opening_status("thread_id"))
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    check_read_thread_permission(member, post.thread, post.opening_status)
    # Held and hidden posts: their author and the group's moderators, who approve and restore them.
    if not post.is_visible and post.author_id != member.pk and not is_group_moderator(member, post.thread.group):
        raise Http404("No such post.")
    return post


@dataclass(frozen=True)
class ReplyStanding:
    """Whether a reader may reply to a thread and, when not, what the page offers instead: `sign-in`,
    `join` (an open group), `request` (ask to join), `requested` (waiting), `invited` (accept and
    reply), `invite-only`, `locked` or `suspended`."""

    offer: str
    refusal: str = ""  # what the service says when asked anyway

    @property
    def can_post(self) -> bool:
        return self.offer == "post"


def reply_standing(member: Viewer, thread: Thread, *, moderator: bool | None = None) -> ReplyStanding:
    """The posting rule itself (check_post_permission raises what this says): members of the group
    post; a locked thread takes no more posts, except from moderators. `moderator`, when the caller
    knows it, saves a query. The group must be readable: callers have checked that already."""
    if not member.is_authenticated:
        return ReplyStanding("sign-in", "Sign in to post.")
    try:
        check_not_suspended(member)
    except PermissionDenied as refusal:
        return ReplyStanding("suspended", str(refusal))
    if thread.locked and not (is_group_moderator(member, thread.group) if moderator is None else moderator):
        return ReplyStanding("locked", "This thread is locked: it takes no new posts.")
    group = thread.group
    status = GroupMembership.objects.filter(group=group, member=member).values_list("status", flat=True).first()
    if status == GroupMembership.Status.ACTIVE:
        return ReplyStanding("post")
    refusal = f"Join {group.name} to post in it."
    if status == GroupMembership.Status.REQUESTED:
        return ReplyStanding("requested", refusal)
    if status == GroupMembership.Status.INVITED:
        return ReplyStanding("invited", refusal)
    offer = {Group.Policy.OPEN: "join", Group.Policy.REQUEST: "request"}.get(group.policy, "invite-only")
    return ReplyStanding(offer, refusal)


def check_post_permission(member: Member, thread: Thread) -> None:
    """Members of the group post; a locked thread takes no more posts, except from moderators."""
    check_read_group_permission(member, thread.group)
    standing = reply_standing(member, thread)
    if not standing.can_post:
        raise PermissionDenied(standing.refusal)


def check_accept_permission(member: Viewer, thread: Thread, *, moderator: bool | None = None) -> None:
    """The asker accepts an answer to their question; the group's moderators may too."""
    if not member.is_authenticated or thread.kind != Thread.Kind.QUESTION:
        raise PermissionDenied("Only the person who asked accepts an answer.")
    if member.pk != thread.author_id and not (
        is_group_moderator(member, thread.group) if moderator is None else moderator
    ):
        raise PermissionDenied("Only the person who asked accepts an answer.")


def can_accept_answers(member: Viewer, thread: Thread, *, moderator: bool | None = None) -> bool:
    try:
        check_accept_permission(member, thread, moderator=moderator)
    except PermissionDenied:
        return False
    return True


def acceptance_refusal(thread: Thread, post: Post, *, flagged: bool, moderator: bool) -> ForumError | None:
    """Why `post` cannot be the accepted answer of `thread`, or None when it can: an answer is a
    visible reply from someone other than the asker, not already the accepted one; while members'
    flags on it are open, only a moderator (who judges the flags) accepts it. The page offers the
    button exactly where this says None; the service raises what it says."""
    if thread.kind != Thread.Kind.QUESTION:
        return ForumError("Only a question has an accepted answer.")
    if post.number == 1 or post.author_id == thread.author_id or not post.is_visible:
        return ForumError("Accept a visible answer from someone else.")
    if thread.accepted_answer_id == post.pk:
        return ForumError("This answer is already the accepted one.", status=409)
    if flagged and not moderator:
        return ForumError("Members flagged this answer: a moderator looks at it before it can be accepted.")
    return None


def mark_acceptable(thread: Thread, posts: list[Post], *, moderator: bool) -> None:
    """Set `post.acceptable` on a page of posts (their `flagged` read with the page, no query)."""
    for post in posts:
        flagged = getattr(post, "flagged", False)
        post.acceptable = acceptance_refusal(thread, post, flagged=flagged, moderator=moderator) is None


def check_vote_permission(member: Viewer, thread: Thread) -> None:
    """A poll is its group's say: voting takes the same right as posting, locked threads aside."""
    check_read_thread_permission(member, thread)
    if not member.is_authenticated:
        raise PermissionDenied("Sign in to vote.")
    check_not_suspended(member)
    if not is_active_member(member, thread.group):
        raise PermissionDenied(f"Join {thread.group.name} to vote in its polls.")


def can_vote(member: Viewer, thread: Thread) -> bool:
    try:
        check_vote_permission(member, thread)
    except (PermissionDenied, Http404):
        return False
    return True


def check_not_suspended(member: Viewer) -> None:
    if not member.is_authenticated:
        return  # a visitor has no standing to lose; what they may do is decided by sign-in checks
    participant = Participant.objects.filter(member=member).first()
    if participant and participant.is_suspended:
        until = timezone.localtime(participant.suspended_until).strftime("%-d %B %Y, %H:%M")
        raise PermissionDenied(f"Your account is suspended from the forums until {until}.")


def check_edit_permission(member: Member, post: Post) -> None:
    if post.author_id != member.pk and not is_group_moderator(member, post.thread.group):
        raise PermissionDenied("Only the author (or a moderator) can edit this post.")
    check_not_suspended(member)


def check_moderate_permission(member: Viewer, group: Group | None = None) -> None:
    allowed = is_group_moderator(member, group) if group is not None else is_moderator(member)
    if not allowed:
        raise PermissionDenied("Only moderators can do that.")


def check_manage_groups_permission(member: Viewer) -> None:
    if not can_manage_groups(member):
        raise PermissionDenied("Only community managers can create or change groups.")


# Pages ------------------------------------------------------------------------------------------


def group_list(member: Viewer) -> QuerySet[Group]:
    """The groups a member can read, with their own membership status (`my_status`), plus those whose
    existence they may know without reading them (`readable` false): members-only groups for a visitor,
    who signs in to read them; a private group for the member invited to it. Other private groups stay
    unlisted: their name is their members' business, and their pages answer 404 to outsiders too. Two
    queries, however many groups."""
    if is_moderator(member):
        readable, listed = Q(pk__isnull=False), Q()
    elif not member.is_authenticated:
        readable, listed = Q(visibility=Group.Visibility.PUBLIC), ~Q(visibility=Group.Visibility.PRIVATE)
    else:
        mine = GroupMembership.objects.filter(member=member)
        readable = ~Q(visibility=Group.Visibility.PRIVATE) | Q(
            pk__in=mine.filter(status=GroupMembership.Status.ACTIVE).values("group")
        )
        listed = readable | Q(pk__in=mine.filter(status=GroupMembership.Status.INVITED).values("group"))
    groups = Group.objects.filter(listed).annotate(readable=ExpressionWrapper(readable, output_field=BooleanField()))
    if member.is_authenticated:
        status = GroupMembership.objects.filter(group=OuterRef("pk"), member=member).values("status")[:1]
        groups = groups.annotate(my_status=Subquery(status))
    return groups.order_by("name")


def thread_list(member: Viewer, group: Group) -> QuerySet[Thread]:
    """A group's threads by latest activity, pinned first, less those held from the member. Page it,
    then call `with_unread` on the page."""
    threads = group.threads.filter(shown_threads_q(member)).select_related("author", "last_poster").only(
        *THREAD_LIST_FIELDS,
        "author__username",
        "author__display_name",
        "author__deleted_at",  # a former member shows under no name
        "last_poster__username",
        "last_poster__display_name",
        "last_poster__deleted_at",
    )
    return threads.order_by("-pinned", "-last_activity_at", "-pk")


def with_unread(member: Viewer, threads: list[Thread]) -> list[Thread]:
    """Set `last_read` and `unread` (posts the member has not read; a thread never opened counts
    whole) on one page of threads, in one query however deep the page."""
    threads = list(threads)
    if not member.is_authenticated:
        return threads
    read = dict(
        ThreadRead.objects.filter(member=member, thread__in=[t.pk for t in threads]).values_list(
            "thread_id", "last_read_number"
        )
    )
    for thread in threads:
        thread.last_read = read.get(thread.pk, 0)
        thread.unread = thread.post_count - thread.last_read
    return threads


THREAD_LIST_FIELDS = (
    "id", "group_id", "title", "kind", "pinned", "locked", "created", "last_activity_at",
    "post_count", "accepted_answer_id", "author_id", "last_poster_id",
)  # fmt: skip


@dataclass
class ThreadPage:
    posts: list[Post]
    page: int
    pages: int


def thread_page(member: Viewer, thread: Thread, page: int) -> ThreadPage:
    """One page of a thread: posts numbered ((page-1)*20, page*20], an index range however long the
    thread, each with the viewer's own reactions as `post.my_kinds`. Held and hidden posts show to
    their author and moderators only; others see a placeholder."""
    pages = max(1, -(-thread.post_count // POSTS_PER_PAGE))
    page = min(max(1, page), pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = thread.posts.filter(number__gte=first, number__lt=first + POSTS_PER_PAGE)
    if thread.kind == Thread.Kind.QUESTION:  # open flags bear on accepting an answer: read in the same query
        posts = posts.annotate(flagged=Exists(Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)))
    posts = list(posts.select_related("author", "reply_to__author").order_by("number"))
    mine = set()
    if member.is_authenticated and posts:
        mine = set(
            Reaction.objects.filter(member=member, post__in=[post.pk for post in posts]).values_list("post_id", "kind")
        )
    for post in posts:
        post.my_kinds = {kind for post_id, kind in mine if post_id == post.pk}
    return ThreadPage(posts=posts, page=page, pages=pages)


def poll_for(member: Viewer, thread: Thread) -> Poll | None:
    """The thread's poll with its options, and the viewer's votes as `poll.my_option_ids`."""
    try:
        poll = thread.poll
    except Poll.DoesNotExist:
        return None
    poll.option_list = list(PollOption.objects.filter(poll=poll).order_by("position"))
    poll.my_option_ids = (
        set(PollVote.objects.filter(poll=poll, member=member).values_list("option_id", flat=True))
        if member.is_authenticated
        else set()
    )
    poll.can_vote = can_vote(member, thread) if member.is_authenticated and not poll.my_option_ids else False
    poll.total_votes = sum(option.vote_count for option in poll.option_list)
    poll.show_results = poll.is_closed or bool(poll.my_option_ids)
    return poll


def post_in_thread(thread: Thread, number: int) -> Post | None:
    return thread.posts.select_related("author").filter(number=number).first()


# @mentions ---------------------------------------------------------------------------------------

MENTION_SUGGESTIONS = 8


def mentionable_members(member: Member, group: Group, query: str) -> QuerySet[Member]:
    """Who an @mention in `group` can reach, for the reply box's suggestions: active members (as the
    directory shows them to members) whose handle, or a word of whose name, starts with `query`; in a
    private group only its members, since a mention tells nobody who cannot read the thread. Group
    members first, then by name; never the member typing."""
    query = query.strip().lstrip("@")
    if not query:
        return Member.objects.none()
    in_group = GroupMembership.objects.filter(group=group, member=OuterRef("pk"), status=GroupMembership.Status.ACTIVE)
    people = Member.objects.filter(is_active=True).exclude(pk=member.pk)
    if group.visibility == Group.Visibility.PRIVATE:
        people = people.filter(Exists(in_group))
    matches = Q(username__istartswith=query) | Q(display_name__istartswith=query)
    matches |= Q(display_name__icontains=f" {query}")
    return (
        people.filter(matches)
        .annotate(in_group=Exists(in_group))
        .only("username", "display_name")
        .order_by("-in_group", Lower("display_name"), "username")[:MENTION_SUGGESTIONS]
    )


# Pay it back (rule 3) ---------------------------------------------------------------------------


def pay_it_back_sections(member: Member) -> list[WaitingSection]:
    """What in the forums waits for this member's answer, in three queries: open questions from
    people who gave to them first (help those who helped you), then @mentions they have not
    answered, then their threads where someone posted since they last did."""
    helpers = Give.objects.filter(receiver=member).exclude(kind=Give.Kind.THANKS).values("giver")
    questions = (
        Thread.objects.filter(
            kind=Thread.Kind.QUESTION,
            accepted_answer__isnull=True,
            locked=False,
            author__in=helpers,
            group__in=visible_groups(member),
        )
        .filter(shown_threads_q(member))
        .exclude(author=member)
        .exclude(Exists(Post.objects.filter(thread=OuterRef("pk"), author=member)))
        .select_related("group", "author")
        .order_by("-created")[:10]
    )
    mentions = (
        Mention.objects.filter(member=member, answered_at__isnull=True, post__status=Post.Status.VISIBLE)
        .filter(shown_threads_q(member, "post__thread__"))
        .select_related("post__author", "post__thread__group")
        .order_by("post__created")[:20]
    )
    threads = (
        Thread.objects.filter(author=member, awaits_author=True)
        .select_related("group", "last_poster")
        .order_by("last_activity_at")[:20]
    )
    return [
        WaitingSection(
            "Questions from people who helped you",
            [
                Waiting(t.author, f"asks “{t.title}” in {t.group.name}", t.get_absolute_url(), t.created)
                for t in questions
            ],
        ),
        WaitingSection(
            "Mentions waiting for your answer",
            [
                Waiting(
                    m.post.author,
                    f"mentioned you in “{m.post.thread.title}”",
                    m.post.get_absolute_url(),
                    m.post.created,
                )
                for m in mentions
            ],
        ),
        WaitingSection(
            "Replies on your threads",
            [
                Waiting(
                    t.last_poster,
                    f"replied in your thread “{t.title}”",
                    f"{t.get_absolute_url()}?post={t.post_count}#post-{t.post_count}",
                    t.last_activity_at,
                )
                for t in threads
            ],
        ),
    ]


def best_threads_for_digest(member: Member, *, since) -> list[tuple[str, list[Waiting]]]:
    """The period's best threads in the groups the member belongs to, for their mail digest
    (registered with members.mailing): most visible posts since `since`, in one query."""
    groups = GroupMembership.objects.filter(member=member, status=GroupMembership.Status.ACTIVE).values("group")
    threads = (
        visible_threads(member)
        .filter(group__in=groups, last_activity_at__gte=since)
        .annotate(recent=Count("posts", filter=Q(posts__created__gte=since, posts__status=Post.Status.VISIBLE)))
        .filter(recent__gt=0)
        .select_related("group", "author")
        .order_by("-recent", "-last_activity_at", "-pk")[:5]
    )
    items = [
        Waiting(
            t.author,
            f"“{t.title}” in {t.group.name}: {t.recent} new post{'s' if t.recent != 1 else ''}",
            t.get_absolute_url(),
            t.last_activity_at,
        )
        for t in threads
    ]
    return [("The best threads in your groups", items)]


def forum_activity_of(member: Member) -> Activity:
    """The forums' part of a member's activity on My reciprocity (members.activity adds it to the
    connections they asked for): their questions (asks), posts and promotion threads, in one query."""
    counts = (
        Post.objects.filter(author=member)
        .exclude(status=Post.Status.HIDDEN)
        .aggregate(
            posts=Count("pk"),
            asks=Count("pk", filter=Q(number=1, thread__kind=Thread.Kind.QUESTION)),
            promotions=Count("pk", filter=Q(number=1, thread__kind=Thread.Kind.PROMOTION)),
        )
    )
    return Activity(**counts)


# Search ------------------------------------------------------------------------------------------


def search(member: Viewer, query: str) -> QuerySet[Post]:
    """Visible posts matching `query` in threads the member can read (thread titles count too).
    PostgreSQL full text with expression GIN indexes; a case-insensitive match on SQLite."""
    query = query.strip()
    posts = Post.objects.filter(
        shown_threads_q(member, "thread__"), status=Post.Status.VISIBLE, thread__group__in=visible_groups(member)
    )
    if not query:
        return posts.none()
    if connection.vendor == "postgresql":
        # Each side alone, so that each uses its GIN expression index (migration 0002); OR-ing the
        # two conditions in one WHERE would compute every post's tsvector instead.
        terms = SearchQuery(query, search_type="websearch", config="english")
        in_body = Post.objects.annotate(document=SearchVector("body", config="english")).filter(document=terms)
        in_title = Thread.objects.annotate(document=SearchVector("title", config="english")).filter(document=terms)
        opening = Post.objects.filter(number=1, thread__in=in_title.values("pk"))
        posts = posts.filter(Q(pk__in=in_body.values("pk")) | Q(pk__in=opening.values("pk")))
    else:
        # No stemmer in SQLite's LIKE: every word's stem, so that "welcome" finds "welcoming".
        stems = text_search.stems(query) or [query]
        in_body = reduce(operator.and_, (Q(body__icontains=stem) for stem in stems))
        in_title = reduce(operator.and_, (Q(thread__title__icontains=stem) for stem in stems))
        posts = posts.filter(in_body | (Q(number=1) & in_title))
    return posts.select_related("author", "thread__group").order_by("-created")


# Moderation ---------------------------------------------------------------------------------------


def moderation_queue() -> dict:
    flagged = (
        Post.objects.filter(Exists(Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)))
        .select_related("author", "thread__group")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("flagger"),
                to_attr="open_flags",
            )
        )
        .order_by("created")
    )
    held = Post.objects.filter(status=Post.Status.HELD).select_related("author", "thread__group").order_by("created")
    return {"flagged": flagged, "held": held}


# Per-day material for the metrics app (which never reads these tables itself).


@dataclass(frozen=True)
class QuestionRow:
    author_id: int
    group_id: int
    created: object
    first_reply_at: object | None  # the first visible reply by someone other than the asker


def questions_before(end, *, exclude: set[int] = frozenset()) -> list[QuestionRow]:
    """Every question asked before `end` with the time of its first reply from someone else
    (replies after `end` included: callers cut at their own day)."""
    first_reply = (
        Post.objects.filter(thread=OuterRef("pk"), number__gt=1, status=Post.Status.VISIBLE)
        .exclude(author=OuterRef("author"))
        .order_by("created")
        .values("created")[:1]
    )
    rows = (
        Thread.objects.filter(kind=Thread.Kind.QUESTION, created__lt=end)
        .annotate(first_reply_at=Subquery(first_reply))
        .order_by("created", "pk")
        .values_list("author_id", "group_id", "created", "first_reply_at")
    )
    return [QuestionRow(*row) for row in rows if row[0] not in exclude]


def accepted_answers_between(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[int, int, object, object]]:
    """(answerer id, group id, asked at, accepted at) of answers accepted in [start, end): the
    acceptance time is that of the accepted-answer give in the ledger."""
    gives = Give.objects.filter(kind=Give.Kind.ACCEPTED_ANSWER, created__gte=start, created__lt=end).values_list(
        "receiver_id", "subject_id", "created"
    )
    gives = [row for row in gives if row[0] not in exclude]
    posts = dict(
        (pk, (group, asked))
        for pk, group, asked in Post.objects.filter(pk__in=[subject for _, subject, _ in gives]).values_list(
            "pk", "thread__group_id", "thread__created"
        )
    )
    return [(who, *posts[subject], at) for who, subject, at in gives if subject in posts]


def group_names() -> dict[int, str]:
    """Every group's name by id, for breakdowns in reports (names of private groups included:
    readers of reports see aggregate figures only)."""
    return dict(Group.objects.values_list("pk", "name"))


def first_posts(*, exclude: set[int] = frozenset(), members=None) -> dict[int, object]:
    """Each member's first visible post, by member id; only `members`' if given."""
    from django.db.models import Min

    posts = Post.objects.filter(status=Post.Status.VISIBLE)
    if members is not None:
        posts = posts.filter(author_id__in=list(members))
    rows = (
        posts.order_by()
        .values("author_id")
        .annotate(first=Min("created"))
        .values_list("author_id", "first")
    )
    return {pk: at for pk, at in rows if pk not in exclude}


# Material for the plans app (outreach lists and beta groups), which never reads these tables itself.


def posts_of_outer_member(start, end=None) -> QuerySet[Post]:
    """The outer member's visible posts in [start, end) (end open when None), for EXISTS and its unions."""
    posts = Post.objects.filter(author_id=OuterRef("pk"), status=Post.Status.VISIBLE, created__gte=start)
    return posts.filter(created__lt=end) if end is not None else posts


def posted_between(start, end=None) -> Exists:
    """The outer member wrote a visible post in [start, end) (end open when None)."""
    return Exists(posts_of_outer_member(start, end))


def ever_posted() -> Exists:
    return Exists(Post.objects.filter(author_id=OuterRef("pk")))


def in_group(group_id: int) -> Exists:
    """The outer member is an active member of the group."""
    return Exists(GroupMembership.objects.filter(
        member_id=OuterRef("pk"), group_id=group_id, status=GroupMembership.Status.ACTIVE
    ))


def first_posts_unanswered(joined_since, *, now, hours: int = 24) -> QuerySet[Post]:
    """The first visible post of each member who joined since `joined_since`, written more than
    `hours` ago, that nobody else replied to in its thread within `hours`: newest first. Starts
    from the newcomers (the join index), one index lookup each for their first post."""
    from datetime import timedelta

    window = timedelta(hours=hours)
    first = Post.objects.filter(author_id=OuterRef("pk"), status=Post.Status.VISIBLE).order_by("created", "pk")
    newcomers_first = (
        Member.objects.filter(date_joined__gte=joined_since)
        .annotate(first_post=Subquery(first.values("pk")[:1]))
        .filter(first_post__isnull=False)
        .values("first_post")
    )
    replied = Post.objects.filter(
        thread_id=OuterRef("thread_id"), status=Post.Status.VISIBLE, number__gt=OuterRef("number"),
        created__lte=OuterRef("created") + window,
    ).exclude(author_id=OuterRef("author_id"))
    return (
        Post.objects.filter(pk__in=newcomers_first, created__lt=now - window)
        .exclude(Exists(replied))
        .select_related("thread__group")
        .order_by("-created", "-pk")
    )


def open_questions(asked_before) -> QuerySet[Thread]:
    """Questions asked before `asked_before` with no visible reply from anyone but the asker, newest
    first (their opening post visible)."""
    replied = Post.objects.filter(thread_id=OuterRef("pk"), number__gt=1, status=Post.Status.VISIBLE).exclude(
        author_id=OuterRef("author_id")
    )
    return (
        Thread.objects.filter(kind=Thread.Kind.QUESTION, created__lt=asked_before)
        .exclude(Exists(replied))
        .filter(_opening_visible())
        .select_related("group", "author")
        .order_by("-created", "-pk")
    )


def _opening_visible() -> Q:
    return Q(Exists(Post.objects.filter(thread_id=OuterRef("pk"), number=1, status=Post.Status.VISIBLE)))


def posts_after(member_ids, since) -> dict[int, list]:
    """Times each member wrote a visible post since `since` (outreach outcomes)."""
    times: dict[int, list] = {}
    for author, at in Post.objects.filter(
        author_id__in=list(member_ids), status=Post.Status.VISIBLE, created__gte=since
    ).values_list("author_id", "created"):
        times.setdefault(author, []).append(at)
    return times


@dataclass(frozen=True)
class GroupPosting:
    """What was written in a group during a period (it changes only as the period grows)."""

    authors: frozenset[int]  # different members who posted
    posts: int
    threads_started: int
    threads_answered: int  # of those, with a reply from someone other than the starter


def group_posting(group_id: int, start, end) -> GroupPosting:
    """A group's posts and threads of [start, end): two queries."""
    by_author = dict(
        Post.objects.filter(thread__group_id=group_id, status=Post.Status.VISIBLE, created__gte=start, created__lt=end)
        .order_by().values("author_id").annotate(posts=Count("pk")).values_list("author_id", "posts")
    )
    replied = Post.objects.filter(
        thread_id=OuterRef("pk"), number__gt=1, status=Post.Status.VISIBLE, created__lt=end
    ).exclude(author_id=OuterRef("author_id"))
    threads = Thread.objects.filter(group_id=group_id, created__gte=start, created__lt=end).aggregate(
        started=Count("pk"), answered=Count("pk", filter=Q(Exists(replied)))
    )
    return GroupPosting(frozenset(by_author), sum(by_author.values()), threads["started"], threads["answered"])


@dataclass(frozen=True)
class GroupParticipation:
    members: int  # active and invited memberships
    active_members: int  # different members who posted in the period
    posts: int
    feedback_threads: int  # threads started in the period
    feedback_answered: int  # of those, with a reply from someone other than the starter
    members_contributed: int  # members of the group who posted in the period

    @property
    def contributed_share(self) -> float | None:
        return self.members_contributed / self.members if self.members else None


def group_participation(group_id: int, posting: GroupPosting) -> GroupParticipation:
    """A group's participation: what `posting` counted, against its members and invitees as they are
    now (one query)."""
    memberships = set(GroupMembership.objects.filter(
        group_id=group_id, status__in=[GroupMembership.Status.ACTIVE, GroupMembership.Status.INVITED]
    ).values_list("member_id", flat=True))
    return GroupParticipation(
        members=len(memberships), active_members=len(posting.authors), posts=posting.posts,
        feedback_threads=posting.threads_started, feedback_answered=posting.threads_answered,
        members_contributed=len(posting.authors & memberships),
    )


# --- per-day aggregates for the metrics app (GROUP BY day in the database, not rows in Python) ---


def posts_by_day(start, end, *, exclude: set[int] = frozenset()) -> list[tuple]:
    """(day, group id, posts, opening posts, opening posts of promotions) of the visible posts
    written in [start, end), without excluded authors."""
    from django.db.models.functions import TruncDate

    posts = Post.objects.filter(created__gte=start, created__lt=end, status=Post.Status.VISIBLE)
    if exclude:
        posts = posts.exclude(author_id__in=list(exclude))
    return list(
        posts.annotate(day=TruncDate("created"))
        .order_by()
        .values("day", "thread__group_id")
        .annotate(
            posts=Count("pk"),
            opening=Count("pk", filter=Q(number=1)),
            promotions=Count("pk", filter=Q(number=1, thread__kind=Thread.Kind.PROMOTION)),
        )
        .values_list("day", "thread__group_id", "posts", "opening", "promotions")
    )


def authors_by_day(start, end, *, exclude: set[int] = frozenset(), members=None) -> list[tuple[object, int]]:
    """Distinct (day, author id) of the visible posts written in [start, end) (by `members`, if given)."""
    from django.db.models.functions import TruncDate

    posts = Post.objects.filter(created__gte=start, created__lt=end, status=Post.Status.VISIBLE)
    if members is not None:
        posts = posts.filter(author_id__in=list(members))
    if exclude:
        posts = posts.exclude(author_id__in=list(exclude))
    return list(posts.annotate(day=TruncDate("created")).order_by().values_list("day", "author_id").distinct())


def reactions_by_day(start, end, *, exclude: set[int] = frozenset()) -> list[tuple[object, int, int]]:
    """(day, group id, reactions) of the reactions in [start, end)."""
    from django.db.models.functions import TruncDate

    reactions = Reaction.objects.filter(created__gte=start, created__lt=end)
    if exclude:
        reactions = reactions.exclude(member_id__in=list(exclude))
    return list(
        reactions.annotate(day=TruncDate("created"))
        .order_by()
        .values("day", "post__thread__group_id")
        .annotate(n=Count("pk"))
        .values_list("day", "post__thread__group_id", "n")
    )
