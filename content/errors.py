from members.errors import MemberError


class ContentError(MemberError):
    """A share, quote or submission the rules do not allow: a 400, or 409 for a duplicate."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message, field=field)
        if status is not None:
            self.status = status
