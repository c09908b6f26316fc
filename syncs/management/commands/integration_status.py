"""A table of every integration: status, BC company, last run per flow, failed records."""

import re

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Flow, Integration
from syncs.services.status_report import integration_status_report

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class Command(BaseCommand):
    help = "Show each integration's status, BC environment/company, last run per flow and failed record count."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="", help="Only this tenant (slug).")
        parser.add_argument("--status", default="", help=f"Only this status ({', '.join(Integration.Status.values)}).")

    def handle(self, *args, tenant: str, status: str, **options):
        if status and status not in Integration.Status.values:
            raise CommandError(
                f"Unknown status {status!r}; use one of {', '.join(Integration.Status.values)}.", returncode=2
            )
        if tenant and not SLUG.fullmatch(tenant):
            raise CommandError(f"Not a tenant slug: {tenant!r} (letters, digits, - and _).", returncode=2)
        rows = integration_status_report(tenant_slug=tenant, status=status)
        if not rows:
            self.stdout.write("No integrations match.")
            return
        header = ["id", "integration", "tenant", "status", "live", "BC environment", "BC company"]
        header += [*Flow.values, "failed records"]
        table = [header]
        for row in rows:
            runs = [
                f"{run.status} {run.created_at:%Y-%m-%d %H:%M}" if (run := row.last_runs[flow]) else "-"
                for flow in Flow.values
            ]
            table.append(
                [
                    str(row.integration_id),
                    row.name,
                    row.tenant,
                    row.status,
                    "yes" if row.live_mode else "no",
                    row.bc_environment or "-",
                    row.bc_company or "-",
                    *runs,
                    str(row.failed_records),
                ]
            )
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        for number, line in enumerate(table):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
