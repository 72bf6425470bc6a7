"""The audit trail of privileged changes: written by the services that make them, never elsewhere."""

from ..models import AuditEntry, Member, Skill


def record_audit_entry(
    *,
    actor: Member | None,
    action: AuditEntry.Action,
    target: str,
    member: Member | None = None,
    skill: Skill | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Call inside the transaction of the change, so the entry stands or falls with it."""
    return AuditEntry.objects.create(
        actor=actor, action=action, target=target[:200], member=member, skill=skill, details=details or {}
    )


def describe_member(member: Member) -> str:
    return f"{member.name} (@{member.username})"
