import pytest
from django.core.management import call_command
from django_q.models import Schedule

from integrations.models import Flow, Integration
from syncs.models import SyncRun
from syncs.services.schedules import (
    HOUSEKEEPING,
    flow_schedule_name,
    scheduled_flow_enqueue,
    schedules_sync,
)
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _flow_schedules():
    return {s.name: s for s in Schedule.objects.filter(name__contains="integration-")}


def test_one_schedule_per_integration_and_enabled_flow():
    integration = IntegrationFactory(orders_enabled=True, stock_enabled=True, stock_interval_minutes=5)
    IntegrationFactory(status=Integration.Status.DISABLED)

    schedules_sync()

    schedules = _flow_schedules()
    assert set(schedules) == {
        flow_schedule_name(integration_id=integration.pk, flow=Flow.ORDERS),
        flow_schedule_name(integration_id=integration.pk, flow=Flow.STOCK),
    }
    stock = schedules[flow_schedule_name(integration_id=integration.pk, flow=Flow.STOCK)]
    assert (stock.func, stock.args, stock.minutes, stock.repeats) == (
        "syncs.tasks.scheduled_flow_task",
        f"{integration.pk}, 'stock'",
        5,
        -1,
    )
    assert set(HOUSEKEEPING) <= set(Schedule.objects.values_list("name", flat=True))


def test_setup_schedules_is_idempotent_and_follows_settings(capsys):
    integration = IntegrationFactory(orders_enabled=True, orders_interval_minutes=15)

    call_command("setup_schedules")
    count = Schedule.objects.count()
    call_command("setup_schedules")
    assert Schedule.objects.count() == count
    assert "0 created, 0 updated, 0 deleted" in capsys.readouterr().out

    Integration.objects.filter(pk=integration.pk).update(orders_interval_minutes=3, orders_enabled=True)
    result = schedules_sync()
    assert result.updated == 1
    assert _flow_schedules()[flow_schedule_name(integration_id=integration.pk, flow=Flow.ORDERS)].minutes == 3

    Integration.objects.filter(pk=integration.pk).update(orders_enabled=False)
    assert schedules_sync().deleted == 1
    assert _flow_schedules() == {}


def test_unrelated_schedules_are_left_alone():
    Schedule.objects.create(name="someone-else", func="math.floor", args="1.5", schedule_type=Schedule.DAILY)
    schedules_sync()
    assert Schedule.objects.filter(name="someone-else").exists()


@pytest.mark.parametrize(
    ("status", "live_mode", "enabled", "expect_run"),
    [
        (Integration.Status.LIVE, True, True, True),
        (Integration.Status.PAUSED, True, True, False),
        (Integration.Status.NEEDS_REAUTH, True, True, False),
        (Integration.Status.LIVE, False, True, False),
        (Integration.Status.LIVE, True, False, False),
    ],
)
def test_a_tick_enqueues_only_for_live_integrations_with_the_flow_on(
    status, live_mode, enabled, expect_run, django_capture_on_commit_callbacks
):
    integration = IntegrationFactory(status=status, live_mode=live_mode, orders_enabled=enabled)
    with django_capture_on_commit_callbacks(execute=False):
        run_id = scheduled_flow_enqueue(integration_id=integration.pk, flow=Flow.ORDERS)
    assert (run_id is not None) is expect_run
    runs = SyncRun.objects.filter(integration=integration)
    assert runs.count() == (1 if expect_run else 0)
    if expect_run:
        assert runs.get().trigger == SyncRun.Trigger.SCHEDULE


def test_every_scheduled_function_exists():
    # A schedule naming a function that does not exist fails only at run time, in a worker.
    import importlib

    IntegrationFactory(orders_enabled=True, stock_enabled=True, products_enabled=True, payouts_enabled=True)
    schedules_sync()
    for func in set(Schedule.objects.values_list("func", flat=True)):
        module, name = func.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), name)), func
