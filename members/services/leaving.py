"""Taking one's data out and leaving: data exports, deactivation (reversible) and deletion.

Deleting an account keeps the conversation whole. The member's row stays, anonymised: every post,
thread, reaction, vote and give keeps pointing at it, so nothing of anyone else's is deleted and no
running total changes (a give made to or by a former member still counts on the other side, as it
did). What is personal goes: the e-mail address and every profile field, the avatar file, skills
and interests, sessions, API tokens, notifications, connections and follows, group memberships,
archives, and the name in others' notifications. The apps above members erase their own part
(members.personal_data). Pages show the row as "Former member", without a profile."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Left, Replace
from django.utils import timezone

from ..errors import MemberError
from ..models import FORMER_MEMBER, AuditEntry, Connection, DataExport, Follow, Introduction, Member
from ..models import MemberSkill, Notification
from ..personal_data import erasers
from .audit import record_audit_entry

# One archive in preparation at a time; a request stuck longer than this may be made again.
EXPORT_RETRY_AFTER = timezone.timedelta(hours=1)
# Account-side models other apps keep about a member (addresses, tokens, second factors, the CMS
# profile): deleted.
_ACCOUNT_APPS = {"account", "authtoken", "mfa", "socialaccount", "usersessions", "wagtailusers"}


class LeavingError(MemberError):
    pass


def check_password(member: Member, password: str) -> None:
    """Leaving and taking data out are confirmed with the password, whoever holds the session."""
    if not password or not member.check_password(password):
        raise LeavingError("That is not your password.", field="password", status=403)


def check_export_community_permission(actor: Member) -> None:
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied("Only administrators export the community's data.")


@transaction.atomic
def request_data_export(*, member: Member, scope: str = DataExport.Scope.MEMBER) -> DataExport:
    """Queue the archive's build after commit; the member is mailed a link when it is ready."""
    from ..tasks import build_data_export_task

    if scope == DataExport.Scope.COMMUNITY:
        check_export_community_permission(member)
    elif scope != DataExport.Scope.MEMBER:
        raise LeavingError("Choose what to export: your data or the community's.", field="scope")
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one request at a time
    pending = DataExport.objects.filter(
        requested_by=member, scope=scope, status=DataExport.Status.PENDING, created__gt=timezone.now() - EXPORT_RETRY_AFTER
    )
    if pending.exists():
        raise LeavingError("Your archive is already being prepared: we will e-mail you when it is ready.", status=409)
    export = DataExport.objects.create(requested_by=member, scope=scope)
    if scope == DataExport.Scope.COMMUNITY:
        record_audit_entry(actor=member, action=AuditEntry.Action.DATA_EXPORTED, target="every table of the community")
    transaction.on_commit(lambda: build_data_export_task.enqueue(export_id=export.pk))
    return export


def _check_may_close(actor: Member, member: Member, password: str | None) -> None:
    if member.is_former:
        raise LeavingError("This account has already been deleted.", status=409)
    if actor.pk == member.pk:
        check_password(member, password or "")
    elif not (actor.is_active and actor.is_superuser):
        raise PermissionDenied("Only administrators close someone else's account.")


def _end_sessions(member: Member) -> None:
    """Sign the member out everywhere: their API tokens and, with database sessions, every session
    (an inactive account's session no longer authenticates anyway; these rows are deleted too)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=member).delete()
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    key = str(member.pk)
    theirs = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000)
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(session_key__in=theirs).delete()


@transaction.atomic
def deactivate_member(*, actor: Member, member: Member, password: str | None = None) -> Member:
    """Hide the account: off the directory, search and lists, and signed out everywhere; signing in
    again offers to come back (`reactivate_member`). Nothing is deleted."""
    _check_may_close(actor, member, password)
    if member.deactivated_at is not None:
        raise LeavingError("This account is already deactivated.", status=409)
    member.is_active, member.deactivated_at = False, timezone.now()
    member.save(update_fields=["is_active", "deactivated_at"])
    _end_sessions(member)
    record_audit_entry(
        actor=actor,
        action=AuditEntry.Action.MEMBER_DEACTIVATED,
        member=member,
        target=f"@{member.username}",
        details={"by": "themselves" if actor.pk == member.pk else "an administrator"},
    )
    return member


@transaction.atomic
def reactivate_member(*, member: Member) -> Member:
    """A member who deactivated their own account comes back (their password proved who they are).
    An account an administrator made inactive stays so."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_former or member.deactivated_at is None:
        raise LeavingError("This account cannot be reactivated here; ask an administrator.", status=403)
    member.is_active, member.deactivated_at = True, None
    member.save(update_fields=["is_active", "deactivated_at"])
    record_audit_entry(
        actor=member, action=AuditEntry.Action.MEMBER_REACTIVATED, member=member, target=f"@{member.username}"
    )
    return member


def is_self_deactivated(member: Member) -> bool:
    return not member.is_active and member.deactivated_at is not None and not member.is_former


@transaction.atomic
def delete_member(*, actor: Member, member: Member, password: str | None = None) -> Member:
    """Delete the account and keep the conversation: see the module's docstring. One transaction,
    audited; the administrators' delete in the Django admin comes here too."""
    _check_may_close(actor, member, password)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_superuser and not Member.objects.filter(is_superuser=True, is_active=True).exclude(pk=member.pk).exists():
        raise LeavingError("The last administrator cannot leave: make someone else an administrator first.", status=409)
    was = {"by": "themselves" if actor.pk == member.pk else "an administrator"}
    name = member.name

    for erase in erasers():  # the apps above members: groups, guest-post biographies, subscriptions…
        erase(member=member)
    _erase_relations(member, name=name)
    _erase_account(member)
    _anonymise(member)
    record_audit_entry(
        actor=None if actor.pk == member.pk else actor,
        action=AuditEntry.Action.MEMBER_DELETED,
        member=member,
        target=f"member #{member.pk}",  # not the name: it is what was erased
        details=was,
    )
    return member


def _erase_relations(member: Member, *, name: str) -> None:
    Notification.objects.filter(recipient=member).delete()
    # Others keep their notifications about what the member did, without the name.
    if name:
        anonymous = Replace("text", Value(name), Value(f"A {FORMER_MEMBER.lower()}"))
        Notification.objects.filter(actor=member).update(text=Left(anonymous, 300))  # the column's length
    Connection.objects.filter(Q(requester=member) | Q(addressee=member)).delete()
    Follow.objects.filter(Q(follower=member) | Q(followed=member)).delete()
    # An introduction they have not answered cannot connect anyone to them any more.
    Introduction.objects.filter(first=member, first_answer="").update(first_answer=Introduction.Answer.DECLINED)
    Introduction.objects.filter(second=member, second_answer="").update(second_answer=Introduction.Answer.DECLINED)
    MemberSkill.objects.filter(member=member).delete()
    member.interests.clear()


def _erase_account(member: Member) -> None:
    from ..exports import delete_file

    for export in DataExport.objects.filter(requested_by=member):
        delete_file(export)
    DataExport.objects.filter(requested_by=member).delete()
    _end_sessions(member)
    for relation in Member._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label in _ACCOUNT_APPS and relation.field.many_to_one | relation.field.one_to_one:
            model._base_manager.filter(**{relation.field.name: member}).delete()


def _anonymise(member: Member) -> None:
    if member.avatar:
        member.avatar.delete(save=False)
    for field in (
        "display_name", "headline", "organisation", "job_title", "location", "bio", "website",
        "linkedin_url", "github_url", "mastodon_url", "first_name", "last_name",
    ):  # fmt: skip
        setattr(member, field, "")
    member.username = f"former-{member.pk}"
    member.email = f"former-{member.pk}@deleted.invalid"  # .invalid: reserved, never delivered
    member.set_unusable_password()
    member.is_active = member.is_staff = member.is_superuser = False
    member.search_document = None
    member.last_login = None
    member.deleted_at = timezone.now()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
