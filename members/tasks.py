"""Background work of the members app, run through Django's task framework."""

from django.tasks import task

from . import mailing


@task
def mail_notification(*, notification_id: int | None = None, give_id: int | None = None) -> bool:
    """Mail one notification (found by its id, or by its give's) if it is still news; queued after
    commit by `mailing.mail_on_commit`."""
    return mailing.send_immediately(notification_id=notification_id, give_id=give_id)
