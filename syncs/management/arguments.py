"""What the project's commands share: argument types, the integration look-up and exit codes.

Exit codes (docs/operations.md): 0 done; 1 a run failed or partly failed (cron sees it);
2 the command was used wrongly (bad argument, unknown integration).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable

from django.core.management.base import CommandError

from integrations.models import Integration
from syncs.models import SyncRun
from syncs.services.discovery import order_numbers_validate

EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
MAX_ID = 2**63 - 1
FAILED_STATUSES = (SyncRun.Status.FAILED, SyncRun.Status.PARTIAL)


def integration_id_type(value: str) -> int:
    """argparse type: a positive 64-bit id, digits only."""
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integration id (a positive whole number).")
    return int(value)


def date_type(value: str) -> dt.datetime:
    """argparse type: an ISO date or date-time; without a zone it is UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def integration_require(integration_id: int) -> Integration:
    """The integration, or exit 2 with "No integration N." (never a database traceback)."""
    integration = Integration.objects.filter(pk=integration_id).first() if integration_id <= MAX_ID else None
    if integration is None:
        raise CommandError(f"No integration {integration_id}.", returncode=EXIT_USAGE)
    return integration


def order_numbers_require(numbers: Iterable[str]) -> list[str]:
    """Order numbers as given, or exit 2 naming the ones that are not order numbers."""
    try:
        return order_numbers_validate(numbers)
    except ValueError as error:
        raise CommandError(str(error), returncode=EXIT_USAGE) from None


def runs_exit(runs: Iterable[SyncRun]) -> None:
    """Exit 1 with a one-line summary when any run failed or partly failed."""
    runs = list(runs)
    bad = [run for run in runs if run.status in FAILED_STATUSES]
    if not bad:
        return
    parts = [
        f"{run.flow} run #{run.pk} {run.get_status_display().lower()}"
        + (f" ({run.error_code})" if run.error_code else f" ({run.records_failed} failed)")
        for run in bad
    ]
    raise CommandError(
        f"{len(bad)} of {len(runs)} run(s) did not succeed: {'; '.join(parts)}.", returncode=EXIT_RUN_FAILED
    )
