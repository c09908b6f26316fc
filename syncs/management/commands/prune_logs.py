"""Delete sync log entries older than the retention period."""

from django.core.management.base import BaseCommand, CommandError

from syncs.services.retention import sync_logs_prune

MAX_DAYS = 36500  # a century: beyond it the cut-off date does not exist
MAX_BATCH_SIZE = 100_000


class Command(BaseCommand):
    help = "Delete sync log entries older than --days (default 90), in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=90, help=f"Keep this many days of logs, 1 to {MAX_DAYS} (default 90)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help=f"Rows per delete, 1 to {MAX_BATCH_SIZE} (default 5000)."
        )

    def handle(self, *args, days: int, batch_size: int, **options):
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}.", returncode=2)
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}.", returncode=2)
        deleted = sync_logs_prune(days=days, batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Done: {deleted} log entries older than {days} days deleted."))
