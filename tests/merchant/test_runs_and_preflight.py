"""Runs page and health check page: what they show, and the "run now" button."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import Flow
from syncs.errors import get_error
from syncs.models import PreflightCheckResult, PreflightRun, SyncRun
from tests.factories import PreflightCheckResultFactory, PreflightRunFactory, SyncRunFactory

pytestmark = pytest.mark.django_db


def test_runs_show_flow_trigger_status_counts_duration_and_error_link(owner_client, integration, other_integration):
    started = timezone.now() - dt.timedelta(minutes=5)
    failed = SyncRunFactory(
        integration=integration,
        flow=Flow.REFUNDS,
        trigger=SyncRun.Trigger.WEBHOOK,
        status=SyncRun.Status.PARTIAL,
        records_seen=10,
        records_created=7,
        records_failed=3,
        error_code="BC-201",
        error_message="Number series S-CR has no numbers left.",
        started_at=started,
        finished_at=started + dt.timedelta(seconds=12.5),
    )
    SyncRunFactory(integration=integration, flow=Flow.ORDERS, status=SyncRun.Status.SUCCEEDED)
    others = SyncRunFactory(integration=other_integration)

    response = owner_client.get(reverse("merchant:runs", args=[integration.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"#{failed.pk}<" in body and f"#{others.pk}<" not in body
    assert "Refunds" in body and "Webhook" in body and "Partially failed" in body
    assert "10 seen, 7 created, 0 updated, 0 skipped, 3 failed" in body
    assert "12.5 s" in body
    assert f'href="{get_error("BC-201").help_url}"' in body and "Number series S-CR has no numbers left." in body


def test_runs_filter_by_flow_and_status(owner_client, integration):
    refunds = SyncRunFactory(integration=integration, flow=Flow.REFUNDS, status=SyncRun.Status.FAILED)
    SyncRunFactory(integration=integration, flow=Flow.REFUNDS, status=SyncRun.Status.SUCCEEDED)
    SyncRunFactory(integration=integration, flow=Flow.ORDERS, status=SyncRun.Status.FAILED)

    response = owner_client.get(
        reverse("merchant:runs", args=[integration.pk]), {"flow": "refunds", "status": "failed"}
    )

    assert [run.pk for run in response.context["page"].object_list] == [refunds.pk]


@pytest.fixture
def checks(integration):
    older = PreflightRunFactory(integration=integration, status=PreflightRun.Status.PASSED, passed_count=12)
    PreflightRun.objects.filter(pk=older.pk).update(started_at=timezone.now() - dt.timedelta(days=1))
    latest = PreflightRunFactory(
        integration=integration, status=PreflightRun.Status.FAILED, passed_count=1, warning_count=1, failed_count=1
    )
    PreflightCheckResultFactory(
        run=latest, check_name="connection.token", status=PreflightCheckResult.Status.PASSED, message="Token valid."
    )
    PreflightCheckResultFactory(
        run=latest,
        check_name="number_series.available",
        status=PreflightCheckResult.Status.WARNING,
        message="Number series S-INV has 40 numbers left.",
        objects_json=["S-INV"],
        error_code="BC-204",
    )
    PreflightCheckResultFactory(
        run=latest,
        check_name="vat.posting_setup",
        status=PreflightCheckResult.Status.FAILED,
        message="VAT posting setup EU / VAT25 is missing.",
        objects_json=[{"vat_bus_group": "EU", "vat_prod_group": "VAT25"}],
        error_code="BC-101",
    )
    return {"older": older, "latest": latest}


def test_the_health_check_shows_the_latest_runs_failures_with_remedies_first(owner_client, integration, checks):
    response = owner_client.get(reverse("merchant:preflight", args=[integration.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert [r.check_name for r in response.context["overview"].results] == [
        "vat.posting_setup",
        "number_series.available",
        "connection.token",
    ]
    assert "VAT posting setup EU / VAT25 is missing." in body and "vat_bus_group: EU, vat_prod_group: VAT25" in body
    for code in ("BC-101", "BC-204"):
        entry = get_error(code)
        assert f'href="{entry.help_url}"' in body and str(entry.remedy) in body
    assert "Passed: 1 · Warnings: 1 · Failed: 1" in body
    assert response.context["overview"].history == [checks["older"]]


def test_the_health_check_page_without_any_run(owner_client, integration):
    body = owner_client.get(reverse("merchant:preflight", args=[integration.pk])).content.decode()

    assert "No health check has run yet." in body and "Run the health check now" in body


def test_run_now_enqueues_a_manual_preflight(owner_client, integration, django_capture_on_commit_callbacks):
    with (
        mock.patch("syncs.preflight.services.async_task") as async_task,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = owner_client.post(reverse("merchant:preflight_run", args=[integration.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("merchant:preflight", args=[integration.pk])
    assert len(callbacks) == 1
    async_task.assert_called_once_with(
        "syncs.tasks.preflight_run_task", integration.pk, PreflightRun.Trigger.MANUAL, task_name="preflight"
    )
