"""The plans part of the demo (after seed_metrics: the plans read the rollups)."""

from django.core.management.base import BaseCommand

from plans.demo import seed_plans


class Command(BaseCommand):
    help = "Create a closed 90-day plan with its review and the next one in its 60th day (when no plan exists)."

    def handle(self, *args, **options):
        created = seed_plans()
        self.stdout.write(self.style.SUCCESS(f"Plans ready: {created} plans created."))
