from django.core.management.base import BaseCommand

from members.exports import purge_expired


class Command(BaseCommand):
    help = "Delete the data archives whose download link has expired (DATA_EXPORT_LINK_MAX_AGE)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired()} expired archive(s).")
