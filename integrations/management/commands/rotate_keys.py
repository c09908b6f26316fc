"""Re-encrypt every secret at rest under the first key of FIELD_ENCRYPTION_KEYS."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from integrations.services.secrets import secrets_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the newest key. Put the new key first in "
        "FIELD_ENCRYPTION_KEYS, keep the old ones after it, run this, then remove the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.", returncode=2)
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
