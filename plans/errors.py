"""The plans' domain errors, each with a message a person understands."""

from community.errors import DomainError


class PlanError(DomainError):
    """A plan, objective, initiative, check-in or outreach the rules do not allow."""


class FormulaOutreach(PlanError):
    """An outreach message that could go to anyone (rule 9): the manager is asked to make it personal."""
