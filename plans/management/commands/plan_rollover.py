"""Day 80: the plan's owner is told to prepare the next plan; after day 90: the plan closes into its
review. The scheduler runs this beside publish_scheduled; running it again changes nothing."""

from datetime import date

from django.core.management.base import BaseCommand

from plans.services import run_rollover


class Command(BaseCommand):
    help = "Remind owners on a plan's 80th day and close plans whose 90 days are over."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD instead of today (tests, catch-up).")

    def handle(self, *args, today=None, **options):
        result = run_rollover(today=today)
        self.stdout.write(f"Plans: {result['reminded']} owners reminded, {result['closed']} plans closed.")
