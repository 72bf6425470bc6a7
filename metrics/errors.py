"""The metrics app's domain error: a request a report cannot answer, with a message a person understands."""

from members.errors import MemberError


class MetricsError(MemberError):
    """A bad period, date or granularity: a 400 with the reason."""
