"""Order status and order notes (BC's shipments complete the order), against the WooCommerce simulator."""

from __future__ import annotations

import pytest

from integrations.connectors.woocommerce import WooAmbiguousWriteError, WooNotFound, WooValidationError


def test_a_private_note_is_added_and_listed_newest_first(woo_server, woo_client):
    first = woo_client.order_note_add(1001, "Shipped from Business Central: shipment 10800001.")
    second = woo_client.order_note_add(1001, "For the customer.", customer_note=True)

    assert (first.order_id, first.customer_note, first.author) == (1001, False, "system")
    assert first.date_created is not None and first.date_created.tzinfo is not None
    assert [n.id for n in woo_client.order_notes(1001)] == [second.id, first.id]
    assert [n.id for n in woo_client.order_notes(1001, kind="internal")] == [first.id]
    assert [n.id for n in woo_client.order_notes(1001, kind="customer")] == [second.id]


def test_a_note_whose_answer_is_lost_is_ambiguous_and_not_resent(woo_server, woo_client):
    woo_server.sim.fail_next(504, path="/notes")

    with pytest.raises(WooAmbiguousWriteError):
        woo_client.order_note_add(1001, "Shipped from Business Central: shipment 10800001.")

    assert [m for m, *_ in woo_server.sim.requests] == ["POST"]  # never a second note


def test_the_status_is_set_and_a_resend_changes_nothing(woo_server, woo_client):
    order = woo_client.order_status_set(1001, "completed")
    again = woo_client.order_status_set(1001, "completed")

    assert order.status == again.status == "completed"
    assert woo_server.sim.store.orders[1001]["date_completed_gmt"] is not None
    assert [n.note for n in woo_client.order_notes(1001)] == ["Order status changed from Processing to Completed."]


def test_an_unknown_status_or_order_is_refused_with_woocommerces_code(woo_server, woo_client):
    with pytest.raises(WooValidationError) as refused:
        woo_client.order_status_set(1001, "shipped")
    with pytest.raises(WooNotFound) as missing:
        woo_client.order_note_add(999999, "x")

    assert refused.value.code == "rest_invalid_param"
    assert missing.value.code == "woocommerce_rest_order_invalid_id"
    assert woo_server.sim.store.orders[1001]["status"] == "processing"
