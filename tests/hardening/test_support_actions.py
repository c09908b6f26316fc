"""Support's "Sync now" respects the flows the merchant switched off, unless support confirms (logged)."""

from __future__ import annotations

import pytest

from integrations.models import Integration
from syncs.models import RecordLink, SyncLogEntry, SyncRun

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/integrations/integration/"


def _post(client, pks, **extra):
    data = {"action": "sync_products_now", "_selected_action": [str(pk) for pk in pks], **extra}
    return client.post(CHANGELIST, data, follow=True)


@pytest.fixture
def switched_off(world):
    Integration.objects.filter(pk=world.pk).update(products_enabled=False)
    return world


def test_a_switched_off_flow_asks_for_confirmation_and_runs_nothing(client, switched_off, operator):
    client.force_login(operator)

    response = _post(client, [switched_off.pk])

    assert "has switched the products flow off" in response.content.decode()
    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).exists()


def test_skipping_runs_nothing_for_the_switched_off_integration(client, switched_off, operator):
    client.force_login(operator)

    response = _post(client, [switched_off.pk], override="no")

    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).exists()
    assert any("Skipped 1 integration(s)" in str(m) for m in response.context["messages"])


def test_a_confirmed_override_runs_and_is_logged_with_who_asked(client, switched_off, operator):
    client.force_login(operator)

    _post(client, [switched_off.pk], override="yes")

    run = SyncRun.objects.get(flow="products", trigger=SyncRun.Trigger.MANUAL)
    assert run.parameters == {"requested_by": operator.username, "override_switched_off_flow": True}
    entry = SyncLogEntry.objects.get(run=run, level=SyncLogEntry.Level.WARNING)
    assert operator.username in entry.message and "switched it off" in entry.message


def test_a_switched_on_flow_runs_without_a_question(client, world, operator):
    Integration.objects.filter(pk=world.pk).update(products_enabled=True)
    client.force_login(operator)

    _post(client, [world.pk])

    assert SyncRun.objects.get(trigger=SyncRun.Trigger.MANUAL).parameters == {"requested_by": operator.username}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"order_numbers": "abc"}, "Not an order number: &#x27;abc&#x27;"),
        ({"created_from": "2026-03-31 00:00", "created_to": "2026-03-01 00:00"}, "must come after its start"),
    ],
)
def test_the_admin_backfill_refuses_what_the_command_refuses(client, world, operator, data, message):
    client.force_login(operator)

    response = client.post(f"/admin/integrations/integration/{world.pk}/backfill-orders/", data)

    assert response.status_code == 200 and message in response.content.decode()
    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).exists()


# --- retries and backfill: the same rule as "Sync now" ---------------------------------------


@pytest.fixture
def orders_off(world):
    Integration.objects.filter(pk=world.pk).update(orders_enabled=False)
    return world


def test_retry_failed_records_leaves_a_switched_off_flow_alone_and_says_so(client, orders_off, operator):
    client.force_login(operator)

    response = client.post(
        CHANGELIST, {"action": "retry_failed_records", "_selected_action": [str(orders_off.pk)]}, follow=True
    )

    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.RETRY).exists()
    assert RecordLink.objects.get(integration=orders_off).state == RecordLink.State.FAILED
    assert any("switched the orders flow off" in str(m) for m in response.context["messages"])


def test_retrying_picked_records_of_a_switched_off_flow_runs_nothing(client, orders_off, operator):
    client.force_login(operator)
    link = RecordLink.objects.get(integration=orders_off)

    response = client.post(
        "/admin/syncs/recordlink/", {"action": "retry_records", "_selected_action": [str(link.pk)]}, follow=True
    )

    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.RETRY).exists()
    link.refresh_from_db()
    assert link.state == RecordLink.State.FAILED
    assert any("switched the orders flow off" in str(m) for m in response.context["messages"])


def _backfill(client, integration, **extra):
    url = f"/admin/integrations/integration/{integration.pk}/backfill-orders/"
    return client.post(url, {"order_numbers": "1001", **extra})


def test_a_backfill_of_a_switched_off_orders_flow_asks_for_confirmation(client, orders_off, operator):
    client.force_login(operator)

    response = _backfill(client, orders_off)

    assert response.status_code == 200 and "has switched the orders flow off" in response.content.decode()
    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).exists()


def test_a_confirmed_backfill_of_a_switched_off_flow_runs_and_is_logged(client, orders_off, operator):
    client.force_login(operator)

    response = _backfill(client, orders_off, override="on")

    assert response.status_code == 302
    run = SyncRun.objects.get(trigger=SyncRun.Trigger.MANUAL)
    assert run.parameters["override_switched_off_flow"] is True and run.parameters["order_numbers"] == ["#1001"]
    assert SyncLogEntry.objects.filter(run=run, level=SyncLogEntry.Level.WARNING).exists()
