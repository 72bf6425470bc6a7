from pathlib import Path

from django.core.management.base import BaseCommand

from community.export import export_community


class Command(BaseCommand):
    help = (
        "Write every table of the community as CSV into DIR, with manifest.json (columns, row counts, "
        "what is left out: password hashes, sessions, tokens…)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write the files (created if need be).")

    def handle(self, *args, directory: Path, **options):
        manifest = export_community(directory)
        rows = sum(table.rows for table in manifest.tables)
        self.stdout.write(f"Exported {len(manifest.tables)} tables ({rows} rows) into {directory}.")
        self.stdout.write("Not exported: " + "; ".join(manifest.not_exported) + ".")
