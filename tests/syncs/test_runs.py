import pytest
from django_q.models import Task

from integrations.models import Flow, Integration
from syncs import flows
from syncs.clients import ConnectionClients
from syncs.errors.product_error import ProductError
from syncs.models import FlowLease, RecordLink, SyncLogEntry, SyncRun
from syncs.services.dispatch import flow_enqueue, record_links_retry, record_links_unlink, records_retry_failed
from syncs.services.locks import flow_lock
from syncs.services.runs import sync_log, sync_run_create, sync_run_execute, sync_run_finish, sync_run_start
from syncs.tasks import flow_run_task
from tests.factories import IntegrationFactory, RecordLinkFactory, SyncRunFactory
from tests.fixtures.clients import StaticClients

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers(monkeypatch):
    """An empty flow registry for the test: only what the test registers exists."""
    registry: dict = {}
    monkeypatch.setattr(flows, "FLOW_HANDLERS", registry)
    monkeypatch.setattr(flows, "_discovered", True)
    return registry


def test_sync_run_create_rejects_an_unknown_flow():
    integration = IntegrationFactory()
    with pytest.raises(ValueError, match="Unknown flow"):
        sync_run_create(integration_id=integration.pk, flow="invoices", trigger=SyncRun.Trigger.MANUAL)


def test_start_only_moves_a_queued_run():
    run = SyncRunFactory()
    assert sync_run_start(run_id=run.pk) is True
    assert sync_run_start(run_id=run.pk) is False
    run.refresh_from_db()
    assert run.status == SyncRun.Status.RUNNING and run.started_at is not None


def test_finish_writes_status_and_only_the_counts_given():
    run = SyncRunFactory(records_seen=7, api_requests=3)
    sync_run_finish(run_id=run.pk, status=SyncRun.Status.PARTIAL, records_failed=2, error_message="x" * 5000)
    run.refresh_from_db()
    assert (run.status, run.records_seen, run.records_failed, run.api_requests) == ("partial", 7, 2, 3)
    assert run.finished_at is not None and len(run.error_message) == 2000


def test_sync_log_creates_an_entry():
    run = SyncRunFactory()
    link = RecordLinkFactory(integration=run.integration)
    entry = sync_log(
        run=run,
        integration_id=run.integration_id,
        flow=Flow.ORDERS,
        level=SyncLogEntry.Level.ERROR,
        message="Order #1001 failed",
        error_code="MAP-001",
        record_link=link,
    )
    assert entry.run == run and entry.record_link == link and entry.details == {}
    assert SyncLogEntry.objects.filter(error_code="MAP-001", integration=run.integration).count() == 1


def test_execute_without_a_registered_handler_fails_the_run_clearly(handlers):
    run = SyncRunFactory(flow=Flow.STOCK)
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert run.error_message == "No handler registered for flow 'stock'."
    assert SyncLogEntry.objects.get(run=run).level == SyncLogEntry.Level.ERROR


def test_execute_fails_the_run_when_flow_modules_cannot_be_loaded(monkeypatch):
    def broken_discovery():
        raise ImportError("cannot import name 'x' from 'syncs.flows.orders'")

    monkeypatch.setattr(flows, "flows_autodiscover", broken_discovery)
    run = SyncRunFactory()
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error_code) == ("failed", "SYS-001")
    assert run.error_message.startswith("Flow handlers could not be loaded: ImportError")


def test_register_flow_refuses_a_second_handler_for_a_flow(handlers):
    flows.register_flow("orders")(lambda run, **_: None)
    with pytest.raises(ValueError, match="already has a handler"):

        @flows.register_flow("orders")
        def other_orders(run, **_):  # pragma: no cover
            pass


def test_autodiscovery_finds_flow_modules():
    flows.flows_autodiscover()
    assert flows.flow_handler_get("no-such-flow") is None
    assert set(flows.FLOW_HANDLERS) <= set(Flow.values)


def test_execute_runs_the_handler_under_the_lease_and_stores_counts(handlers):
    seen = {}

    def handler(run, **_):
        lease = FlowLease.objects.get(integration_id=run.integration_id, flow=run.flow)
        seen["holder"] = lease.holder
        run.lease.renew()
        run.records_seen += 3
        run.records_created += 2
        run.records_failed += 1

    handlers[Flow.ORDERS] = handler
    run = SyncRunFactory()
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert seen["holder"].startswith(f"run:{run.pk}#")
    assert (run.status, run.records_seen, run.records_created, run.records_failed) == ("partial", 3, 2, 1)
    assert run.started_at and run.finished_at
    assert FlowLease.objects.get(integration_id=run.integration_id, flow=Flow.ORDERS).holder == ""


def test_execute_marks_a_clean_run_succeeded(handlers):
    handlers[Flow.ORDERS] = lambda run, **_: None
    run = SyncRunFactory()
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED and run.error_code == ""


def test_execute_records_a_product_error_with_its_code(handlers):
    def handler(run, **_):
        run.records_seen = 1
        raise ProductError("SYS-002", system="Business Central")

    handlers[Flow.ORDERS] = handler
    run = SyncRunFactory()
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error_code, run.records_seen) == ("failed", "SYS-002", 1)
    assert "Business Central" in run.error_message


def test_execute_records_an_unexpected_error(handlers):
    def handler(run, **_):
        raise KeyError("lines")

    handlers[Flow.ORDERS] = handler
    run = SyncRunFactory()
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error_code) == ("failed", "SYS-001")
    assert "lines" in run.error_message


def test_execute_skips_when_the_flow_is_locked(handlers):
    called = []
    handlers[Flow.ORDERS] = lambda run, **_: called.append(run)
    run = SyncRunFactory()
    with flow_lock(integration_id=run.integration_id, flow=Flow.ORDERS, holder="other", ttl_seconds=60):
        sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SKIPPED and called == []
    assert "already running" in run.error_message


def test_execute_does_not_run_a_run_twice(handlers):
    called = []
    handlers[Flow.ORDERS] = lambda run, **_: called.append(run)
    run = SyncRunFactory(status=SyncRun.Status.SUCCEEDED)
    sync_run_execute(run_id=run.pk)
    assert called == []


def test_scheduled_runs_skip_a_paused_integration_but_manual_runs_do_not(handlers):
    called = []
    handlers[Flow.ORDERS] = lambda run, **_: called.append(run)
    integration = IntegrationFactory(status=Integration.Status.PAUSED)
    scheduled = SyncRunFactory(integration=integration, trigger=SyncRun.Trigger.SCHEDULE)
    manual = SyncRunFactory(integration=integration, trigger=SyncRun.Trigger.MANUAL)
    sync_run_execute(run_id=scheduled.pk)
    sync_run_execute(run_id=manual.pk)
    scheduled.refresh_from_db()
    assert scheduled.status == SyncRun.Status.SKIPPED and "paused" in scheduled.error_message
    assert [r.pk for r in called] == [manual.pk]


@pytest.mark.parametrize("status", [Integration.Status.NEEDS_REAUTH, Integration.Status.DISABLED])
@pytest.mark.parametrize("trigger", [SyncRun.Trigger.SCHEDULE, SyncRun.Trigger.WEBHOOK])
def test_automatic_runs_wait_while_the_integration_cannot_run(handlers, status, trigger):
    called = []
    handlers[Flow.ORDERS] = lambda run, **_: called.append(run)
    integration = IntegrationFactory(status=status)
    run = SyncRunFactory(integration=integration, trigger=trigger)
    sync_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert called == []
    assert run.status == SyncRun.Status.SKIPPED
    assert integration.get_status_display().lower() in run.error_message


def test_flow_enqueue_queues_after_commit_and_the_task_runs_it(handlers, django_capture_on_commit_callbacks):
    handlers[Flow.CUSTOMERS] = lambda run, **_: None
    integration = IntegrationFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = flow_enqueue(integration_id=integration.pk, flow=Flow.CUSTOMERS, trigger=SyncRun.Trigger.MANUAL)
    assert run.status == SyncRun.Status.QUEUED and len(callbacks) == 1
    assert not Task.objects.exists()
    callbacks[0]()  # Q_CLUSTER sync=True in tests: the task runs inline.
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert Task.objects.get(func="syncs.tasks.flow_run_task").id == run.task_id


def test_flow_run_task_calls_the_executor(handlers):
    handlers[Flow.ORDERS] = lambda run, **_: None
    run = SyncRunFactory()
    flow_run_task(run.pk)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED


def test_records_retry_failed_resets_failed_links_and_queues_one_run_per_flow(django_capture_on_commit_callbacks):
    integration = IntegrationFactory()
    failed_order = RecordLinkFactory(integration=integration, state=RecordLink.State.FAILED)
    failed_customer = RecordLinkFactory(integration=integration, entity_type="customer", state=RecordLink.State.FAILED)
    synced = RecordLinkFactory(integration=integration, state=RecordLink.State.SYNCED)
    other = RecordLinkFactory(state=RecordLink.State.FAILED)
    with django_capture_on_commit_callbacks() as callbacks:
        runs = records_retry_failed(integration_id=integration.pk)
    assert sorted(r.flow for r in runs) == ["customers", "orders"]
    assert {r.trigger for r in runs} == {SyncRun.Trigger.RETRY} and len(callbacks) == 2
    for link, state in ((failed_order, "pending"), (failed_customer, "pending"), (synced, "synced"), (other, "failed")):
        link.refresh_from_db()
        assert link.state == state


def test_records_retry_failed_for_one_flow_only():
    integration = IntegrationFactory()
    RecordLinkFactory(integration=integration, state=RecordLink.State.FAILED)
    customer = RecordLinkFactory(integration=integration, entity_type="customer", state=RecordLink.State.FAILED)
    runs = records_retry_failed(integration_id=integration.pk, flow=Flow.ORDERS)
    assert [r.flow for r in runs] == ["orders"]
    customer.refresh_from_db()
    assert customer.state == RecordLink.State.FAILED


def test_record_links_retry_names_the_links_in_the_run():
    link = RecordLinkFactory(state=RecordLink.State.FAILED)
    (run,) = record_links_retry(record_link_ids=[link.pk])
    assert (run.flow, run.trigger, run.integration_id) == ("orders", "retry", link.integration_id)
    assert run.parameters["record_link_ids"] == [link.pk]
    link.refresh_from_db()
    assert link.state == RecordLink.State.PENDING


def test_record_links_unlink_forgets_the_bc_side_and_logs_who():
    link = RecordLinkFactory(
        state=RecordLink.State.SYNCED, target_id="abc", target_number="SI-1", raw_target={"id": "abc"}
    )
    assert record_links_unlink(record_link_ids=[link.pk], actor="support1") == 1
    link.refresh_from_db()
    assert (link.state, link.target_id, link.target_number, link.raw_target) == ("pending", "", "", None)
    assert "support1" in SyncLogEntry.objects.get(integration=link.integration).message


def test_execute_hands_the_handler_the_factory_it_was_given(handlers):
    given = StaticClients()
    seen = []
    handlers[Flow.ORDERS] = lambda run, *, clients: seen.append(clients)

    sync_run_execute(run_id=SyncRunFactory().pk, clients=given)

    assert seen == [given]


def test_execute_defaults_to_the_factory_the_setting_names(handlers, settings):
    seen = []
    handlers[Flow.ORDERS] = lambda run, *, clients: seen.append(clients)

    sync_run_execute(run_id=SyncRunFactory().pk)
    settings.SYNC_CLIENT_FACTORY = configured = StaticClients()
    sync_run_execute(run_id=SyncRunFactory().pk)

    assert isinstance(seen[0], ConnectionClients) and seen[1] is configured
