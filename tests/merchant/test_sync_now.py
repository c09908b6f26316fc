"""A merchant's first hour: "Sync now" per flow (rate-limited, logged) and the "Now and next" panel
on the Records and Runs pages (next scheduled run, what runs now, refreshing by itself)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from integrations.models import Integration
from syncs.models import SyncLogEntry, SyncRun
from syncs.services.schedules import schedules_sync
from syncs.services.sync_now import SYNC_NOW_COOLDOWN_SECONDS, SyncNowRefused, flow_sync_now
from tests.factories import SyncRunFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(integration):
    Integration.objects.filter(pk=integration.pk).update(
        live_mode=True, status=Integration.Status.LIVE, went_live_at=timezone.now()
    )
    integration.refresh_from_db()
    return integration


def _sync_now(client, integration, flow="orders", back="records"):
    return client.post(reverse("merchant:sync_now", args=[integration.pk]), {"flow": flow, "back": back}, follow=True)


def test_sync_now_queues_a_manual_run_and_logs_who_asked(owner_client, owner, live):
    response = _sync_now(owner_client, live)

    run = SyncRun.objects.get(integration=live)
    assert run.flow == "orders" and run.trigger == SyncRun.Trigger.MANUAL
    assert run.parameters["requested_by"] == owner.get_username()
    entry = SyncLogEntry.objects.get(run=run)
    assert owner.get_username() in entry.message
    assert "a sync has started" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("merchant:records", args=[live.pk])


def test_sync_now_is_rate_limited_per_flow(owner_client, live):
    _sync_now(owner_client, live)
    SyncRun.objects.update(status=SyncRun.Status.SUCCEEDED)  # finished quickly

    response = _sync_now(owner_client, live, back="runs")

    assert SyncRun.objects.filter(integration=live).count() == 1
    assert "Try again in" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("merchant:runs", args=[live.pk])
    SyncRun.objects.update(created_at=timezone.now() - dt.timedelta(seconds=SYNC_NOW_COOLDOWN_SECONDS + 1))
    _sync_now(owner_client, live)
    assert SyncRun.objects.filter(integration=live).count() == 2


def test_sync_now_refuses_while_the_flow_runs_or_before_going_live(integration, live):
    SyncRunFactory(integration=live, flow="orders", status=SyncRun.Status.RUNNING)
    with pytest.raises(SyncNowRefused, match="already syncing"):
        flow_sync_now(integration_id=live.pk, flow="orders", requested_by="anna")
    with pytest.raises(SyncNowRefused, match="switched off"):
        flow_sync_now(integration_id=live.pk, flow="stock", requested_by="anna")
    Integration.objects.filter(pk=live.pk).update(status=Integration.Status.PAUSED)
    with pytest.raises(SyncNowRefused, match="live"):
        flow_sync_now(integration_id=live.pk, flow="orders", requested_by="anna")


def test_sync_now_never_reaches_another_merchants_integration(owner_client, other_integration):
    Integration.objects.filter(pk=other_integration.pk).update(live_mode=True, status=Integration.Status.LIVE)

    response = owner_client.post(reverse("merchant:sync_now", args=[other_integration.pk]), {"flow": "orders"})

    assert response.status_code == 404 and not SyncRun.objects.exists()


def test_records_and_runs_show_the_next_run_and_what_runs_now(owner_client, live):
    schedules_sync()
    next_run = timezone.now() + dt.timedelta(minutes=4)
    Schedule.objects.filter(name=f"jbc:integration-{live.pk}-orders").update(next_run=next_run)
    SyncRunFactory(integration=live, flow="orders", status=SyncRun.Status.RUNNING, started_at=timezone.now())

    for name in ("merchant:records", "merchant:runs"):
        response = owner_client.get(reverse(name, args=[live.pk]))
        body = response.content.decode()
        activity = response.context["activity"]
        assert activity.scheduled and activity.busy
        assert activity.flows[0].next_run_at == next_run
        assert "Now and next" in body and "Running" in body and "Next scheduled run" in body
        # Refreshes itself through a static script (the CSP forbids inline code).
        assert "junipeer_bc/refresh.js" in body and 'data-refresh-seconds="10"' in body
        assert "<script>" not in body


def test_before_going_live_the_panel_says_when_syncs_start(owner_client, integration):
    body = owner_client.get(reverse("merchant:records", args=[integration.pk])).content.decode()

    assert "Syncs start when the integration goes live." in body
    assert "Sync now" not in body
