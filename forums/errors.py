"""Forum rules that refuse a request, each with a message a person understands."""

from members.errors import MemberError


class ForumError(MemberError):
    """Posting, joining, voting or moderating the rules do not allow: a 400, or 409 for a duplicate."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message, field=field)
        if status is not None:
            self.status = status


class RateLimited(ForumError):
    """Too much too fast for the member's trust level: a 429."""

    status = 429
