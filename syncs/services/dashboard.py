"""Read model of the support dashboard (admin): what needs attention, in a fixed number of queries.

Each panel is one aggregate or one bounded list, so the page costs the same on a quiet day and on
a table of millions of log rows (every filter below is served by an index of its table).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from integrations.models import Flow, Integration
from syncs.errors import find_error
from syncs.models import PreflightRun, RecordLink, SyncLogEntry, SyncRun
from syncs.selectors import sync_runs_with_first_error
from syncs.services.dispatch import ENTITY_TYPE_FLOWS, FLOW_ENTITY_TYPES

ERROR_WINDOW = dt.timedelta(hours=24)
LIST_LIMIT = 20


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ErrorCount:
    code: str
    title: str
    count: int
    integrations: int


@dataclass
class FlowBacklog:
    flow: str
    label: str
    pending: int = 0
    failed: int = 0
    queued_runs: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.failed + self.queued_runs

    @property
    def entity_types(self) -> str:
        """The flow's record types, comma-separated (the admin's ``entity_type__in`` filter)."""
        return ",".join(FLOW_ENTITY_TYPES.get(self.flow, ()))


@dataclass(frozen=True)
class Dashboard:
    generated_at: dt.datetime
    integrations_by_status: list[StatusCount]
    errors_24h: list[ErrorCount]
    backlog: list[FlowBacklog]
    running_runs: list[SyncRun]
    recent_runs: list[SyncRun]
    needs_reauth: list[Integration]
    failed_preflights: list[PreflightRun]
    integrations_total: int = field(default=0)
    errors_since: dt.datetime | None = None


def _integrations_by_status() -> list[StatusCount]:
    counts = dict(Integration.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return [StatusCount(value, str(label), counts.get(value, 0)) for value, label in Integration.Status.choices]


def _errors_since(since: dt.datetime) -> list[ErrorCount]:
    rows = (
        SyncLogEntry.objects.filter(level=SyncLogEntry.Level.ERROR, created_at__gte=since)
        .order_by()
        .values("error_code")
        .annotate(n=Count("pk"), integrations=Count("integration", distinct=True))
        .order_by("-n", "error_code")
    )
    errors = []
    for row in rows:
        code = row["error_code"] or ""
        entry = find_error(code) if code else None
        title = str(entry.title) if entry else ("(no code)" if not code else "")
        errors.append(ErrorCount(code=code, title=title, count=row["n"], integrations=row["integrations"]))
    return errors


def _backlog() -> list[FlowBacklog]:
    by_flow = {flow: FlowBacklog(flow=flow, label=str(label)) for flow, label in Flow.choices}
    links = (
        RecordLink.objects.filter(state__in=[RecordLink.State.PENDING, RecordLink.State.FAILED])
        .order_by()
        .values_list("entity_type", "state")
        .annotate(n=Count("pk"))
    )
    for entity_type, state, n in links:
        backlog = by_flow[ENTITY_TYPE_FLOWS[entity_type]]
        if state == RecordLink.State.PENDING:
            backlog.pending += n
        else:
            backlog.failed += n
    queued = SyncRun.objects.filter(status=SyncRun.Status.QUEUED).order_by().values_list("flow").annotate(n=Count("pk"))
    for flow, n in queued:
        by_flow[flow].queued_runs += n
    return list(by_flow.values())


def _latest_failed_preflights() -> list[PreflightRun]:
    # The latest finished preflight of each integration, kept only when it failed.
    latest = (
        PreflightRun.objects.filter(integration=OuterRef("integration"))
        .exclude(status=PreflightRun.Status.RUNNING)
        .order_by("-started_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        PreflightRun.objects.filter(status=PreflightRun.Status.FAILED, pk=Subquery(latest))
        .select_related("integration", "integration__tenant")
        .order_by("-started_at")[:LIST_LIMIT]
    )


def support_dashboard_get(*, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    runs = SyncRun.objects.select_related("integration").defer("parameters", "error_message")
    by_status = _integrations_by_status()
    return Dashboard(
        generated_at=now,
        integrations_by_status=by_status,
        integrations_total=sum(row.count for row in by_status),
        errors_24h=_errors_since(now - ERROR_WINDOW),
        errors_since=now - ERROR_WINDOW,
        backlog=_backlog(),
        running_runs=list(runs.filter(status=SyncRun.Status.RUNNING).order_by("started_at")[:LIST_LIMIT]),
        recent_runs=list(
            sync_runs_with_first_error(runs.filter(~Q(status=SyncRun.Status.QUEUED))).order_by("-created_at")[
                :LIST_LIMIT
            ]
        ),
        needs_reauth=list(
            Integration.objects.filter(status=Integration.Status.NEEDS_REAUTH)
            .select_related("tenant", "bc_connection")
            .order_by("-updated_at")[:LIST_LIMIT]
        ),
        failed_preflights=_latest_failed_preflights(),
    )
