"""Write the vega-embed bundle (Vega, Vega-Lite and vega-embed, from the vl-convert-python package)
to a static file. Generated at build time, never committed: `make run`, the Dockerfile and the
browser tests run this before serving."""

from pathlib import Path

from django.core.management.base import BaseCommand

BUNDLE = Path(__file__).resolve().parents[2] / "static" / "metrics" / "vendor" / "vega-embed.js"


class Command(BaseCommand):
    help = "Write metrics/static/metrics/vendor/vega-embed.js from vl-convert-python (skipped when present)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Write it again even if it is there.")

    def handle(self, *args, force=False, **options):
        if BUNDLE.exists() and not force:
            self.stdout.write(f"Chart bundle present: {BUNDLE}")
            return
        import vl_convert

        BUNDLE.parent.mkdir(parents=True, exist_ok=True)
        BUNDLE.write_text(vl_convert.javascript_bundle(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Chart bundle written: {BUNDLE} ({BUNDLE.stat().st_size // 1024} KB)"))
