"""Threads, posts, reactions, accepted answers, polls and read markers; each give through record_give."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from members.models import Give, MailKind, Member, Notification
from members.services import notify, record_give

from .. import events, markup, selectors
from ..errors import ForumError, RateLimited
from ..models import Flag, Group, Mention, Participant, Poll, PollOption, PollVote, Post, Reaction, Thread, ThreadRead
from ..trust import earned_level, limits_for

BODY_MAX = 20000
TITLE_MIN, TITLE_MAX = 5, 160


@dataclass
class PollSpec:
    question: str
    options: list[str]
    multiple: bool = False
    closes_at: datetime | None = None


def participant_of(member: Member) -> Participant:
    participant, _ = Participant.objects.select_related("member").get_or_create(member=member)
    return participant


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumError("Write something first.", field="body")
    if len(body) > BODY_MAX:
        raise ForumError(f"A post is at most {BODY_MAX:,} characters; this one has {len(body):,}.", field="body")
    return body


def render_body(body: str) -> markup.Rendered:
    """Render with links for the @handles that are active members (one query for all of them)."""
    handles = markup.mention_handles(body)
    members = {}
    if handles:
        query = Q()
        for handle in handles:
            query |= Q(username__iexact=handle)
        members = {
            handle.lower(): handle
            for handle in Member.objects.filter(query, is_active=True).values_list("username", flat=True)
        }
    return markup.render(body, members=members)


def _check_rate(*, author: Member, participant: Participant, rendered: markup.Rendered) -> None:
    limits = limits_for(participant)
    level = participant.get_trust_level_display()
    recent = Post.objects.filter(author=author, created__gte=timezone.now() - timedelta(hours=1)).count()
    if recent >= limits.posts_per_hour:
        raise RateLimited(
            f"You have posted {recent} times in the last hour, the most a {level} member may. "
            "Take a break and come back; the limit rises as you take part."
        )
    if len(rendered.mentions) > limits.mentions_per_post:
        raise RateLimited(
            f"A {level} member may mention up to {limits.mentions_per_post} people in one post.", field="body"
        )


def _write_post(*, author: Member, thread: Thread, body: str, reply_to: Post | None = None) -> Post:
    """Number and store a post under the thread's row lock; publish it unless it is held (rule 10)."""
    body = _clean_body(body)
    participant = participant_of(author)
    rendered = render_body(body)
    staff = selectors.is_moderator(author)  # moderators and managers are vetted already
    if not staff:
        _check_rate(author=author, participant=participant, rendered=rendered)
    thread = Thread.objects.select_for_update().select_related("group", "author").get(pk=thread.pk)
    held = rendered.links > 0 and limits_for(participant).links_held and not staff
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        number=thread.post_count + 1,
        body=body,
        html=rendered.html,
        reply_to=reply_to,
        status=Post.Status.HELD if held else Post.Status.VISIBLE,
        created=now,
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1)
    thread.post_count += 1
    post.thread = thread
    Participant.objects.filter(pk=participant.pk).update(post_count=F("post_count") + 1)
    participant.post_count += 1
    _update_trust(participant)
    if not held:
        publish_post(post, mentioned=rendered.mentions, at=now)
    post.unresolved_mentions = rendered.unresolved  # for the author's notice: these reached nobody
    return post


def _update_trust(participant: Participant) -> None:
    if participant.trust_granted:
        return
    level = earned_level(participant)
    if level > participant.trust_level:
        Participant.objects.filter(pk=participant.pk).update(trust_level=level)
        participant.trust_level = level


def publish_post(post: Post, *, mentioned: list[str], at: datetime) -> None:
    """What a visible post does: moves the thread on, answers what waited for its author, records the
    reply as a give, notifies mentions, and updates open pages after commit. `at` is when it went
    live: when it was written, or when a moderator approved it (what synchronize_forums rebuilds from)."""
    thread, author, now = post.thread, post.author, at
    is_author = author.pk == thread.author_id
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=now, last_poster=author, awaits_author=not is_author)
    thread.last_activity_at, thread.last_poster, thread.awaits_author = now, author, not is_author
    Group.objects.filter(pk=thread.group_id).update(post_count=F("post_count") + 1, last_activity_at=now)
    thread.group.post_count += 1
    # Posting in a thread answers the @mentions that brought you there (rule 3).
    Mention.objects.filter(member=author, post__thread=thread, answered_at__isnull=True).update(answered_at=now)
    if post.number > 1:
        receiver = post.reply_to.author if post.reply_to and post.reply_to.author_id != author.pk else thread.author
        if receiver.pk != author.pk:
            record_give(giver=author, receiver=receiver, kind=Give.Kind.REPLY, subject=post, message=post.body)
    _mention(post, mentioned)
    events.post_created(post)


def _mention(post: Post, handles: list[str]) -> None:
    """Notify the mentioned members who can read the thread; nobody learns of a private group's post."""
    if not handles:
        return
    thread = post.thread
    for member in Member.objects.filter(username__in=handles).exclude(pk=post.author_id):
        if not selectors.can_read_thread(member, thread):
            continue
        Mention.objects.get_or_create(post=post, member=member)
        notify(
            recipient=member,
            actor=post.author,
            text=f"{post.author.name} mentioned you in “{thread.title}”",
            url=post.get_absolute_url(),
            kind=Notification.Kind.MENTION,
            mail_kind=MailKind.REPLIES,
        )


def _check_promotion(*, author: Member, group: Group) -> None:
    """Rule 6: in each group, a member takes part in others' discussions before promoting."""
    need = group.contributions_before_promotion
    made = (
        Post.objects.filter(author=author, thread__group=group, status=Post.Status.VISIBLE)
        .exclude(thread__author=author)
        .count()
    )
    if made < need:
        raise ForumError(
            f"In {group.name}, members reply to {need} of others' threads before posting a promotion "
            f"(you have {made}). Join a few conversations first: that is how people get to know you.",
            field="kind",
        )


@transaction.atomic
def start_thread(
    *,
    author: Member,
    group: Group,
    title: str,
    body: str,
    kind: str = Thread.Kind.DISCUSSION,
    poll: PollSpec | None = None,
) -> Thread:
    selectors.check_read_group_permission(author, group)
    selectors.check_not_suspended(author)
    if not selectors.is_active_member(author, group):
        raise PermissionDenied(f"Join {group.name} to start a thread in it.")
    title = (title or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ForumError(f"A title is {TITLE_MIN} to {TITLE_MAX} characters.", field="title")
    if kind not in Thread.Kind.values:
        raise ForumError("Choose discussion, question or promotion.", field="kind")
    if kind == Thread.Kind.PROMOTION:
        _check_promotion(author=author, group=group)
    _clean_body(body)
    now = timezone.now()  # a thread whose opening post is held was last active when it was started
    thread = Thread.objects.create(
        group=group, author=author, title=title, kind=kind, created=now, last_activity_at=now, last_poster=author
    )
    Group.objects.filter(pk=group.pk).update(thread_count=F("thread_count") + 1)
    group.thread_count += 1
    thread.group = group
    if poll is not None:
        _create_poll(thread, poll)
    opening = _write_post(author=author, thread=thread, body=body)
    thread.refresh_from_db()
    thread.unresolved_mentions = opening.unresolved_mentions
    return thread


def _create_poll(thread: Thread, spec: PollSpec) -> Poll:
    question = spec.question.strip()
    options = [option.strip() for option in spec.options if option.strip()]
    if not 3 <= len(question) <= 200:
        raise ForumError("A poll question is 3 to 200 characters.", field="poll.question")
    if not 2 <= len(options) <= 10 or len(set(o.lower() for o in options)) != len(options):
        raise ForumError("A poll has 2 to 10 different options, one per line.", field="poll.options")
    if any(len(option) > 120 for option in options):
        raise ForumError("Each option is at most 120 characters.", field="poll.options")
    if spec.closes_at is not None and spec.closes_at <= timezone.now():
        raise ForumError("The closing date must be in the future.", field="poll.closes_at")
    poll = Poll.objects.create(thread=thread, question=question, multiple=spec.multiple, closes_at=spec.closes_at)
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, text=text, position=position) for position, text in enumerate(options, start=1)]
    )
    return poll


@transaction.atomic
def reply(*, author: Member, thread: Thread, body: str, reply_to: Post | None = None) -> Post:
    selectors.check_post_permission(author, thread)
    if reply_to is not None and (reply_to.thread_id != thread.pk or not reply_to.is_visible):
        raise ForumError("You can only reply to a visible post in this thread.", field="reply_to")
    return _write_post(author=author, thread=thread, body=body, reply_to=reply_to)


@transaction.atomic
def edit_post(*, editor: Member, post: Post, body: str) -> Post:
    """Edit with the earlier text kept as a revision. A link added by a member whose links are held
    sends the post back to review (rule 10)."""
    post = Post.objects.select_for_update().select_related("thread__group", "thread__author", "author").get(pk=post.pk)
    selectors.check_edit_permission(editor, post)
    if post.status == Post.Status.HIDDEN:
        raise ForumError("A moderator hid this post; it cannot be edited.")
    body = _clean_body(body)
    if body == post.body:
        post.unresolved_mentions = []
        return post
    rendered = render_body(body)
    post.revisions.create(body=post.body, edited_by=editor)
    post.body, post.html, post.edited_at = body, rendered.html, timezone.now()
    fields = ["body", "html", "edited_at"]
    if rendered.links and post.is_visible and editor.pk == post.author_id:
        if limits_for(participant_of(post.author)).links_held:
            post.status = Post.Status.HELD
            fields.append("status")
    post.save(update_fields=fields)
    post.unresolved_mentions = rendered.unresolved
    if post.is_visible:
        already = set(post.mentions.values_list("member__username", flat=True))
        _mention(post, [handle for handle in rendered.mentions if handle not in already])
        events.post_changed(post)
    return post


@transaction.atomic
def react(*, member: Member, post: Post, kind: str) -> Reaction:
    """Like, helpful or insightful: one of each per member and post, a give to the author."""
    post = selectors.access_post(member, post.pk)
    selectors.check_not_suspended(member)
    if kind not in Reaction.Kind.values:
        raise ForumError("React with like, helpful or insightful.", field="kind")
    if not post.is_visible:
        raise ForumError("This post is not visible, so it cannot take reactions.")
    if post.author_id == member.pk:
        raise ForumError("You cannot react to your own post.")
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(post=post, member=member, kind=kind)
    except IntegrityError:
        label = Reaction.Kind(kind).label.lower()
        raise ForumError(f"You have already marked this post {label}.", status=409) from None
    counter = f"{kind}_count"
    Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
    setattr(post, counter, getattr(post, counter) + 1)
    Participant.objects.get_or_create(member=post.author)
    Participant.objects.filter(member=post.author).update(reactions_received=F("reactions_received") + 1)
    record_give(giver=member, receiver=post.author, kind=Give.Kind.REACTION, subject=reaction)
    events.reactions_changed(post)
    return reaction


@transaction.atomic
def accept_answer(*, member: Member, post: Post) -> Thread:
    """The asker (or a moderator) accepts an answer: a give to the one who answered."""
    post = selectors.access_post(member, post.pk)
    thread = Thread.objects.select_for_update().select_related("group", "author").get(pk=post.thread_id)
    if thread.kind != Thread.Kind.QUESTION:
        raise ForumError("Only a question has an accepted answer.")
    moderator = selectors.is_group_moderator(member, thread.group)
    selectors.check_accept_permission(member, thread, moderator=moderator)
    flagged = Flag.objects.filter(post=post, resolved_at__isnull=True).exists()
    refusal = selectors.acceptance_refusal(thread, post, flagged=flagged, moderator=moderator)
    if refusal is not None:
        raise refusal
    previous_id = thread.accepted_answer_id
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer"])
    post.thread = thread
    accepted_before = Give.objects.filter(
        kind=Give.Kind.ACCEPTED_ANSWER,
        receiver=post.author,
        subject_type=ContentType.objects.get_for_model(Post),
        subject_id=post.pk,
    )
    if not accepted_before.exists():
        record_give(giver=thread.author, receiver=post.author, kind=Give.Kind.ACCEPTED_ANSWER, subject=post)
    events.post_changed(post)
    # Open pages still show the badge on the answer accepted before: send it again without it.
    if previous_id is not None:
        previous = Post.objects.select_related("author", "reply_to__author").filter(pk=previous_id).first()
        if previous is not None and previous.is_visible:
            previous.thread = thread
            events.post_changed(previous)
    return thread


@transaction.atomic
def vote(*, member: Member, poll: Poll, option_ids: list[int]) -> list[PollVote]:
    """Members of the group vote: one vote per single-choice poll, one per option on a multiple-choice
    poll (a constraint)."""
    poll = Poll.objects.select_for_update().select_related("thread__group").get(pk=poll.pk)
    selectors.check_vote_permission(member, poll.thread)
    if poll.is_closed:
        raise ForumError("This poll has closed.")
    options = list(poll.options.filter(pk__in=option_ids))
    if not options or len(options) != len(set(option_ids)):
        raise ForumError("Choose one of the poll's options.", field="options")
    if not poll.multiple and len(options) > 1:
        raise ForumError("This poll takes one choice.", field="options")
    if PollVote.objects.filter(poll=poll, member=member).exists():
        raise ForumError("You have already voted in this poll.", status=409)
    try:
        with transaction.atomic():
            votes = PollVote.objects.bulk_create(
                [
                    PollVote(poll=poll, option=option, member=member, slot=option.position if poll.multiple else 0)
                    for option in options
                ]
            )
    except IntegrityError:
        raise ForumError("You have already voted in this poll.", status=409) from None
    PollOption.objects.filter(pk__in=[option.pk for option in options]).update(vote_count=F("vote_count") + 1)
    events.poll_voted(poll)
    return votes


def mark_read(*, member: Member, thread: Thread, number: int) -> None:
    """Remember the furthest post the member has seen; never moves backwards."""
    if not member.is_authenticated:
        return
    number = min(number, thread.post_count)
    read = ThreadRead.objects.filter(member=member, thread=thread)
    if read.filter(last_read_number__gte=number).exists():
        return  # nothing new: a page view writes nothing
    updated = read.update(last_read_number=Greatest("last_read_number", number))
    if not updated:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(member=member, thread=thread, last_read_number=number)
        except IntegrityError:  # another tab got there first
            ThreadRead.objects.filter(member=member, thread=thread).update(
                last_read_number=Greatest("last_read_number", number)
            )
