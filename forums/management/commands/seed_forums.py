from django.core.management.base import BaseCommand

from forums.demo import seed_forums
from members.mailing import muted


class Command(BaseCommand):
    help = "Create the demo forums (once; run seed_demo first)."

    def handle(self, *args, **options):
        with muted():  # a seeded community mails nobody
            added = seed_forums()
        self.stdout.write(self.style.SUCCESS(f"Demo forums ready: {added} threads added."))
