"""What each app knows about one member, for their archive and for deleting their account.

Members is the lowest app: it cannot import forums or content. So it offers this small registry,
and each app above fills it in its `AppConfig.ready()` with its own selectors (what goes into
"Download my data") and its own eraser (what a deleted account takes with it). The arrows of the
code stay the arrows of the design, and members works without the apps above it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Rows = Iterable[dict]


@dataclass(frozen=True)
class ArchivePart:
    """One file of the archive: `<kind>.json`, a list of the rows `rows(member)` yields (plain
    JSON-ready dicts; dates are written as ISO 8601). Rows are read lazily, one at a time."""

    kind: str
    rows: Callable[..., Rows]
    description: str


_parts: dict[str, ArchivePart] = {}
_erasers: dict[str, Callable[..., None]] = {}


def register_archive_part(kind: str, rows: Callable[..., Rows], *, description: str) -> None:
    """Add `<kind>.json` to every member's archive. Registering a kind twice replaces it (ready()
    may run more than once in tests)."""
    _parts[kind] = ArchivePart(kind=kind, rows=rows, description=description)


def register_eraser(name: str, erase: Callable[..., None]) -> None:
    """`erase(member=…)` runs inside the deletion's transaction, before the account is anonymised:
    it removes what is personal and keeps every running total of other members right."""
    _erasers[name] = erase


def archive_parts() -> list[ArchivePart]:
    return list(_parts.values())


def erasers() -> list[Callable[..., None]]:
    return list(_erasers.values())
