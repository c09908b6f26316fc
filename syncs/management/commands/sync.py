"""Run a flow for one integration now: ``manage.py sync <integration id> [--flow orders] [--queue]``.

Exit codes: 0 done, 1 the run failed or partly failed, 2 wrong usage (e.g. no such integration).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Flow
from syncs.management.arguments import (
    EXIT_USAGE,
    integration_id_type,
    integration_require,
    order_numbers_require,
    runs_exit,
)
from syncs.models import SyncRun
from syncs.services.dispatch import flow_enqueue
from syncs.services.runs import sync_run_create, sync_run_execute

EXIT_CODES_HELP = "Exit codes: 0 done, 1 the run failed or partly failed, 2 wrong usage or no such integration."


def run_report(run: SyncRun) -> str:
    return (
        f"{run.flow} run #{run.pk}: {run.status}; seen {run.records_seen}, created {run.records_created}, "
        f"linked {run.records_updated}, skipped {run.records_skipped}, failed {run.records_failed}, "
        f"BC requests {run.api_requests}, BC operations {run.api_operations}."
        + (f" Error {run.error_code}: {run.error_message}" if run.error_code else "")
    )


def run_now_or_queue(
    *, command: BaseCommand, integration_id: int, flow: str, parameters: dict, queue: bool, report=run_report
) -> SyncRun:
    """Queue the run, or run it here, print its report and exit 1 when it failed or partly failed."""
    integration_require(integration_id)
    trigger = SyncRun.Trigger.COMMAND
    if queue:
        run = flow_enqueue(integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters)
        command.stdout.write(f"Queued {flow} run #{run.pk}.")
        return run
    run = sync_run_create(integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters)
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    command.stdout.write(report(run))
    runs_exit([run])
    return run


class Command(BaseCommand):
    help = f"Sweep a flow (orders by default) for one integration: from the cursor, with overlap. {EXIT_CODES_HELP}"

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=integration_id_type, help="The integration's id (a number).")
        parser.add_argument(
            "--flow", default=Flow.ORDERS, choices=Flow.values, help="The flow to run (default: orders)."
        )
        parser.add_argument(
            "--orders",
            nargs="*",
            default=[],
            help="Only these shop order numbers, e.g. 1001 '#1002' (orders and refunds flows).",
        )
        parser.add_argument("--queue", action="store_true", help="Hand the run to a worker instead of running here.")

    def handle(self, *args, integration_id: int, flow: str, orders: list[str], queue: bool, **options):
        if orders and flow not in (Flow.ORDERS, Flow.REFUNDS):
            raise CommandError("--orders applies to the orders and refunds flows only.", returncode=EXIT_USAGE)
        orders = order_numbers_require(orders)
        parameters = {"order_numbers": orders} if orders else {}
        run_now_or_queue(command=self, integration_id=integration_id, flow=flow, parameters=parameters, queue=queue)
