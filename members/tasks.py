"""Background work of the members app, through Django's task framework (enqueued after commit)."""

import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from community.mail import mail_member

from . import exports, mailing
from .models import DataExport

logger = logging.getLogger(__name__)


@task
def build_data_export_task(*, export_id: int) -> str:
    """Build the archive, then mail its link to whoever asked."""
    export = DataExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return "gone"  # the account was deleted meanwhile, or a retry found it built
    try:
        exports.build(export)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        raise
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + exports.download_path(export)
    expires = exports.link_expires_at(export)
    what = "the community's data" if export.scope == DataExport.Scope.COMMUNITY else "your data"
    mail_member(
        member=export.requested_by,
        subject="Your data is ready" if export.scope == DataExport.Scope.MEMBER else "The community export is ready",
        text=(
            f"Hello {export.requested_by.name},\n\nThe archive of {what} you asked for is ready. Download it "
            f"(signed in as @{export.requested_by.username}) until {expires:%d %B %Y, %H:%M} UTC:\n\n{link}\n\n"
            "The link works only for you. If you did not ask for it, sign in and change your password.\n\n— Mutua\n"
        ),
    )
    return "ready"


@task
def purge_expired_exports_task() -> int:
    return exports.purge_expired()


@task
def mail_notification(*, notification_id: int | None = None, give_id: int | None = None) -> bool:
    """Mail one notification (found by its id, or by its give's) if it is still news; queued after
    commit by `mailing.mail_on_commit`."""
    return mailing.send_immediately(notification_id=notification_id, give_id=give_id)
