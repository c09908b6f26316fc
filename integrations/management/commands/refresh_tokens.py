"""Refresh Business Central sign-ins that expire soon or were not used for a week.

Refresh tokens die after 90 idle days; the hourly schedule runs the same service.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from integrations.services.bc_auth import bc_tokens_refresh_all


class Command(BaseCommand):
    help = "Refresh Business Central tokens that are about to expire or have been idle for a week."

    def handle(self, *args, **options):
        summary = bc_tokens_refresh_all()
        self.stdout.write(self.style.SUCCESS(f"Refreshed {summary.refreshed}, skipped {summary.skipped} (not due)."))
        for connection_id, code in summary.failed:
            self.stdout.write(self.style.WARNING(f"Connection {connection_id}: {code} (merchant asked to reconnect)"))
        if summary.failed:
            # Non-zero exit so cron notices; the merchants were already e-mailed.
            raise CommandError(f"{len(summary.failed)} connection(s) need the merchant to sign in again.")
