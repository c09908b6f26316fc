"""Re-encrypt every secret at rest under the first key of FIELD_ENCRYPTION_KEYS."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from integrations.services.secrets import secrets_rotate

MAX_BATCH_SIZE = 100_000


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the newest key. Put the new key first in "
        "FIELD_ENCRYPTION_KEYS, keep the old ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help=f"Rows per transaction, 1 to {MAX_BATCH_SIZE} (default 500)."
        )

    def handle(self, *args, batch_size: int, **options):
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}.", returncode=2)
        try:
            report = secrets_rotate(batch_size=batch_size, progress=self.stdout.write)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc))
        for label, count in report.rotated.items():
            self.stdout.write(f"{label}: {count} value(s) re-encrypted")
        if report.failed:
            for item in report.failed:
                self.stderr.write(f"Not decryptable with any configured key: {item}")
            raise CommandError(
                f"{len(report.failed)} value(s) could not be decrypted with FIELD_ENCRYPTION_KEYS and were left "
                "unchanged. Add the key they were written with and run rotate_keys again."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {report.total} value(s) re-encrypted under the first key."))
