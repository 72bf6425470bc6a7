from django.core.management.base import BaseCommand

from forums.services import synchronize_forums


class Command(BaseCommand):
    help = (
        "Rebuild the forums' running totals (groups, threads, reactions, votes, participants) and each "
        "thread's last activity, last poster and whether its author owes an answer, from their rows."
    )

    def handle(self, *args, **options):
        synchronize_forums()
        self.stdout.write(self.style.SUCCESS("Forum totals rebuilt."))
