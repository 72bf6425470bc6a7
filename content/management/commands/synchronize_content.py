from django.core.management.base import BaseCommand

from content.services import synchronize_content


class Command(BaseCommand):
    help = "Rebuild the content's running totals (each article's, digest's and guest post's share count) from their rows."

    def handle(self, *args, **options):
        synchronize_content()
        self.stdout.write(self.style.SUCCESS("Content totals rebuilt."))
