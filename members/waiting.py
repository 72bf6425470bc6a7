"""What waits for a member's answer beyond the gives on Pay it back (rule 3): questions, @mentions,
replies on their threads. The apps above members register their sources from their
`AppConfig.ready()` (forums: `register_waiting_source(pay_it_back_sections)`), so this app never
imports them and works without them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import Member


@dataclass(frozen=True)
class Waiting:
    who: Member | None  # the person waiting for the answer
    text: str  # what waits, as the member reads it: "mentioned you in “Onboarding”"
    url: str
    since: datetime


@dataclass(frozen=True)
class WaitingSection:
    title: str
    items: list[Waiting]


WaitingSource = Callable[[Member], list[WaitingSection]]

_sources: list[WaitingSource] = []


def register_waiting_source(source: WaitingSource) -> None:
    """Add what an app above members knows waits for a member's answer. Registering a source
    again keeps it once (ready() may run more than once in tests)."""
    if source not in _sources:
        _sources.append(source)


def waiting_for(member: Member) -> list[WaitingSection]:
    """Every source's non-empty sections, in the order the sources were registered."""
    return [section for source in _sources for section in source(member) if section.items]
