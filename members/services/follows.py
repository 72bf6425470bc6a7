"""Following: a member follows another's activity. No obligation comes with it (rule 7), and the
forced kinds (follow-for-follow, unfollow-on-no-follow-back) are weighted down (rule 8)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..errors import ReciprocityError
from ..models import Follow, Member, Notification
from ..scoring import FOLLOW_FOR_FOLLOW_WEIGHT, UNFOLLOW_CHURN_WEIGHT, follow_answered, is_unfollow_churn
from .relations import notify

# Following again soon after unfollowing does not notify again: a toggle is not news.
FOLLOW_NOTICE_QUIET = timedelta(days=1)


@transaction.atomic
def follow(*, follower: Member, followed: Member, at=None) -> Follow:
    """Follow a member, not yourself and not twice (a constraint on live follows). A follow back
    within minutes is follow-for-follow: both follows are flagged and count less. The followed member
    is told."""
    if follower.pk == followed.pk:
        raise ReciprocityError("You cannot follow yourself.")
    now = at or timezone.now()
    answered = follow_answered(follower=follower, followed=followed, at=now)
    refollow = Follow.objects.filter(follower=follower, followed=followed, created__gte=now - FOLLOW_NOTICE_QUIET)
    quiet = refollow.exists()
    try:
        with transaction.atomic():
            new = Follow.objects.create(
                follower=follower,
                followed=followed,
                created=now,
                follow_for_follow=answered is not None,
                weight=FOLLOW_FOR_FOLLOW_WEIGHT if answered else 1.0,
            )
    except IntegrityError:
        raise ReciprocityError(f"You already follow {followed.name}.", status=409) from None
    if answered is not None and not answered.follow_for_follow:
        answered.follow_for_follow = True
        answered.weight = min(answered.weight, FOLLOW_FOR_FOLLOW_WEIGHT)
        answered.save(update_fields=["follow_for_follow", "weight"])
    if not quiet:
        notify(
            recipient=followed, actor=follower, text=f"{follower.name} followed you",
            url=follower.get_absolute_url(),
            kind=Notification.Kind.FOLLOW,
        )
    return new


@transaction.atomic
def unfollow(*, follower: Member, followed: Member, at=None) -> Follow:
    """Stop following. Nobody is told. Unfollowing within a week someone who did not follow back
    flags the follow as churn, which counts against the follower's own (private) figures."""
    current = (
        Follow.objects.select_for_update().filter(follower=follower, followed=followed, ended_at__isnull=True).first()
    )
    if current is None:
        raise ReciprocityError(f"You do not follow {followed.name}.")
    now = at or timezone.now()
    current.ended_at = max(now, current.created)
    if is_unfollow_churn(current, at=now):
        current.unfollow_churn = True
        current.weight = min(current.weight, UNFOLLOW_CHURN_WEIGHT)
    current.save(update_fields=["ended_at", "unfollow_churn", "weight"])
    return current
