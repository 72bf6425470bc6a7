"""Trust levels (rule 10): what each level may do, and what activity earns it. Reads only."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .models import Participant, TrustLevel


@dataclass(frozen=True)
class Limits:
    posts_per_hour: int
    mentions_per_post: int
    links_held: bool  # links in this member's posts wait for a moderator (rule 10)


LIMITS = {
    TrustLevel.NEW: Limits(posts_per_hour=10, mentions_per_post=2, links_held=True),
    TrustLevel.BASIC: Limits(posts_per_hour=30, mentions_per_post=5, links_held=False),
    TrustLevel.MEMBER: Limits(posts_per_hour=60, mentions_per_post=10, links_held=False),
    TrustLevel.REGULAR: Limits(posts_per_hour=120, mentions_per_post=20, links_held=False),
    TrustLevel.LEADER: Limits(posts_per_hour=240, mentions_per_post=30, links_held=False),
}


@dataclass(frozen=True)
class Requirement:
    posts: int
    reactions_received: int
    days: int


# What activity earns each level; leader is only ever granted by a manager.
EARNED = [
    (TrustLevel.REGULAR, Requirement(posts=100, reactions_received=50, days=60)),
    (TrustLevel.MEMBER, Requirement(posts=20, reactions_received=5, days=14)),
    (TrustLevel.BASIC, Requirement(posts=3, reactions_received=0, days=1)),
]


def earned_level(participant: Participant) -> TrustLevel:
    age = timezone.now() - participant.member.date_joined
    for level, need in EARNED:
        if (
            participant.post_count >= need.posts
            and participant.reactions_received >= need.reactions_received
            and age >= timedelta(days=need.days)
        ):
            return level
    return TrustLevel.NEW


def limits_for(participant: Participant) -> Limits:
    return LIMITS[TrustLevel(participant.trust_level)]
