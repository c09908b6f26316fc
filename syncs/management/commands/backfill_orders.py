"""Sync past orders: ``manage.py backfill_orders <integration id> --from 2026-01-01 [--to ...]``
or ``--orders 1001 1002``. The order exclusion date stays a hard cutoff."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Flow
from syncs.management.arguments import EXIT_USAGE, date_type, integration_id_type, integration_require
from syncs.services.discovery import backfill_parameters

from .sync import EXIT_CODES_HELP, run_now_or_queue


class Command(BaseCommand):
    help = (
        "Backfill orders by creation date range or by order numbers (existing documents are linked, not copied). "
        + EXIT_CODES_HELP
    )

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=integration_id_type, help="The integration's id (a number).")
        parser.add_argument(
            "--from",
            dest="created_from",
            type=date_type,
            default=None,
            help="Orders created at or after this date (YYYY-MM-DD or ISO date-time; UTC without a zone).",
        )
        parser.add_argument(
            "--to",
            dest="created_to",
            type=date_type,
            default=None,
            help="Orders created before this date (after --from; default: now).",
        )
        parser.add_argument(
            "--orders", nargs="*", default=[], help="Or these shop order numbers, e.g. 1001 '#1002' (instead of dates)."
        )
        parser.add_argument("--queue", action="store_true", help="Hand the run to a worker instead of running here.")

    def handle(self, *args, integration_id: int, created_from, created_to, orders, queue: bool, **options):
        integration_require(integration_id)
        try:
            parameters = backfill_parameters(created_from=created_from, created_to=created_to, numbers=orders)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from None
        run_now_or_queue(
            command=self, integration_id=integration_id, flow=Flow.ORDERS, parameters=parameters, queue=queue
        )
