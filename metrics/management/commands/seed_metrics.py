"""The metrics part of the demo: default business needs and value model, then every rollup."""

from django.core.management.base import BaseCommand

from metrics import rollups, services


class Command(BaseCommand):
    help = "Create the default business needs and value model (when none exist) and rebuild the rollups."

    def handle(self, *args, **options):
        needs = services.ensure_default_needs()
        services.ensure_value_model()
        visits = services.seed_visits()
        written = rollups.rollup_metrics(rebuild=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Metrics ready: {needs} business needs and {visits} visits added, {written} daily rows."
            )
        )
