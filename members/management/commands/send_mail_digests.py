from django.core.management.base import BaseCommand

from members.mailing import send_digests


class Command(BaseCommand):
    help = (
        "Mail the daily and weekly notification digests that are due (at MAIL_DIGEST_HOUR, the weekly "
        "one on MAIL_DIGEST_WEEKDAY); each member gets each digest once per period, so it is safe to run "
        "every minute."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        if sent:
            self.stdout.write(f"Mailed {sent} digest{'s' if sent != 1 else ''}.")
