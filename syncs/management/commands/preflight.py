"""Run the Business Central health check for one or all integrations; exit code 1 on any failure."""

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Integration
from syncs.management.arguments import EXIT_RUN_FAILED, EXIT_USAGE, integration_id_type, integration_require
from syncs.models import PreflightRun
from syncs.preflight.services import preflight_run


class Command(BaseCommand):
    help = (
        "Run preflight checks for an integration (or --all) and print the results. "
        "Exit codes: 0 passed (warnings allowed), 1 a check failed, 2 wrong usage or no such integration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "integration_id", nargs="?", type=integration_id_type, help="The integration's id (a number)."
        )
        parser.add_argument("--all", action="store_true", help="Every integration that is not disabled.")

    def handle(self, *args, integration_id=None, all=False, **options):  # noqa: A002
        if all == (integration_id is not None):
            raise CommandError("Give one integration id or --all.", returncode=EXIT_USAGE)
        if all:
            stopped = (Integration.Status.DISABLED, Integration.Status.ARCHIVED)
            active = Integration.objects.exclude(status__in=stopped).order_by("pk")
            ids = list(active.values_list("pk", flat=True))
        else:
            ids = [integration_require(integration_id).pk]
        failed = 0
        for pk in ids:
            run = preflight_run(integration_id=pk, trigger=PreflightRun.Trigger.COMMAND)
            failed += run.status == PreflightRun.Status.FAILED
            self._print(run)
        if failed:
            raise CommandError(f"{failed} of {len(ids)} preflight run(s) failed.", returncode=EXIT_RUN_FAILED)

    def _print(self, run: PreflightRun) -> None:
        self.stdout.write(f"\n{run.integration} - preflight #{run.pk}: {run.get_status_display()}")
        rows = list(run.results.all())
        width = max((len(r.check_name) for r in rows), default=10)
        style = {"pass": self.style.SUCCESS, "warn": self.style.WARNING, "fail": self.style.ERROR}
        for r in rows:
            status = style[r.status](r.status.upper().ljust(4))
            code = f" [{r.error_code}]" if r.error_code else ""
            self.stdout.write(f"  {r.check_name.ljust(width)}  {status}  {r.message}{code}")
