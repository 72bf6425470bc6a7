"""Forum rules that refuse a request, each with a message a person understands."""

from community.errors import DomainError


class ForumError(DomainError):
    """Posting, joining, voting or moderating the rules do not allow."""


class RateLimited(ForumError):
    """Too much too fast for the member's trust level: a 429."""

    status = 429
