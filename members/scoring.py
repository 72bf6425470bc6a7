"""How much a give counts (rules 4 and 8): a genuine favour keeps full weight; a quick give-back,
an endorsement ring or an empty formula is weighted down and flagged. Reads the ledger; writes nothing."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection

from .models import Follow, Give, Member

QUICK_RETURN_WINDOW = timedelta(minutes=10)
FOLLOW_BACK_WINDOW = timedelta(minutes=10)
UNFOLLOW_CHURN_WINDOW = timedelta(days=7)
RING_WINDOW = timedelta(hours=24)
QUICK_RETURN_WEIGHT = 0.5
# Kinds where giving back within minutes is a trade, not a favour (rule 8); a reply, a reaction or an
# accepted answer soon after theirs is simply a conversation.
QUID_PRO_QUO_KINDS = {Give.Kind.ENDORSEMENT, Give.Kind.RECOMMENDATION, Give.Kind.SHARE}
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
    ring: list[int] = field(default_factory=list)  # the earlier endorsements of a ring this one closes
    owed_back: list[int] = field(default_factory=list)  # what the giver has not acknowledged from the receiver

    def mark(self, flag: str, weight: float) -> None:
        self.flags.append(flag)
        self.weight = min(self.weight, weight)


# What the ledger holds that bears on a new give from giver to receiver, in one read: what the
# receiver gave the giver lately (a quick return, the pair of a ring) or that the giver has not
# acknowledged yet (what this give returns). Plain SQL: on the path every give takes, the ORM spent
# several times longer building this query than the database spends running it.
_EXCHANGES_SQL = """
    SELECT id, giver_id, receiver_id, kind,
           CASE WHEN acknowledged_at IS NULL THEN 1 ELSE 0 END,
           CASE WHEN created >= %(quick_since)s THEN 1 ELSE 0 END,
           CASE WHEN created >= %(ring_since)s THEN 1 ELSE 0 END
    FROM {table}
    WHERE created <= %(at)s AND (
        (giver_id = %(receiver)s AND receiver_id = %(giver)s AND kind <> '{thanks}'
         AND (created >= %(since)s OR acknowledged_at IS NULL))
        {triangle}
    )
"""
# For an endorsement, also both edges of a triangle receiver→X→giver within the ring window.
_TRIANGLE_SQL = """
        OR (kind = '{endorsement}' AND created >= %(ring_since)s AND (
            (receiver_id = %(giver)s AND giver_id IN (
                SELECT receiver_id FROM {table} WHERE giver_id = %(receiver)s
                AND kind = '{endorsement}' AND created >= %(ring_since)s AND created <= %(at)s))
            OR (giver_id = %(receiver)s AND receiver_id IN (
                SELECT giver_id FROM {table} WHERE receiver_id = %(giver)s
                AND kind = '{endorsement}' AND created >= %(ring_since)s AND created <= %(at)s))))
"""
_NAMES = {"table": Give._meta.db_table, "thanks": Give.Kind.THANKS.value, "endorsement": Give.Kind.ENDORSEMENT.value}
_EXCHANGES = {
    False: _EXCHANGES_SQL.format(triangle="", **_NAMES),
    True: _EXCHANGES_SQL.format(triangle=_TRIANGLE_SQL.format(**_NAMES), **_NAMES),
}


def score_give(*, giver: Member, receiver: Member, kind: str, at: datetime, message: str = "") -> Score:
    """Score a give about to be recorded, from what the ledger already holds, in one read: a quick
    return (the receiver gave the giver something within minutes) and an endorsement ring
    (receiver→giver, or receiver→X→giver, within a day); and note what the giver still owes the
    receiver, which the give returns."""
    score = Score()
    if kind in (Give.Kind.THANKS, Give.Kind.REPLY) and is_formula(message):
        score.mark("formula", FORMULA_WEIGHT)  # says nothing, counts for little (rule 4)
    if kind == Give.Kind.THANKS:
        return score  # a thank-you answers a give: being quick is the point, and it returns nothing
    endorsing = kind == Give.Kind.ENDORSEMENT
    quick_since, ring_since = at - QUICK_RETURN_WINDOW, at - RING_WINDOW
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "giver": giver.pk,
        "receiver": receiver.pk,
        "at": adapt(at),
        "quick_since": adapt(quick_since),
        "ring_since": adapt(ring_since),
        "since": adapt(min(quick_since, ring_since) if endorsing else quick_since),
    }
    with connection.cursor() as cursor:
        cursor.execute(_EXCHANGES[endorsing], params)
        rows = cursor.fetchall()
    pair, triangle = [], []
    for pk, giver_id, receiver_id, row_kind, owed, quick, in_ring_window in rows:
        if (giver_id, receiver_id) == (receiver.pk, giver.pk):  # what the receiver gave the giver
            if owed:
                score.owed_back.append(pk)
            if quick and kind in QUID_PRO_QUO_KINDS and "quick_return" not in score.flags:
                score.mark("quick_return", QUICK_RETURN_WEIGHT)
            if endorsing and row_kind == Give.Kind.ENDORSEMENT and in_ring_window:
                pair.append(pk)
        else:  # an edge of a triangle (only asked for when endorsing)
            triangle.append(pk)
    if pair or triangle:
        score.ring = pair or triangle  # a pair is the ring; a triangle only when there is no pair
        score.mark("ring", RING_WEIGHT)
    return score


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
