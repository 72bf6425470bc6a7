from django.core.management.base import BaseCommand

from forums.demo import seed_forums


class Command(BaseCommand):
    help = "Create the demo forums (once; run seed_demo first)."

    def handle(self, *args, **options):
        added = seed_forums()
        self.stdout.write(self.style.SUCCESS(f"Demo forums ready: {added} threads added."))
