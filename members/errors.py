"""The members' domain errors: each carries a message a person understands and its status."""

from community.errors import DomainError


class MemberError(DomainError):
    """A profile, skill, role or reciprocity rule refused the request."""


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
