"""Read model for ``manage.py integration_status``: one row per integration, a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from integrations.models import Flow, Integration
from syncs.models import RecordLink, SyncRun


@dataclass(frozen=True)
class LastRun:
    status: str
    created_at: datetime


@dataclass(frozen=True)
class IntegrationStatusRow:
    integration_id: int
    name: str
    tenant: str
    status: str
    live_mode: bool
    bc_environment: str
    bc_company: str
    last_runs: dict[str, LastRun | None]
    failed_records: int


def integration_status_report(*, tenant_slug: str = "", status: str = "") -> list[IntegrationStatusRow]:
    integrations = Integration.objects.select_related("tenant", "bc_connection").order_by("tenant__name", "name")
    if tenant_slug:
        integrations = integrations.filter(tenant__slug=tenant_slug)
    if status:
        integrations = integrations.filter(status=status)
    annotations = {}
    for flow in Flow.values:
        # One correlated subquery per flow, each served by the (integration, flow, -created_at) index.
        latest = SyncRun.objects.filter(integration=OuterRef("pk"), flow=flow).order_by("-created_at")
        annotations[f"last_{flow}_status"] = Subquery(latest.values("status")[:1])
        annotations[f"last_{flow}_at"] = Subquery(latest.values("created_at")[:1])
    failed = RecordLink.objects.filter(integration=OuterRef("pk"), state=RecordLink.State.FAILED)
    annotations["failed_records"] = Subquery(
        failed.order_by().values("integration").annotate(n=Count("pk")).values("n")[:1]
    )
    rows = []
    for integration in integrations.annotate(**annotations):
        connection = getattr(integration, "bc_connection", None)
        last_runs = {
            flow: LastRun(status, getattr(integration, f"last_{flow}_at"))
            if (status := getattr(integration, f"last_{flow}_status"))
            else None
            for flow in Flow.values
        }
        rows.append(
            IntegrationStatusRow(
                integration_id=integration.pk,
                name=integration.name,
                tenant=integration.tenant.name,
                status=integration.status,
                live_mode=integration.live_mode,
                bc_environment=f"{connection.environment_name} ({connection.environment_type})" if connection else "",
                bc_company=connection.company_name if connection else "",
                last_runs=last_runs,
                failed_records=getattr(integration, "failed_records", 0) or 0,  # annotated above
            )
        )
    return rows


__all__ = ["IntegrationStatusRow", "LastRun", "integration_status_report"]
