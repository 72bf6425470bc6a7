"""Domain errors: each carries a message a person understands; views turn them into 4xx answers."""


class MemberError(Exception):
    """A rule of the members domain refused the request."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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
