"""Back to a WooCommerce store through the scheduled orders flow: each booked order learns its BC
document number in its meta data, once; a refused write is logged with its code and written on the
next run."""

from __future__ import annotations

from integrations.connectors.woocommerce.platform import META_KEY
from integrations.models import Flow, Integration
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from tests.e2e.test_woocommerce_flows_e2e import COMPANY, sim_bc, store, tick  # noqa: F401 - shared fixtures
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture


def _meta(store, order_id: int) -> list[dict]:  # noqa: F811
    return [m for m in store.sim.store.orders[order_id].get("meta_data") or [] if m["key"] == META_KEY]


def _order_puts(store) -> list[str]:  # noqa: F811
    return [path for method, path, *_ in store.sim.requests if method == "PUT" and "/orders/" in path]


def test_each_booked_order_gets_its_bc_number_in_its_meta_data_once(
    store,  # noqa: F811
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    Integration.objects.filter(pk=bc_integration.pk).update(write_back_metafield=True)
    store.sim.fail_next(500, times=9, path="/orders/1002")  # the store refuses one order's write

    run = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    assert run.status in (SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL), run.error_message
    linked = RecordLink.objects.filter(integration=bc_integration, entity_type=EntityType.ORDER)
    assert linked.count() >= 6
    for order_link in linked.exclude(source_reference="#1002"):
        order_id = int(order_link.source_id.rsplit("/", 1)[-1])
        assert [m["value"] for m in _meta(store, order_id)] == [order_link.target_number]
        assert order_link.details["written_back"] == order_link.target_number
    refused = linked.get(source_reference="#1002")
    assert not _meta(store, 1002) and refused.details.get("write_back_pending") is True
    assert SyncLogEntry.objects.filter(record_link=refused, level=SyncLogEntry.Level.WARNING).exists()

    store.sim.faults.clear()  # the store answers again
    store.sim.requests.clear()
    again = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    assert again.status == SyncRun.Status.SUCCEEDED, again.error_message
    assert _order_puts(store) == [path for path in _order_puts(store) if path.endswith("/orders/1002")]
    assert len(_order_puts(store)) == 1  # only the refused one, written now; the others not again
    refused.refresh_from_db()
    assert [m["value"] for m in _meta(store, 1002)] == [refused.target_number]
    assert "write_back_pending" not in refused.details
