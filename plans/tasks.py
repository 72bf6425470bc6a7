"""Background work of the plans app, run through Django's task framework."""

from django.tasks import task


@task
def plan_rollover_task() -> dict:
    """Day-80 reminders and day-90 closes (the scheduler runs `manage.py plan_rollover`)."""
    from .services import run_rollover

    return run_rollover()
