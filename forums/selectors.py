"""Reads of the forums and the permission checks that guard every forum write."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from members.activity import Activity
from members.models import Give, Member
from members.waiting import Waiting, WaitingSection

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


def check_post_permission(member: Member, thread: Thread) -> None:
    """Members of the group post; a locked thread takes no more posts, except from moderators."""
    check_read_group_permission(member, thread.group)
    if not member.is_authenticated:
        raise PermissionDenied("Sign in to post.")
    check_not_suspended(member)
    if thread.locked and not is_group_moderator(member, thread.group):
        raise PermissionDenied("This thread is locked: it takes no new posts.")
    if not is_active_member(member, thread.group):
        raise PermissionDenied(f"Join {thread.group.name} to post in it.")


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
    """The groups a member can see, with their own membership status: two queries, however many."""
    groups = visible_groups(member).select_related(None)
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
        "last_poster__username",
        "last_poster__display_name",
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
    posts = list(
        thread.posts.filter(number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author", "reply_to__author")
        .order_by("number")
    )
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
    return thread.posts.filter(number=number).first()


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


def activity_of(member: Member) -> Activity:
    """The member's questions (asks), posts and promotion threads, in one query."""
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
        posts = posts.filter(Q(body__icontains=query) | Q(number=1, thread__title__icontains=query))
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
