"""Domain errors: each carries a message a person understands; views turn them into 4xx answers."""


class MemberError(Exception):
    """A rule refused the request: a 400 by default, or the `status` given (409 for a duplicate)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class InvalidAvatar(MemberError):
    pass


class InvalidSkill(MemberError):
    pass


class InvalidRole(MemberError):
    pass


class ReciprocityError(MemberError):
    """A give, endorsement or acknowledgement the rules do not allow."""


class FormulaThanks(ReciprocityError):
    """A thank-you that says nothing personal: the member is asked to say something specific."""


class StandardNote(ReciprocityError):
    """A connection note that is the platform's default text: the member is asked to make it personal."""
