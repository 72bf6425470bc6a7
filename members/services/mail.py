"""E-mail preferences: a member chooses, per kind, immediately, a daily or weekly digest, or never."""

from django.db import transaction

from ..errors import MemberError
from ..mailing import PREFERENCE_FIELDS, read_unsubscribe_token, turned_off_by
from ..models import MailFrequency, MailKind, Member


@transaction.atomic
def set_mail_preferences(*, member: Member, preferences: dict[str, str]) -> Member:
    """Change any of the member's preferences ({kind: frequency}); unknown kinds or frequencies
    are refused whole."""
    for kind, frequency in preferences.items():
        if kind not in MailKind.values:
            raise MemberError(f"There is no kind of e-mail called {kind!r}.", field=str(kind))
        if frequency not in MailFrequency.values:
            raise MemberError("Choose immediately, daily, weekly or never.", field=kind)
    changed = [PREFERENCE_FIELDS[kind] for kind in preferences]
    for kind, frequency in preferences.items():
        setattr(member, PREFERENCE_FIELDS[kind], frequency)
    if changed:
        member.save(update_fields=changed)
    return member


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Member, list[str]]:
    """Turn off what a signed unsubscribe link names (a kind, or every kind of a digest), without
    signing in; returns the member and the kinds now set to never."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise MemberError("This unsubscribe link is not valid. Change your e-mail settings after signing in.", status=400)
    member, what = found
    kinds = turned_off_by(member, what)
    set_mail_preferences(member=member, preferences={kind: MailFrequency.NEVER for kind in kinds})
    return member, kinds
