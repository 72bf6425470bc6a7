from members.errors import MemberError


class ContentError(MemberError):
    """A share, quote or submission the rules do not allow."""
