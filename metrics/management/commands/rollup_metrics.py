from datetime import date

from django.core.management.base import BaseCommand, CommandError

from metrics import rollups


class Command(BaseCommand):
    help = "Recompute the daily metric rollups: the last few days, from a date (--since) or everything (--rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Recompute every day from this date (YYYY-MM-DD) to today.")
        parser.add_argument("--rebuild", action="store_true", help="Recompute every day since the first member joined.")

    def handle(self, *args, since=None, rebuild=False, **options):
        if since and rebuild:
            raise CommandError("Give --since or --rebuild, not both.")
        try:
            since_day = date.fromisoformat(since) if since else None
        except ValueError:
            raise CommandError(f"--since takes a date as YYYY-MM-DD, not “{since}”.") from None
        written = rollups.rollup_metrics(since=since_day, rebuild=rebuild)
        self.stdout.write(self.style.SUCCESS(f"Metrics rolled up: {written} daily rows written."))
