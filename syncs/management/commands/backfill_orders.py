"""Sync past orders: ``manage.py backfill_orders <integration id> --from 2026-01-01 [--to ...]``
or ``--orders 1001 1002``. The order exclusion date stays a hard cutoff."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Flow
from syncs.services.discovery import backfill_parameters

from .sync import run_now_or_queue


def _datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Backfill orders by creation date range or by order numbers (existing documents are linked, not copied)."

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=int)
        parser.add_argument("--from", dest="created_from", type=_datetime, default=None)
        parser.add_argument("--to", dest="created_to", type=_datetime, default=None)
        parser.add_argument("--orders", nargs="*", default=[])
        parser.add_argument("--queue", action="store_true")

    def handle(self, *args, integration_id: int, created_from, created_to, orders, queue: bool, **options):
        try:
            parameters = backfill_parameters(created_from=created_from, created_to=created_to, numbers=orders)
        except ValueError as exc:
            raise CommandError(str(exc))
        run_now_or_queue(
            command=self, integration_id=integration_id, flow=Flow.ORDERS, parameters=parameters, queue=queue
        )
