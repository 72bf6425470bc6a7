"""Background work of the metrics app, run through Django's task framework."""

from django.tasks import task

from . import rollups


@task
def rollup_metrics_task(*, rebuild: bool = False) -> int:
    """Recompute the recent days' rollups (the scheduler queues this every hour)."""
    return rollups.rollup_metrics(rebuild=rebuild)
