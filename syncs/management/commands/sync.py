"""Run a flow for one integration now: ``manage.py sync <integration id> [--flow orders] [--queue]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Flow
from syncs.models import SyncRun
from syncs.services.dispatch import flow_enqueue
from syncs.services.runs import sync_run_create, sync_run_execute


def run_report(run: SyncRun) -> str:
    return (
        f"{run.flow} run #{run.pk}: {run.status}; seen {run.records_seen}, created {run.records_created}, "
        f"linked {run.records_updated}, skipped {run.records_skipped}, failed {run.records_failed}, "
        f"BC requests {run.api_requests}, BC operations {run.api_operations}."
        + (f" Error {run.error_code}: {run.error_message}" if run.error_code else "")
    )


def run_now_or_queue(*, command: BaseCommand, integration_id: int, flow: str, parameters: dict, queue: bool) -> None:
    trigger = SyncRun.Trigger.COMMAND
    if queue:
        run = flow_enqueue(integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters)
        command.stdout.write(f"Queued {flow} run #{run.pk}.")
        return
    run = sync_run_create(integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters)
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    command.stdout.write(run_report(run))


class Command(BaseCommand):
    help = "Sweep a flow (orders by default) for one integration: from the cursor, with overlap."

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=int)
        parser.add_argument("--flow", default=Flow.ORDERS, choices=Flow.values)
        parser.add_argument("--orders", nargs="*", default=[], help="Only these order numbers (e.g. 1001 1002).")
        parser.add_argument("--queue", action="store_true", help="Hand the run to a worker instead of running here.")

    def handle(self, *args, integration_id: int, flow: str, orders: list[str], queue: bool, **options):
        if orders and flow not in (Flow.ORDERS, Flow.REFUNDS):
            raise CommandError("--orders applies to the orders and refunds flows only.")
        parameters = {"order_numbers": orders} if orders else {}
        run_now_or_queue(command=self, integration_id=integration_id, flow=flow, parameters=parameters, queue=queue)
