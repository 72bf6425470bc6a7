"""How much a give counts (rules 4 and 8): a genuine favour keeps full weight; a quick give-back,
an endorsement ring or an empty formula is weighted down and flagged. Reads the ledger; writes nothing."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .models import Follow, Give, Member

QUICK_RETURN_WINDOW = timedelta(minutes=10)
FOLLOW_BACK_WINDOW = timedelta(minutes=10)
UNFOLLOW_CHURN_WINDOW = timedelta(days=7)
RING_WINDOW = timedelta(hours=24)
QUICK_RETURN_WEIGHT = 0.5
RING_WEIGHT = 0.25
FORMULA_WEIGHT = 0.2
FOLLOW_FOR_FOLLOW_WEIGHT = 0.5
UNFOLLOW_CHURN_WEIGHT = 0.1

# Formulas that say nothing about what the member actually did (rule 4).
_FORMULAS = {
    "thanks",
    "thank you",
    "thanks a lot",
    "thank you so much",
    "thx",
    "ty",
    "cheers",
    "great post",
    "nice post",
    "great",
    "nice",
    "awesome",
    "cool",
    "+1",
    "great job",
    "well done",
    "good post",
    "thanks for sharing",
    "great stuff",
    "love it",
    "nice one",
    "agreed",
    "this",
    "same",
}


def is_formula(message: str) -> bool:
    """True for a thank-you or reply with nothing personal in it ("great post!", "thanks!!")."""
    words = re.sub(r"[^\w\s+]", " ", message.lower()).split()
    return not words or " ".join(words) in _FORMULAS


@dataclass
class Score:
    weight: float = 1.0
    flags: list[str] = field(default_factory=list)

    def mark(self, flag: str, weight: float) -> None:
        self.flags.append(flag)
        self.weight = min(self.weight, weight)


def score_give(*, giver: Member, receiver: Member, kind: str, at: datetime, message: str = "") -> Score:
    """Score a give about to be recorded, from what the ledger already holds."""
    score = Score()
    if kind == Give.Kind.THANKS:
        if is_formula(message):
            score.mark("formula", FORMULA_WEIGHT)
        return score  # a thank-you answers a give: being quick is the point
    if (
        Give.objects.filter(giver=receiver, receiver=giver, created__gte=at - QUICK_RETURN_WINDOW, created__lte=at)
        .exclude(kind=Give.Kind.THANKS)
        .exists()
    ):
        score.mark("quick_return", QUICK_RETURN_WEIGHT)
    if kind == Give.Kind.ENDORSEMENT and ring_partners(giver=giver, receiver=receiver, at=at):
        score.mark("ring", RING_WEIGHT)
    return score


def ring_partners(*, giver: Member, receiver: Member, at: datetime) -> list[int]:
    """The give ids of an endorsement cycle this endorsement would close: receiver→giver (a pair),
    or receiver→X→giver (a triangle), all within the ring window."""
    recent = Give.objects.filter(kind=Give.Kind.ENDORSEMENT, created__gte=at - RING_WINDOW, created__lte=at)
    pair = list(recent.filter(giver=receiver, receiver=giver).values_list("pk", flat=True))
    if pair:
        return pair
    middle = recent.filter(giver=receiver).exclude(receiver=giver).values("receiver")
    closing = list(recent.filter(giver__in=middle, receiver=giver).values_list("pk", "giver"))
    if not closing:
        return []
    first = recent.filter(giver=receiver, receiver__in=[g for _, g in closing]).values_list("pk", flat=True)
    return [pk for pk, _ in closing] + list(first)


def follow_answered(*, follower: Member, followed: Member, at: datetime) -> Follow | None:
    """The live follow that a follow by `follower` would answer within minutes (follow-for-follow)."""
    return Follow.objects.filter(
        follower=followed,
        followed=follower,
        ended_at__isnull=True,
        created__gte=at - FOLLOW_BACK_WINDOW,
        created__lte=at,
    ).first()


def is_unfollow_churn(follow: Follow, *, at: datetime) -> bool:
    """Unfollowing, soon after following, someone who did not follow back (unfollow-on-no-follow-back)."""
    if at - follow.created > UNFOLLOW_CHURN_WINDOW:
        return False
    return not Follow.objects.filter(
        follower_id=follow.followed_id, followed_id=follow.follower_id, ended_at__isnull=True
    ).exists()


# The texts platforms fill in for you (rule 9): sent unchanged, they say nothing about why.
_STANDARD_NOTES = {
    "i d like to add you to my professional network",
    "i would like to add you to my professional network",
    "i d like to connect",
    "let s connect",
    "please accept my invitation",
    "please accept my invitation to connect",
    "hi i d like to join your network",
    "add me",
    "connect with me",
}
PERSONAL_NOTE_MIN_WORDS = 4


def is_standard_note(note: str) -> bool:
    """True for a connection or introduction note that is a platform default or too short to be personal."""
    words = re.sub(r"[^\w\s]", " ", note.lower()).split()
    return len(words) < PERSONAL_NOTE_MIN_WORDS or " ".join(words) in _STANDARD_NOTES
