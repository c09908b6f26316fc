"""The support dashboard: what needs attention, counted right, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import Flow, Integration
from syncs.models import EntityType, PreflightRun, RecordLink, SyncLogEntry, SyncRun
from syncs.services.dashboard import support_dashboard_get
from tests import factories as f

pytestmark = pytest.mark.django_db


def _log_error(integration, code, *, hours_ago=1):
    entry = f.SyncLogEntryFactory(integration=integration, level=SyncLogEntry.Level.ERROR, error_code=code)
    SyncLogEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago))


def _preflight(integration, status, *, hours_ago):
    run = f.PreflightRunFactory(integration=integration, status=status)
    PreflightRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - dt.timedelta(hours=hours_ago))
    return run


@pytest.fixture
def busy_world():
    live = f.IntegrationFactory(name="Live shop", status=Integration.Status.LIVE)
    other = f.IntegrationFactory(name="Other shop", status=Integration.Status.LIVE)
    reauth = f.IntegrationFactory(name="Expired sign-in", status=Integration.Status.NEEDS_REAUTH)
    f.BusinessCentralConnectionFactory(integration=reauth, last_auth_error_code="AUTH-002")
    f.IntegrationFactory(name="Draft", status=Integration.Status.DRAFT)

    _log_error(live, "MAP-004")
    _log_error(live, "MAP-004")
    _log_error(other, "MAP-004")
    _log_error(other, "BC-201")
    _log_error(other, "BC-201", hours_ago=30)  # outside the window
    f.SyncLogEntryFactory(integration=live, level=SyncLogEntry.Level.WARNING, error_code="MAP-004")

    for state, entity in [
        (RecordLink.State.PENDING, EntityType.ORDER),
        (RecordLink.State.FAILED, EntityType.ORDER),
        (RecordLink.State.FAILED, EntityType.CUSTOMER),
        (RecordLink.State.FAILED, EntityType.PAYMENT),
        (RecordLink.State.SYNCED, EntityType.ORDER),
    ]:
        f.RecordLinkFactory(integration=live, state=state, entity_type=entity)
    f.SyncRunFactory(integration=live, flow=Flow.ORDERS, status=SyncRun.Status.QUEUED)
    f.SyncRunFactory(integration=other, flow=Flow.ORDERS, status=SyncRun.Status.QUEUED)
    running = f.SyncRunFactory(
        integration=live, flow=Flow.STOCK, status=SyncRun.Status.RUNNING, started_at=timezone.now()
    )
    failed = f.SyncRunFactory(integration=other, flow=Flow.PAYOUTS, status=SyncRun.Status.FAILED, error_code="BC-201")

    # Latest preflight decides: "live" failed last, "other" failed before but passed since.
    _preflight(live, PreflightRun.Status.PASSED, hours_ago=30)
    latest_failed = _preflight(live, PreflightRun.Status.FAILED, hours_ago=2)
    _preflight(other, PreflightRun.Status.FAILED, hours_ago=30)
    _preflight(other, PreflightRun.Status.PASSED, hours_ago=2)
    return {"reauth": reauth, "running": running, "failed": failed, "latest_failed": latest_failed}


def test_counts_what_needs_attention(busy_world):
    dashboard = support_dashboard_get()

    by_status = {row.status: row.count for row in dashboard.integrations_by_status}
    assert by_status[Integration.Status.LIVE] == 2
    assert by_status[Integration.Status.NEEDS_REAUTH] == 1
    assert by_status[Integration.Status.PAUSED] == 0
    assert dashboard.integrations_total == 4

    errors = {e.code: (e.count, e.integrations) for e in dashboard.errors_24h}
    assert errors == {"MAP-004": (3, 2), "BC-201": (1, 1)}
    assert dashboard.errors_24h[0].code == "MAP-004"  # most frequent first

    backlog = {row.flow: (row.pending, row.failed, row.queued_runs) for row in dashboard.backlog}
    assert backlog[Flow.ORDERS] == (1, 1, 2)
    assert backlog[Flow.CUSTOMERS] == (0, 1, 0)
    assert backlog[Flow.PAYOUTS] == (0, 1, 0)
    assert backlog[Flow.STOCK] == (0, 0, 0)

    assert dashboard.running_runs == [busy_world["running"]]
    assert busy_world["failed"] in dashboard.recent_runs
    assert all(run.status != SyncRun.Status.QUEUED for run in dashboard.recent_runs)
    assert dashboard.needs_reauth == [busy_world["reauth"]]
    assert dashboard.failed_preflights == [busy_world["latest_failed"]]


def test_queries_do_not_grow_with_the_data(busy_world, django_assert_max_num_queries):
    for _ in range(5):
        integration = f.IntegrationFactory(status=Integration.Status.NEEDS_REAUTH)
        f.BusinessCentralConnectionFactory(integration=integration)
        _preflight(integration, PreflightRun.Status.FAILED, hours_ago=1)
        f.SyncRunFactory(integration=integration, status=SyncRun.Status.SUCCEEDED)
        _log_error(integration, "MAP-001")

    with django_assert_max_num_queries(8):
        dashboard = support_dashboard_get()
        # Everything the page shows is loaded: reading it costs nothing more.
        [(run.integration.name, run.flow) for run in dashboard.recent_runs + dashboard.running_runs]
        [(i.tenant.name, i.bc_connection.last_auth_error_code) for i in dashboard.needs_reauth]
        [(p.integration.tenant.name, p.failed_count) for p in dashboard.failed_preflights]


def test_admin_page_renders_for_support_and_links_from_the_index(client, busy_world):
    client.force_login(f.SuperUserFactory())

    page = client.get(reverse("support_dashboard"))
    index = client.get(reverse("admin:index"))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Expired sign-in" in content and "AUTH-002" in content
    assert "MAP-004" in content
    assert f"#{busy_world['running'].pk}" in content
    assert reverse("support_dashboard") in index.content.decode()


def test_admin_page_needs_a_staff_login(client):
    response = client.get(reverse("support_dashboard"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_view_permissions_is_refused(client):
    client.force_login(f.StaffUserFactory())

    assert client.get(reverse("support_dashboard")).status_code == 403
