from django.core.management.base import BaseCommand

from members.services import synchronize_reciprocity


class Command(BaseCommand):
    help = "Rebuild every member's give totals and Pay-it-back count from the ledger."

    def handle(self, *args, **options):
        changed = synchronize_reciprocity()
        self.stdout.write(self.style.SUCCESS(f"Reciprocity totals rebuilt: {changed} member(s) corrected."))
