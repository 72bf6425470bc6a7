"""Background work of the metrics app, run through Django's task framework."""

from django.tasks import task

from . import rollups, services


@task
def rollup_metrics_task(*, rebuild: bool = False) -> int:
    """Recompute the recent days' rollups (the scheduler queues this every hour)."""
    return rollups.rollup_metrics(rebuild=rebuild)


@task
def send_scheduled_reports_task() -> int:
    """Mail the monthly and quarterly reports that are due."""
    return services.send_scheduled_reports()
