"""Write docs/error-codes.md from the error catalogue (a test fails when the file drifts)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from syncs.errors.docs import error_codes_markdown


class Command(BaseCommand):
    help = "Regenerate docs/error-codes.md from the error-code catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "error-codes.md"),
            help="Where to write the reference (default: docs/error-codes.md).",
        )

    def handle(self, *args, output: str, **options):
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(error_codes_markdown(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
