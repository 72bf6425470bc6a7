"""What waits for a member's answer beyond the gives on Pay it back (rule 3): questions, @mentions,
replies on their threads. Other apps provide it through the PAY_IT_BACK_SOURCES setting, so this
app never imports them."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

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


@cache
def _sources():
    return [import_string(path) for path in settings.PAY_IT_BACK_SOURCES]


def waiting_for(member: Member) -> list[WaitingSection]:
    """Every source's non-empty sections, in the order the sources give them."""
    return [section for source in _sources() for section in source(member) if section.items]
