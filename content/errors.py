from community.errors import DomainError


class ContentError(DomainError):
    """A share, quote or submission the rules do not allow."""
