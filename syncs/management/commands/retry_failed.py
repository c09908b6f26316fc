"""Retry failed records: ``manage.py retry_failed <integration id> [--flow orders] [--queue]``.

Failed links go back to pending and one retry run per flow picks them up; a retried order is
looked up in BC before anything is created, so it creates its document once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from integrations.models import Flow
from syncs.management.arguments import integration_id_type, integration_require, runs_exit
from syncs.models import SyncRun
from syncs.services.dispatch import records_retry_failed
from syncs.services.runs import sync_run_execute

from .sync import EXIT_CODES_HELP, run_report


class Command(BaseCommand):
    help = f"Retry every failed record of an integration (optionally of one flow). {EXIT_CODES_HELP}"

    def add_arguments(self, parser):
        parser.add_argument("integration_id", type=integration_id_type, help="The integration's id (a number).")
        parser.add_argument("--flow", choices=Flow.values, default=None, help="Only this flow's failed records.")
        parser.add_argument("--queue", action="store_true", help="Leave the runs to the workers.")

    def handle(self, *args, integration_id: int, flow: str | None, queue: bool, **options):
        integration_require(integration_id)
        runs = records_retry_failed(integration_id=integration_id, flow=flow)
        if not runs:
            self.stdout.write("Nothing to retry.")
            return
        finished = []
        for run in runs:
            if not queue:
                # Eager task settings may already have run it; execute skips a run that is not queued.
                sync_run_execute(run_id=run.pk)
            run = SyncRun.objects.get(pk=run.pk)
            finished.append(run)
            self.stdout.write(run_report(run) if not queue else f"Queued {run.flow} retry run #{run.pk}.")
        if not queue:
            runs_exit(finished)
