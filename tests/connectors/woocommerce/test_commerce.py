"""WooCommerce records -> the product's order model, read from the simulator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.woocommerce import WooCommerceShop, woo_order_translate


def _order(client, order_id):
    return woo_order_translate(client.order_get(order_id), refunds=client.refunds_list(order_id))


def test_domestic_order_with_coupon(woo_client):
    order = _order(woo_client, 1002)

    assert (order.name, order.id, order.currency, order.presentment_currency) == (
        "#1002",
        "gid://woocommerce/Order/1002",
        "SEK",
        "SEK",
    )
    assert (order.financial_status, order.fulfillment_status, order.taxes_included) == ("PAID", "FULFILLED", False)
    assert order.customer is None and order.email == "erik@example.se"  # a guest order
    lamp = order.line_items[0]
    assert (lamp.sku, lamp.quantity, lamp.unit_price.shop.amount) == ("1928-S", 2, Decimal("479.20"))
    assert [a.amount.shop.amount for a in lamp.discount_allocations] == [Decimal("95.84")]
    assert [(t.rate, t.price.shop.amount) for t in lamp.tax_lines] == [(Decimal("25.00"), Decimal("215.64"))]
    (shipping,) = order.shipping_lines
    assert (shipping.code, shipping.title, shipping.price.shop.amount) == ("flat_rate:1", "PostNord", Decimal("39.20"))
    assert [d.title for d in order.discount_applications] == ["welcome10"]
    # What the mapping relies on: lines net of coupons plus their tax, plus shipping, is the order total.
    lines = sum((li.unit_price.shop.amount * li.quantity for li in order.line_items), Decimal(0))
    discounts = sum((a.amount.shop.amount for li in order.line_items for a in li.discount_allocations), Decimal(0))
    taxes = sum(
        (t.price.shop.amount for li in order.line_items + order.shipping_lines for t in li.tax_lines), Decimal(0)
    )
    assert lines - discounts + shipping.price.shop.amount + taxes == order.total_price.shop.amount


def test_oss_order_keeps_the_destination_rate_and_the_customer(woo_client):
    order = _order(woo_client, 1003)

    assert order.shipping_address.country_code == "DE"
    assert {t.rate for li in order.line_items for t in li.tax_lines} == {Decimal("19.00")}
    assert order.customer.id == "gid://woocommerce/Customer/3" and order.customer.email == "jonas@example.de"
    assert order.transactions[0].gateway == "stripe" and order.transactions[0].kind == "SALE"


def test_refund_lines_point_at_the_order_lines(woo_client):
    order = _order(woo_client, 1005)

    assert order.financial_status == "PARTIALLY_REFUNDED"
    (refund,) = order.refunds
    (line,) = refund.line_items
    assert line.line_item_id == order.line_items[0].id
    assert (line.quantity, line.subtotal.shop.amount, line.total_tax.shop.amount) == (
        1,
        Decimal("1992.00"),
        Decimal("498.00"),
    )
    assert refund.total_refunded.shop.amount == Decimal("2490.00")
    assert refund.transactions[0].kind == "REFUND"


def test_unpaid_and_cancelled_orders(woo_client):
    on_hold, cancelled = _order(woo_client, 1006), _order(woo_client, 1007)

    assert (on_hold.financial_status, on_hold.transactions) == ("PENDING", ())
    assert cancelled.cancelled_at is not None


def test_shop_adapter_finds_orders_by_name_with_their_refunds(woo_client):
    shop = WooCommerceShop(client=woo_client)

    (order,) = shop.orders_by_names(["#1005", "#not-a-number", "#999999"])

    assert order.name == "#1005" and len(order.refunds) == 1
    assert shop.order_get("gid://woocommerce/Order/1001").name == "#1001"
    assert [o.name for o in shop.orders_iter()][:2] == ["#1001", "#1002"]


def test_shop_adapter_answers_the_discovery_and_customers_calls(woo_server, woo_client):
    shop = WooCommerceShop(client=woo_client)
    since = dt.datetime(2026, 11, 4, tzinfo=dt.UTC)
    until = "created_at:<='2026-11-06T10:00:00+00:00'"

    assert [o.name for o in shop.orders_iter(created_since=since, query=until)] == ["#1003", "#1004", "#1005"]
    assert [o.name for o in shop.bulk_orders(until, created_since=since, on_poll=lambda: None)] == [
        "#1003",
        "#1004",
        "#1005",
    ]
    assert shop.orders_count(until, created_since=since, limit=250) == 6  # the upper bound is not counted
    with pytest.raises(ValueError):
        list(shop.orders_iter(query="financial_status:paid"))

    customers = list(shop.customers_iter())
    assert [c.email for c in customers] == ["anna@example.se", "jonas@example.de", "aino@example.fi"]
    assert customers[1].default_address.country_code == "DE" and customers[1].id == "gid://woocommerce/Customer/3"
    assert [c.id for c in shop.customers_iter(query="id:4 OR id:2")] == [
        "gid://woocommerce/Customer/4",
        "gid://woocommerce/Customer/2",
    ]
    assert list(shop.customers_iter(updated_since=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))) == []
    with pytest.raises(ValueError):
        list(shop.customers_iter(query="email:anna@example.se"))
