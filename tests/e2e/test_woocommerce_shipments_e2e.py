"""BC's posted shipments complete WooCommerce orders, through the scheduled orders flow and the
store's webhooks: an order shipped in part stays processing; shipped in full it is set completed
once and gets one private note with the BC numbers and tracking; the store's order.updated then
has the orders flow invoice the sales order; re-runs, retries and a lost answer add nothing."""

from __future__ import annotations

from decimal import Decimal

from integrations.models import Flow, Integration
from simulators.businesscentral.shipments import post_shipment
from simulators.woocommerce.orders import OrderSpec, order_build
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.dispatch import record_links_retry
from tests.e2e.test_woocommerce_flows_e2e import COMPANY, documents, link, sim_bc, store, tick  # noqa: F401
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture

TRACKING = "00370733741234567890"


def _notes(store, order_id: int) -> list[dict]:  # noqa: F811
    return sorted(
        (n for n in store.sim.store.notes.values() if n["_order_id"] == order_id), key=lambda note: note["id"]
    )


def _ours(store, order_id: int) -> list[dict]:  # noqa: F811
    return [n for n in _notes(store, order_id) if n["note"].startswith("Shipped from Business Central")]


def _status_puts(store, order_id: int) -> list[dict]:  # noqa: F811
    return [
        body
        for method, path, _, body in store.sim.requests
        if method == "PUT" and path.endswith(f"/orders/{order_id}") and "status" in (body or {})
    ]


def _new_order(store, order_id: int) -> dict:  # noqa: F811
    woo = store.sim
    with woo.store.lock:
        order = order_build(woo.store, OrderSpec(order_id, woo.clock.now(), "SE", [("1900-S", 3), ("1928-S", 1)]))
    woo.webhooks.fire("order.created", woo.order_json(order["id"]))
    return order


def _sales_order_mode(integration) -> None:
    Integration.objects.filter(pk=integration.pk).update(
        document_type=Integration.DocumentType.ORDER_SHIP_INVOICE, fulfil_from_bc_shipments=True
    )


def test_bc_shipments_complete_the_woocommerce_order_once_with_one_private_note(
    store,  # noqa: F811
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _sales_order_mode(bc_integration)
    company = bc_server.sim.company("sandbox", COMPANY)
    order = _new_order(store, 1201)
    with django_capture_on_commit_callbacks(execute=True):
        assert store.sim.webhooks.flush() == [200]
    (sales_order,) = documents(bc_server.sim, "salesOrders", "#1201")
    assert Decimal(str(sales_order["totalAmountIncludingTax"])) == Decimal(order["total"])
    lines = {row["lineObjectNumber"]: row for row in company.filter("salesOrderLines", documentId=sales_order["id"])}

    # The warehouse ships two of the three chairs: the order is not complete yet.
    first = post_shipment(
        company, sales_order, {lines["1900-S"]["id"]: 2}, tracking_no=TRACKING, shipping_agent="PNORD"
    )
    run = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error_message
    assert store.sim.store.orders[1201]["status"] == "processing" and _ours(store, 1201) == []
    assert RecordLink.objects.get(entity_type=EntityType.SHIPMENT, source_id=first["id"]).state == (
        RecordLink.State.PENDING
    )

    # The rest ships: completed once, one private note naming the BC numbers and the tracking number.
    second = post_shipment(company, sales_order)
    run = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    assert run.status == SyncRun.Status.SUCCEEDED, run.error_message
    woo_order = store.sim.store.orders[1201]
    assert woo_order["status"] == "completed" and woo_order["date_completed_gmt"]
    assert _status_puts(store, 1201) == [{"status": "completed"}]
    (note,) = _ours(store, 1201)
    assert note["customer_note"] is False
    assert note["note"] == (
        f"Shipped from Business Central: shipment {first['number']}, {second['number']} "
        f"of sales order {sales_order['number']}.\nTracking ({first['number']}): PNORD {TRACKING}"
    )
    for shipment in (first, second):
        shipment_link = RecordLink.objects.get(entity_type=EntityType.SHIPMENT, source_id=shipment["id"])
        assert (shipment_link.state, shipment_link.target_id) == (RecordLink.State.SYNCED, "1201")
        assert shipment_link.details["note_id"] == note["id"]
    assert link("#1201").details["shipments_done"] is True

    # The store announces the completed order (order.updated): the orders flow invoices the sales order.
    with django_capture_on_commit_callbacks(execute=True):
        assert store.sim.webhooks.flush() == [200]
    (invoice,) = documents(bc_server.sim, "salesInvoices", "#1201")
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == Decimal(order["total"])
    assert documents(bc_server.sim, "salesOrders", "#1201") == []

    # Re-runs and a retry of the shipment records change nothing in the store.
    tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        record_links_retry(
            record_link_ids=list(
                RecordLink.objects.filter(entity_type=EntityType.SHIPMENT).values_list("pk", flat=True)
            )
        )
    assert len(_ours(store, 1201)) == 1 and len(_status_puts(store, 1201)) == 1
    status_notes = [n for n in _notes(store, 1201) if n["note"].startswith("Order status changed")]
    assert [n["note"] for n in status_notes] == ["Order status changed from Processing to Completed."]


def test_a_lost_note_answer_is_found_in_the_store_and_a_refusal_is_retried_without_a_second_note(
    store,  # noqa: F811
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _sales_order_mode(bc_integration)
    company = bc_server.sim.company("sandbox", COMPANY)
    _new_order(store, 1202)
    with django_capture_on_commit_callbacks(execute=True):
        store.sim.webhooks.flush()
    (sales_order,) = documents(bc_server.sim, "salesOrders", "#1202")
    post_shipment(company, sales_order)
    store.sim.fail_next(500, times=9, path="/orders/1202/notes")  # the store refuses the note

    run = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    assert store.sim.store.orders[1202]["status"] == "completed"  # the status went through, recorded
    (shipment_link,) = RecordLink.objects.filter(entity_type=EntityType.SHIPMENT, details__order="#1202")
    assert shipment_link.state == RecordLink.State.FAILED and shipment_link.last_error_code.startswith("WOO-")
    assert run.records_failed >= 1 and _ours(store, 1202) == []
    assert link("#1202").details.get("woo_note_pending") is True

    # The note was written, but its answer was lost: the next run finds it and writes no second one.
    store.sim.faults.clear()
    with store.sim.store.lock:
        first_line = f"Shipped from Business Central: shipment {shipment_link.source_reference}"
        store.sim.note_add(1202, f"{first_line} of sales order {sales_order['number']}.")
    with django_capture_on_commit_callbacks(execute=True):
        record_links_retry(record_link_ids=[shipment_link.pk])

    shipment_link.refresh_from_db()
    assert shipment_link.state == RecordLink.State.SYNCED, shipment_link.last_error_message
    (note,) = _ours(store, 1202)
    assert shipment_link.details["note_id"] == note["id"]
    assert len(_status_puts(store, 1202)) == 1
