"""Nested lists longer than an order read's first rows are completed, never dropped.

An order read asks for the first rows of each nested connection (line items, shipping lines,
discount applications; per refund its line items, shipping lines and transactions) with their
``pageInfo``, and pages the rest. ``Order.transactions`` and ``Order.refunds`` are plain lists in the
Admin API: read without ``first``, they hold every row. Every read path yields the same records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.shopify import queries
from simulators.shopify.orders import OrderSpec, build_order
from simulators.shopify.seed import order_with_long_lists

LONG_ORDER = 5100


@pytest.fixture
def long_order(shopify_server) -> dict:
    store = shopify_server.sim.store
    with store.lock:
        return order_with_long_lists(store, number=LONG_ORDER, created_at=dt.datetime(2025, 3, 30, tzinfo=dt.UTC))


def _ids(rows) -> list[str]:
    return [row["id"] for row in rows]


def assert_complete(order, stored: dict) -> None:
    """``order`` (an Order record) holds every nested row of ``stored`` (the simulator's order), in order."""
    assert [line.id for line in order.line_items] == _ids(stored["lineItems"])
    assert [line.id for line in order.shipping_lines] == _ids(stored["shippingLines"])
    assert [app.index for app in order.discount_applications] == [a["index"] for a in stored["discountApplications"]]
    assert [tx.id for tx in order.transactions] == _ids(stored["transactions"])
    assert [refund.id for refund in order.refunds] == _ids(stored["refunds"])
    for refund, stored_refund in zip(order.refunds, stored["refunds"], strict=True):
        assert [r.line_item_id for r in refund.line_items] == [
            r["lineItem"]["id"] for r in stored_refund["refundLineItems"]
        ]
        assert [r.shipping_line_id for r in refund.shipping_lines] == [
            r["shippingLine"]["id"] for r in stored_refund["refundShippingLines"]
        ]
        assert [tx.id for tx in refund.transactions] == _ids(stored_refund["transactions"])
        shop = sum((r.subtotal.shop.amount for r in refund.line_items), Decimal("0")) + sum(
            (r.subtotal.shop.amount + r.tax.shop.amount for r in refund.shipping_lines), Decimal("0")
        )
        assert shop == refund.total_refunded.shop.amount == sum(tx.amount.shop.amount for tx in refund.transactions)


def test_the_seeded_long_order_runs_past_every_first_page(long_order):
    """The scenario itself: each nested list is longer than what one order read asks for."""
    first_refund = long_order["refunds"][0]

    assert len(long_order["lineItems"]) == 14 > queries.LINE_ITEMS_FIRST
    assert len(long_order["shippingLines"]) == 5 > queries.SHIPPING_LINES_FIRST
    assert len(long_order["discountApplications"]) == 7 > queries.DISCOUNT_APPLICATIONS_FIRST
    assert len(long_order["transactions"]) == 12
    assert len(long_order["refunds"]) == 7
    assert len(first_refund["refundLineItems"]) == 9 > queries.REFUND_LINE_ITEMS_FIRST
    assert len(first_refund["refundShippingLines"]) == 3 > queries.REFUND_SHIPPING_LINES_FIRST
    assert len(first_refund["transactions"]) == 4 > queries.REFUND_TRANSACTIONS_FIRST
    assert long_order["displayFinancialStatus"] == "PARTIALLY_REFUNDED"


def test_long_order_is_complete_and_equal_on_every_read_path(shopify_client, long_order):
    name = long_order["name"]

    (paged,) = [order for order in shopify_client.orders_iter() if order.name == name]
    got = shopify_client.order_get(long_order["id"])
    (by_name,) = shopify_client.orders_by_names([name])
    (bulk,) = [order for order in shopify_client.bulk_orders() if order.name == name]

    assert_complete(paged, long_order)
    assert paged == got == by_name == bulk  # dataclass equality, field by field
    first = paged.refunds[0]
    assert (len(first.line_items), len(first.shipping_lines), len(first.transactions)) == (9, 3, 4)
    # Discounts past the first five still reach the lines they were allocated to.
    allocated = {alloc.application_index for line in paged.line_items for alloc in line.discount_allocations}
    assert allocated == {0, 1, 2, 3, 4, 6}
    assert {alloc.application_index for line in paged.shipping_lines for alloc in line.discount_allocations} == {5}


def test_an_order_is_completed_with_one_small_query_per_page_of_each_connection(shopify_client, long_order):
    shopify_client.order_get(long_order["id"])

    # The order, then one follow-up for each of its three long connections and for each of the
    # first refund's three long connections. The transactions and refunds lists need none.
    stats = shopify_client.stats
    assert stats.requests - stats.throttled == 1 + 3 + 3


def test_orders_within_the_first_rows_need_no_follow_up(shopify_client):
    orders = list(shopify_client.orders_iter())

    assert len(orders) == 30
    assert shopify_client.stats.requests == 5  # five pages of six, nothing else


def test_a_connection_longer_than_several_follow_up_pages_is_paged_to_the_end(shopify_client, shopify_server):
    store = shopify_server.sim.store
    variants = [v for v in store.variants.values() if v["sku"]]
    with store.lock:
        big = build_order(
            store,
            OrderSpec(
                number=5101,
                created_at=dt.datetime(2025, 3, 31, tzinfo=dt.UTC),
                country="SE",
                currency="SEK",
                lines=[(variants[i % len(variants)], 1 + i % 3) for i in range(123)],
                email="bulky@example.com",
            ),
        )
    order = shopify_client.order_get(big["id"])

    assert [line.id for line in order.line_items] == _ids(big["lineItems"])
    stats = shopify_client.stats
    assert stats.requests - stats.throttled == 1 + 3  # 10, then 50 + 50 + 13


def test_bulk_completes_the_refunds_it_reads_afterwards(shopify_client, long_order):
    bulk = list(shopify_client.bulk_orders(f"name:{long_order['name']}"))

    (order,) = bulk
    assert_complete(order, long_order)


def test_bulk_polling_calls_on_poll_while_the_operation_runs(shopify_client, shopify_server):
    shopify_server.sim.bulk_polls = 3
    seen = []

    def on_poll():
        seen.append([op["status"] for op in shopify_server.sim.store.bulk_operations.values()])

    orders = list(shopify_client.bulk_orders("name:#1001", on_poll=on_poll))

    assert [order.name for order in orders] == ["#1001"]
    # Three polls see it running, the fourth completes it; each one calls back.
    assert seen == [["RUNNING"], ["RUNNING"], ["RUNNING"], ["COMPLETED"]]


def test_the_simulator_truncates_plain_lists_to_first_as_shopify_does(shopify_sim, long_order):
    query = """
    query($id: ID!) { order(id: $id) {
      all: transactions { id } few: transactions(first: 3) { id }
      refunds(first: 2) { id refundLineItems(first: 5) { pageInfo { hasNextPage } edges { node { quantity } } } }
    } }
    """

    data = shopify_sim.graphql(query, {"id": long_order["id"]})["data"]["order"]

    assert len(data["all"]) == 12 and len(data["few"]) == 3
    assert len(data["refunds"]) == 2
    assert data["refunds"][0]["refundLineItems"]["pageInfo"]["hasNextPage"] is True


def test_the_simulator_reads_a_refund_by_id(shopify_sim, long_order):
    refund = long_order["refunds"][0]
    query = "query($id: ID!) { refund(id: $id) { id refundShippingLines(first: 5) { edges { node { id } } } } }"

    data = shopify_sim.graphql(query, {"id": refund["id"]})["data"]["refund"]

    assert data["id"] == refund["id"]
    assert [edge["node"]["id"] for edge in data["refundShippingLines"]["edges"]] == _ids(refund["refundShippingLines"])
