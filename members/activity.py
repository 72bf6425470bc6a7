"""What a member asks of the community and how much of what they post promotes themselves (rule 5).
The apps above members add their part from their `AppConfig.ready()` (forums:
`register_activity_source(...)`), so this app never imports them and works without them."""

from collections.abc import Callable
from dataclasses import dataclass, fields

from .models import Connection, Member

PROMOTION_GUIDE = 20  # per cent: about 80 % engaging with others, 20 % promoting oneself


@dataclass(frozen=True)
class Activity:
    asks: int = 0  # questions asked, connections requested
    posts: int = 0  # what the member wrote
    promotions: int = 0  # of those, own promotion

    def __add__(self, other: "Activity") -> "Activity":
        return Activity(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def promotion_share(self) -> int | None:
        return round(100 * self.promotions / self.posts) if self.posts else None

    @property
    def promotes_too_much(self) -> bool:
        return self.promotion_share is not None and self.promotion_share > PROMOTION_GUIDE


ActivitySource = Callable[[Member], Activity]

_sources: list[ActivitySource] = []


def register_activity_source(source: ActivitySource) -> None:
    """Add an app's count of a member's asks, posts and promotions. Registering a source again
    keeps it once (ready() may run more than once in tests)."""
    if source not in _sources:
        _sources.append(source)


def activity_of(member: Member) -> Activity:
    own = Activity(asks=Connection.objects.filter(requester=member).count())
    return sum((source(member) for source in _sources), own)
