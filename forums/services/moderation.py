"""Flags and what moderators do about them; every decision is logged with who and why."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member, Notification
from members.services import notify

from .. import events, selectors
from ..errors import ForumError
from ..models import Flag, ModerationAction, Participant, Post, Thread, TrustLevel
from .posting import participant_of, publish_post, render_body

REASON_MAX = 500


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ForumError("Say why: the reason is kept with the decision.", field="reason")
    if len(reason) > REASON_MAX:
        raise ForumError(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    return reason


def _log(*, moderator: Member, action: str, reason: str, post=None, thread=None, member=None) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator, action=action, reason=reason, post=post, thread=thread, member=member
    )


def _post_for_update(post_id: int) -> Post:
    return Post.objects.select_for_update().select_related("thread__group", "thread__author", "author").get(pk=post_id)


@transaction.atomic
def flag_post(*, member: Member, post: Post, reason: str) -> Flag:
    """Any reader flags a post for moderators, with a reason; once per post."""
    post = selectors.access_post(member, post.pk)
    reason = _reason(reason)
    if post.author_id == member.pk:
        raise ForumError("You cannot flag your own post; edit it instead.")
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, flagger=member, reason=reason)
    except IntegrityError:
        raise ForumError("You have already flagged this post; moderators will look at it.", status=409) from None


def _resolve_flags(post: Post) -> None:
    post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


@transaction.atomic
def hide_post(*, moderator: Member, post: Post, reason: str) -> Post:
    post = _post_for_update(post.pk)
    selectors.check_moderate_permission(moderator, post.thread.group)
    reason = _reason(reason)
    if post.status == Post.Status.HIDDEN:
        raise ForumError("This post is already hidden.", status=409)
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    _resolve_flags(post)
    _log(moderator=moderator, action=ModerationAction.Action.HIDE, reason=reason, post=post)
    notify(
        recipient=post.author,
        actor=moderator,
        text=f"A moderator hid your post in “{post.thread.title}”: {reason}",
        url=post.get_absolute_url(),
        kind=Notification.Kind.MODERATION,
    )
    events.post_changed(post)
    return post


@transaction.atomic
def restore_post(*, moderator: Member, post: Post, reason: str) -> Post:
    post = _post_for_update(post.pk)
    selectors.check_moderate_permission(moderator, post.thread.group)
    reason = _reason(reason)
    if post.status != Post.Status.HIDDEN:
        raise ForumError("Only a hidden post can be restored.")
    post.status = Post.Status.VISIBLE
    post.save(update_fields=["status"])
    _log(moderator=moderator, action=ModerationAction.Action.RESTORE, reason=reason, post=post)
    events.post_changed(post)
    return post


@transaction.atomic
def approve_post(*, moderator: Member, post: Post, reason: str = "Links checked") -> Post:
    """A held post (links from a new member, rule 10) goes live, with everything posting does."""
    post = _post_for_update(post.pk)
    selectors.check_moderate_permission(moderator, post.thread.group)
    if post.status != Post.Status.HELD:
        raise ForumError("This post is not waiting for review.")
    post.status = Post.Status.VISIBLE
    post.save(update_fields=["status"])
    approval = _log(moderator=moderator, action=ModerationAction.Action.APPROVE, reason=_reason(reason), post=post)
    post.thread = Thread.objects.select_for_update().select_related("group", "author").get(pk=post.thread_id)
    publish_post(post, mentioned=render_body(post.body).mentions, at=approval.created)
    return post


@transaction.atomic
def dismiss_flags(*, moderator: Member, post: Post, reason: str) -> Post:
    post = _post_for_update(post.pk)
    selectors.check_moderate_permission(moderator, post.thread.group)
    _resolve_flags(post)
    _log(moderator=moderator, action=ModerationAction.Action.DISMISS_FLAGS, reason=_reason(reason), post=post)
    return post


def _set_thread_flag(
    *, moderator: Member, thread: Thread, field: str, value: bool, reason: str, words: tuple
) -> Thread:
    """Lock or pin (`field`) a thread, logged; `words` name the states: ("locked", "open")."""
    thread = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    selectors.check_moderate_permission(moderator, thread.group)
    reason = _reason(reason)
    if getattr(thread, field) == value:
        raise ForumError(f"This thread is already {words[0] if value else words[1]}.", status=409)
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    actions = {"locked": (ModerationAction.Action.LOCK, ModerationAction.Action.UNLOCK),
               "pinned": (ModerationAction.Action.PIN, ModerationAction.Action.UNPIN)}[field]  # fmt: skip
    _log(moderator=moderator, action=actions[0] if value else actions[1], reason=reason, thread=thread)
    return thread


@transaction.atomic
def lock_thread(*, moderator: Member, thread: Thread, locked: bool, reason: str) -> Thread:
    return _set_thread_flag(
        moderator=moderator, thread=thread, field="locked", value=locked, reason=reason, words=("locked", "open")
    )


@transaction.atomic
def pin_thread(*, moderator: Member, thread: Thread, pinned: bool, reason: str) -> Thread:
    return _set_thread_flag(
        moderator=moderator, thread=thread, field="pinned", value=pinned, reason=reason, words=("pinned", "unpinned")
    )


@transaction.atomic
def suspend_member(*, moderator: Member, member: Member, days: int, reason: str) -> Participant:
    """Suspend from posting, reacting and voting for `days` (0 lifts a suspension)."""
    selectors.check_moderate_permission(moderator)
    reason = _reason(reason)
    if member.pk == moderator.pk:
        raise PermissionDenied("You cannot suspend yourself.")
    if selectors.is_moderator(member):
        raise PermissionDenied("Moderators and managers are not suspended here; change their role first.")
    if not 0 <= days <= 365:
        raise ForumError("Suspend for 1 to 365 days (0 lifts the suspension).", field="days")
    participant = participant_of(member)
    until = timezone.now() + timedelta(days=days) if days else None
    Participant.objects.filter(pk=participant.pk).update(suspended_until=until, suspension_reason=reason)
    participant.suspended_until, participant.suspension_reason = until, reason
    action = ModerationAction.Action.SUSPEND if days else ModerationAction.Action.UNSUSPEND
    _log(moderator=moderator, action=action, reason=reason, member=member)
    text = f"You are suspended from the forums for {days} days: {reason}" if days else "Your suspension was lifted"
    notify(recipient=member, actor=moderator, text=text, url="/forums/", kind=Notification.Kind.MODERATION)
    return participant


@transaction.atomic
def set_trust_level(*, actor: Member, member: Member, level: int, reason: str) -> Participant:
    """Managers grant a trust level (leader only this way); from then on activity does not change it."""
    if not actor.has_perm("forums.change_participant"):
        raise PermissionDenied("Only community managers grant trust levels.")
    if level not in TrustLevel.values:
        raise ForumError("Choose a trust level from 0 (new) to 4 (leader).", field="level")
    reason = _reason(reason)
    participant = participant_of(member)
    Participant.objects.filter(pk=participant.pk).update(trust_level=level, trust_granted=True)
    participant.trust_level, participant.trust_granted = level, True
    _log(moderator=actor, action=ModerationAction.Action.TRUST, reason=reason, member=member)
    return participant


@transaction.atomic
def import_trust_level(*, member: Member, level: int) -> Participant:
    """A trust level the member brings from before Mutua (the demo's founding members, a migration
    from another platform): their standing, not a decision anyone made here, so the moderation log
    does not record it. A manager's grant goes through `set_trust_level`, which logs it."""
    if level not in TrustLevel.values:
        raise ForumError("Choose a trust level from 0 (new) to 4 (leader).", field="level")
    participant = participant_of(member)
    Participant.objects.filter(pk=participant.pk).update(trust_level=level, trust_granted=True)
    participant.trust_level, participant.trust_granted = level, True
    return participant
