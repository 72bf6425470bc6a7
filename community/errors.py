"""The one domain error: a rule refused the request, with a message a person understands.

Every app's errors subclass it (members ← forums ← content); the API answers it through
`community.api_errors.exception_handler` and the pages through `community.refusals`."""


class DomainError(Exception):
    """A refused rule: a 400 by default, or the `status` given (409 for a duplicate, 429 for too
    much too fast). `field` names the input it concerns; a dotted field (`poll.question`) is nested
    in the API's answer and flattened (`poll_question`) for a page's form."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
