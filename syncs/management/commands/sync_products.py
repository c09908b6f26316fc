"""Run the products flow for one integration now: ``manage.py sync_products <integration id> [--full]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from integrations.models import Flow
from syncs.models import SyncRun
from syncs.services.dispatch import flow_enqueue
from syncs.services.runs import sync_run_create, sync_run_execute


class Command(BaseCommand):
    help = "Sync BC items to the shop for one integration (changed items only unless --full)."
    flow = Flow.PRODUCTS

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=int)
        parser.add_argument("--full", action="store_true", help="Ignore the cursor and digests: push everything.")
        parser.add_argument("--queue", action="store_true", help="Hand the run to a worker instead of running here.")

    def handle(self, *args, integration_id: int, full: bool, queue: bool, **options):
        parameters = {"full": True} if full else {}
        trigger = SyncRun.Trigger.COMMAND
        if queue:
            run = flow_enqueue(integration_id=integration_id, flow=self.flow, trigger=trigger, parameters=parameters)
            self.stdout.write(f"Queued {self.flow} run #{run.pk}.")
            return
        run = sync_run_create(integration_id=integration_id, flow=self.flow, trigger=trigger, parameters=parameters)
        sync_run_execute(run_id=run.pk)
        run.refresh_from_db()
        self.stdout.write(
            f"{self.flow} run #{run.pk}: {run.status}; seen {run.records_seen}, created {run.records_created}, "
            f"updated {run.records_updated}, unchanged {run.records_skipped}, failed {run.records_failed}, "
            f"API requests {run.api_requests}."
            + (f" Error {run.error_code}: {run.error_message}" if run.error_code else "")
        )
