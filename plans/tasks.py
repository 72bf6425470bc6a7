"""Background work of the plans app, run through Django's task framework."""

from django.tasks import task


@task
def send_outreach_mail(*, contact_id: int) -> bool:
    """E-mail one outreach message (queued after the contact's transaction commits)."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import OutreachContact

    contact = OutreachContact.objects.select_related("member", "sender").filter(pk=contact_id).first()
    if contact is None or not contact.member.is_active or not contact.member.email:
        return False
    body = (
        f"Hello {contact.member.name},\n\n{contact.message}\n\n— {contact.sender.name}, {contact.sender.email}\n\n"
        f"Reply in the community: {settings.WAGTAILADMIN_BASE_URL}/notifications/\n"
    )
    send_mail(f"{contact.sender.name} wrote to you on Mutua", body, None, [contact.member.email])
    return True


@task
def plan_rollover_task() -> dict:
    """Day-80 reminders and day-90 closes (the scheduler runs `manage.py plan_rollover`)."""
    from .services import run_rollover

    return run_rollover()
