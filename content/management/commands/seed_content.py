from django.core.management.base import BaseCommand

from content.demo import seed_content
from members.mailing import muted


class Command(BaseCommand):
    help = "Publish the demo content (once; run seed_demo and seed_forums first)."

    def handle(self, *args, **options):
        with muted():  # a seeded community mails nobody
            added = seed_content()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {added} pages added."))
