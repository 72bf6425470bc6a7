"""One way for the pages to say no: a service's `DomainError` becomes a message on the next page, or
an error on the form that is shown again. Views keep only what is their own (where to go next)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages

from .errors import DomainError


@dataclass
class Refusal:
    """What the block was refused with, if anything: `if refusal:` after the block."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        return self.error.status if self.error else 200


@contextmanager
def refusal_shown(request, *, level: int = messages.ERROR) -> Iterator[Refusal]:
    """A refused rule inside the block is shown as a message; the view goes on to its redirect."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        messages.add_message(request, level, error.message)
        refusal.error = error


@contextmanager
def refusal_on(form, *, field: str | None = None) -> Iterator[Refusal]:
    """A refused rule inside the block is added to `form`: on the field it names (`poll.question` is
    the form's `poll_question`), else on `field`, else to the whole form; the view renders it again."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        named = (error.field or "").replace(".", "_")
        form.add_error(named if named in form.fields else field, error.message)
        refusal.error = error
