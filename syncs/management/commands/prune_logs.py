"""Delete sync log entries older than the retention period."""

from django.core.management.base import BaseCommand, CommandError

from syncs.services.retention import sync_logs_prune


class Command(BaseCommand):
    help = "Delete sync log entries older than --days (default 90), in batches."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Keep this many days of logs (default 90).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per delete (default 5000).")

    def handle(self, *args, days: int, batch_size: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.", returncode=2)
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.", returncode=2)
        deleted = sync_logs_prune(days=days, batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Done: {deleted} log entries older than {days} days deleted."))
