from django.core.management.base import BaseCommand

from metrics import services


class Command(BaseCommand):
    help = "Mail the monthly and quarterly PDF reports that are due to their subscribers (once per period)."

    def handle(self, *args, **options):
        sent = services.send_scheduled_reports()
        self.stdout.write(self.style.SUCCESS(f"Scheduled reports: {sent} sent."))
