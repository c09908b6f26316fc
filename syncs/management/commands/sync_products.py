"""Run the products flow for one integration now: ``manage.py sync_products <integration id> [--full]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from integrations.models import Flow
from syncs.management.arguments import integration_id_type
from syncs.models import SyncRun

from .sync import EXIT_CODES_HELP, run_now_or_queue


def catalogue_report(run: SyncRun) -> str:
    return (
        f"{run.flow} run #{run.pk}: {run.status}; seen {run.records_seen}, created {run.records_created}, "
        f"updated {run.records_updated}, unchanged {run.records_skipped}, failed {run.records_failed}, "
        f"API requests {run.api_requests}."
        + (f" Error {run.error_code}: {run.error_message}" if run.error_code else "")
    )


class Command(BaseCommand):
    help = f"Sync BC items to the shop for one integration (changed items only unless --full). {EXIT_CODES_HELP}"
    flow = Flow.PRODUCTS

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=integration_id_type, help="The integration's id (a number).")
        parser.add_argument("--full", action="store_true", help="Ignore the cursor and digests: push everything.")
        parser.add_argument("--queue", action="store_true", help="Hand the run to a worker instead of running here.")

    def handle(self, *args, integration_id: int, full: bool, queue: bool, **options):
        parameters = {"full": True} if full else {}
        run_now_or_queue(
            command=self,
            integration_id=integration_id,
            flow=self.flow,
            parameters=parameters,
            queue=queue,
            report=catalogue_report,
        )
