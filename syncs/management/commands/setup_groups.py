"""Create or reset the support team's permission groups (safe to run on every deploy)."""

from django.core.management.base import BaseCommand

from syncs.services.support_groups import support_groups_setup


class Command(BaseCommand):
    help = 'Create or reset the "Support (read-only)" and "Support (operator)" groups. Idempotent.'

    def handle(self, *args, **options):
        for name, count in support_groups_setup().items():
            self.stdout.write(f"{name}: {count} permission(s)")
        self.stdout.write(self.style.SUCCESS("Support groups are up to date."))
