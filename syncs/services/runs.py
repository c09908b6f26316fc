"""SyncRun lifecycle and the run log: the bookkeeping every flow shares.

Status writes use ``.filter(pk=).update()`` so a worker never overwrites fields it did not change
(a concurrently stored task id, for one).
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from django.conf import settings
from django.utils import timezone, translation

from integrations.models import Flow, Integration
from syncs.clients import ClientFactory, client_factory_default
from syncs.errors.classify import ClassifiedError, classify_exception
from syncs.flows import flow_handler_get
from syncs.models import RecordLink, SyncLogEntry, SyncRun
from syncs.services.locks import FlowLeaseLost, FlowLocked, flow_lock

logger = logging.getLogger(__name__)

# Codes from the catalogue (syncs/errors). A skipped run is not an error: it carries no code.
ERROR_UNEXPECTED = "SYS-001"


class RunCounts(TypedDict):
    """A run's counters, as sync_run_finish takes them."""

    records_seen: int
    records_created: int
    records_updated: int
    records_skipped: int
    records_failed: int
    api_requests: int
    api_operations: int


# Triggers that still run while an integration is paused: a person asked for them explicitly.
EXPLICIT_TRIGGERS = {SyncRun.Trigger.MANUAL, SyncRun.Trigger.RETRY, SyncRun.Trigger.COMMAND}
_LOG_LEVELS: dict[str, int] = {SyncLogEntry.Level.INFO: logging.INFO, SyncLogEntry.Level.WARNING: logging.WARNING}
_MAX_ERROR_MESSAGE = 2000


def sync_run_create(
    *, integration_id: int, flow: str, trigger: str, parameters: dict[str, Any] | None = None
) -> SyncRun:
    if flow not in Flow.values:
        raise ValueError(f"Unknown flow {flow!r}; expected one of {', '.join(Flow.values)}.")
    return SyncRun.objects.create(
        integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters or {}
    )


def sync_run_start(*, run_id: int) -> bool:
    """Queued -> running. False when the run is not queued (a redelivered task, say)."""
    return bool(
        SyncRun.objects.filter(pk=run_id, status=SyncRun.Status.QUEUED).update(
            status=SyncRun.Status.RUNNING, started_at=timezone.now()
        )
    )


def sync_run_finish(
    *,
    run_id: int,
    status: str,
    error_code: str = "",
    error_message: str = "",
    records_seen: int | None = None,
    records_created: int | None = None,
    records_updated: int | None = None,
    records_skipped: int | None = None,
    records_failed: int | None = None,
    api_requests: int | None = None,
    api_operations: int | None = None,
) -> None:
    """Record the outcome. Counts left as None keep their stored value."""
    counts = {
        "records_seen": records_seen,
        "records_created": records_created,
        "records_updated": records_updated,
        "records_skipped": records_skipped,
        "records_failed": records_failed,
        "api_requests": api_requests,
        "api_operations": api_operations,
    }
    SyncRun.objects.filter(pk=run_id).update(
        status=status,
        finished_at=timezone.now(),
        error_code=error_code,
        error_message=error_message[:_MAX_ERROR_MESSAGE],
        **{name: value for name, value in counts.items() if value is not None},
    )


def sync_log(
    *,
    run: SyncRun | None = None,
    integration_id: int,
    flow: str,
    level: str,
    message: str,
    error_code: str = "",
    record_link: RecordLink | None = None,
    details: dict[str, Any] | None = None,
) -> SyncLogEntry:
    entry = SyncLogEntry.objects.create(
        run=run,
        integration_id=integration_id,
        flow=flow,
        level=level,
        message=message,
        error_code=error_code,
        record_link=record_link,
        details=details or {},
    )
    logger.log(
        _LOG_LEVELS.get(level, logging.ERROR),
        "integration=%s flow=%s run=%s code=%s %s",
        integration_id,
        flow,
        run.pk if run else "-",
        error_code or "-",
        message,
    )
    return entry


def sync_log_error(
    *,
    run: SyncRun | None = None,
    integration_id: int,
    flow: str,
    error: ClassifiedError,
    message: str,
    record_link: RecordLink | None = None,
    level: str = SyncLogEntry.Level.ERROR,
    details: dict[str, Any] | None = None,
) -> SyncLogEntry:
    """Log a classified error: its code, BC's own words and the catalogue's remedy travel with it."""
    return sync_log(
        run=run,
        integration_id=integration_id,
        flow=flow,
        level=level,
        message=message,
        error_code=error.code,
        record_link=record_link,
        details={
            "vendor_code": error.vendor_code,
            "vendor_message": error.vendor_message,
            "remedy": str(error.entry.remedy),
            **(details or {}),
        },
    )


def link_warning_record(
    *,
    run: SyncRun | None,
    integration_id: int,
    flow: str,
    link: RecordLink,
    error: ClassifiedError,
    details: dict[str, Any] | None = None,
) -> None:
    """A record synced with a warning: the link carries its code and message (the caller saves the
    link) and the log names the record."""
    link.last_error_code = error.code
    link.last_error_message = error.message
    sync_log_error(
        run=run,
        integration_id=integration_id,
        flow=flow,
        level=SyncLogEntry.Level.WARNING,
        error=error,
        message=f"{link.source_reference}: {error.message}",
        record_link=link,
        details=details,
    )


def _counts(run: SyncRun) -> RunCounts:
    return RunCounts(
        records_seen=run.records_seen,
        records_created=run.records_created,
        records_updated=run.records_updated,
        records_skipped=run.records_skipped,
        records_failed=run.records_failed,
        api_requests=run.api_requests,
        api_operations=run.api_operations,
    )


def _run_fail(*, run: SyncRun, status: str, error_code: str, message: str) -> None:
    sync_run_finish(run_id=run.pk, status=status, error_code=error_code, error_message=message, **_counts(run))
    level = SyncLogEntry.Level.WARNING if status == SyncRun.Status.SKIPPED else SyncLogEntry.Level.ERROR
    sync_log(
        run=run, integration_id=run.integration_id, flow=run.flow, level=level, message=message, error_code=error_code
    )


def sync_run_execute(*, run_id: int, clients: ClientFactory | None = None) -> None:
    """Run one queued SyncRun through its registered flow handler, under the flow's lease.

    ``clients`` builds the run's clients; by default the factory ``SYNC_CLIENT_FACTORY`` names."""
    run = SyncRun.objects.select_related("integration").get(pk=run_id)
    if run.status != SyncRun.Status.QUEUED:
        logger.warning("Run %s is %s, not queued; not running it again.", run.pk, run.status)
        return
    try:
        handler = flow_handler_get(run.flow)
    except Exception as exc:
        # A flow module that fails to import must fail the run, not leave it queued forever.
        logger.exception("Flow handlers could not be loaded")
        message = f"Flow handlers could not be loaded: {type(exc).__name__}: {exc}"
        _run_fail(run=run, status=SyncRun.Status.FAILED, error_code=ERROR_UNEXPECTED, message=message)
        return
    if handler is None:
        message = f"No handler registered for flow '{run.flow}'."
        _run_fail(run=run, status=SyncRun.Status.FAILED, error_code=ERROR_UNEXPECTED, message=message)
        return
    # Paused, disabled or waiting for a new sign-in: automatic runs wait (the sweep from the saved
    # cursor catches up once the integration runs again, so nothing is lost).
    held = run.integration.status in (
        Integration.Status.PAUSED,
        Integration.Status.DISABLED,
        Integration.Status.NEEDS_REAUTH,
    )
    # A Sandbox history (after the move to Production) never syncs, not even when asked.
    archived = run.integration.status == Integration.Status.ARCHIVED
    if archived or (held and run.trigger not in EXPLICIT_TRIGGERS):
        with translation.override("en"):  # the run log is support's record: one language
            message = (
                f"Integration is {run.integration.get_status_display().lower()}; "
                f"{run.get_trigger_display().lower()} runs wait until it runs again."
            )
        _run_fail(run=run, status=SyncRun.Status.SKIPPED, error_code="", message=message)
        return

    # The lease outlives a worker killed by the task timeout by at most one TTL.
    ttl = int(settings.Q_CLUSTER.get("timeout") or 600)
    try:
        with flow_lock(
            integration_id=run.integration_id, flow=run.flow, holder=f"run:{run.pk}", ttl_seconds=ttl
        ) as lease:
            if not sync_run_start(run_id=run.pk):
                return
            run.status = SyncRun.Status.RUNNING
            run.lease = lease
            try:
                handler(run, clients=clients or client_factory_default())
            except FlowLeaseLost as exc:  # an expected condition with its own code (SYS-003), not a bug
                error = classify_exception(exc)
                _run_fail(run=run, status=SyncRun.Status.FAILED, error_code=error.code, message=str(exc))
                return
            except Exception as exc:
                # Every expected condition has its code (a vendor's answer, a missing connection, a lost
                # lease); only SYS-001, a bug, is worth a traceback.
                error = classify_exception(exc)
                if error.code == ERROR_UNEXPECTED:
                    logger.exception("Run %s of flow %s failed", run.pk, run.flow)
                message = str(error.message) or type(exc).__name__
                _run_fail(run=run, status=SyncRun.Status.FAILED, error_code=error.code, message=message)
                return
    except FlowLocked as exc:
        _run_fail(run=run, status=SyncRun.Status.SKIPPED, error_code="", message=str(exc))
        return
    status = SyncRun.Status.PARTIAL if run.records_failed else SyncRun.Status.SUCCEEDED
    sync_run_finish(run_id=run.pk, status=status, **_counts(run))
