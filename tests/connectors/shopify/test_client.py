"""The Shopify client against the simulator, over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import pytest

from integrations import commerce
from integrations.connectors.shopify import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyNotFound,
    ShopifyThrottled,
    ShopifyUserError,
)
from integrations.connectors.shopify.bulk import reassemble
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from simulators.shopify.orders import OrderSpec, RefundSpec, build_order
from simulators.shopify.seed import SHIPPING, WELCOME10
from tests.fixtures.shopify import shopify_client_for


def test_shop_get(shopify_client):
    shop = shopify_client.shop_get()

    assert (shop.name, shop.currency_code, shop.iana_timezone) == ("Demo Shop", "SEK", "Europe/Stockholm")


def test_requests_use_the_pinned_api_version(shopify_client, shopify_server):
    shopify_client.shop_get()

    assert shopify_server.sim.api_versions == {SHOPIFY_API_VERSION}
    assert shopify_client.transport.served_api_version == SHOPIFY_API_VERSION


def test_orders_iter_follows_cursors_across_pages(shopify_client, shopify_server):
    orders = list(shopify_client.orders_iter())

    assert len(orders) == 30
    assert len({order.id for order in orders}) == 30
    # Six orders per page (the page size that fits the query-cost limit): five pages at least.
    assert shopify_client.stats.requests >= 5


def test_orders_iter_filters_by_updated_since(shopify_client):
    since = dt.datetime(2025, 3, 25, tzinfo=dt.UTC)

    orders = list(shopify_client.orders_iter(updated_since=since))

    assert orders
    assert all(order.updated_at >= since for order in orders)
    assert len(orders) < 30


def test_cross_border_refunded_order_is_mapped(shopify_client):
    (order,) = shopify_client.orders_by_names(["#1013"])

    assert (order.currency, order.presentment_currency) == ("SEK", "EUR")
    assert order.shipping_address.country_code == "DE"
    assert order.financial_status == "REFUNDED"
    assert order.line_items[0].sku == "1980-S"
    assert order.line_items[0].tax_lines[0].rate == Decimal("0.19")
    (refund,) = order.refunds
    assert refund.line_items[0].restock_type == "NO_RESTOCK"
    assert len(refund.shipping_lines) == 1
    assert refund.total_refunded.presentment.amount == order.total_price.presentment.amount
    assert refund.transactions[0].kind == "REFUND"


def test_order_get_with_gift_card_payment_and_discount(shopify_client):
    (by_name,) = shopify_client.orders_by_names(["#1009"])

    order = shopify_client.order_get(by_name.id)

    gateways = {tx.gateway: tx.amount.shop.amount for tx in order.transactions}
    assert gateways["gift_card"] == Decimal("500.00")
    assert sum(gateways.values()) == order.total_price.shop.amount


def test_order_get_completes_line_items_beyond_the_first_page(shopify_client, shopify_server):
    store = shopify_server.sim.store
    variants = [v for v in store.variants.values() if v["sku"]]
    big = build_order(
        store,
        OrderSpec(
            number=5000,
            created_at=dt.datetime(2025, 3, 31, tzinfo=dt.UTC),
            country="SE",
            currency="SEK",
            lines=[(variant, 1) for variant in variants[:14]],
            email="big@example.com",
        ),
    )

    order = shopify_client.order_get(big["id"])

    assert [line.sku for line in order.line_items] == [v["sku"] for v in variants[:14]]


def test_order_get_unknown_raises_not_found(shopify_client):
    with pytest.raises(ShopifyNotFound):
        shopify_client.order_get("gid://shopify/Order/1")


def test_orders_by_names(shopify_client):
    orders = shopify_client.orders_by_names(["#1001", "#1005", "#9999"])

    assert sorted(order.name for order in orders) == ["#1001", "#1005"]


def test_throttled_client_waits_and_succeeds(shopify_client, shopify_server):
    sim = shopify_server.sim
    assert sim.bucket.try_charge(990)  # someone else emptied the bucket

    orders = list(shopify_client.orders_iter())

    assert len(orders) == 30
    assert shopify_client.stats.waited_seconds > 0
    assert 1 <= sim.stats["throttled"] <= shopify_client.transport.max_throttle_retries


def test_throttled_beyond_the_retry_budget_raises(shopify_server):
    sim = shopify_server.sim
    sim.set_throttle(restore_rate=0.001)
    assert sim.bucket.try_charge(999)
    # A client whose waits do not move the simulator's clock: the bucket never refills.
    client = shopify_client_for(shopify_server, max_throttle_retries=2)
    client.transport._sleep = lambda seconds: None

    with pytest.raises(ShopifyThrottled):
        list(client.orders_iter())

    assert sim.stats["throttled"] == 3


def test_bulk_operation_backfills_orders(shopify_client, shopify_server):
    shopify_server.sim.generate_orders(200, seed=7)

    orders = list(shopify_client.bulk_orders())

    assert len(orders) == 230
    assert all(order.line_items for order in orders)
    by_name = {order.name: order for order in orders}
    assert by_name["#1002"].line_items[0].sku == "1900-S"
    assert by_name["#1003"].shipping_lines[0].code == "dhl-express"
    # A handful of requests, not one page per three orders.
    assert shopify_client.stats.requests < 10


def test_bulk_operation_with_a_search_filter(shopify_client):
    orders = list(shopify_client.bulk_orders("name:#1001 OR name:#1002"))

    assert sorted(order.name for order in orders) == ["#1001", "#1002"]


def test_bulk_orders_equal_the_paged_orders(shopify_client, shopify_server):
    """The order flow cannot tell a bulk backfill from paged reads: the same Order records."""
    sim = shopify_server.sim
    sim.generate_orders(60, seed=3)
    variants = [v for v in sim.store.variants.values() if v["sku"]]
    build_order(  # more line items than a page holds, a discount, two refunds in euros
        sim.store,
        OrderSpec(
            number=5001,
            created_at=dt.datetime(2025, 3, 30, tzinfo=dt.UTC),
            country="DE",
            currency="EUR",
            lines=[(variant, 1) for variant in variants[:14]],
            email="big@example.com",
            shipping=SHIPPING["EU"],
            discount=WELCOME10,
            refunds=[RefundSpec(lines=[(0, 1, "RETURN"), (3, 1, "NO_RESTOCK")]), RefundSpec(shipping=True)],
        ),
    )

    paged = {order.id: order for order in shopify_client.orders_iter()}
    requests_before = shopify_client.stats.requests
    bulk = list(shopify_client.bulk_orders())

    assert len(bulk) == len(paged) == 91
    assert {order.id: order for order in bulk} == paged  # dataclass equality, field by field
    # The comparison covers what the order flow maps.
    assert {order.presentment_currency for order in bulk} >= {"SEK", "EUR", "DKK"}
    assert any(order.discount_applications and order.line_items[0].discount_allocations for order in bulk)
    assert any(line.discount_allocations for order in bulk for line in order.shipping_lines)  # FREESHIP
    assert any(tx.gateway == "gift_card" for order in bulk for tx in order.transactions)
    assert any(line.is_gift_card for order in bulk for line in order.line_items)
    refunded = [order for order in bulk if order.refunds]
    assert any(refund.line_items for order in refunded for refund in order.refunds)
    assert any(refund.shipping_lines for order in refunded for refund in order.refunds)
    (big,) = [order for order in bulk if order.name == "#5001"]
    assert len(big.line_items) == 14 and len(big.refunds) == 2
    # The operation, two polls, the file; then one request for the refunded orders of each buffer
    # of 50 orders (up to ten orders' refunds per request), not one request per page of three.
    assert shopify_client.stats.requests - requests_before == 4 + 2


def test_bulk_orders_filter_by_creation_date(shopify_client):
    since = dt.datetime(2025, 3, 25, tzinfo=dt.UTC)

    orders = list(shopify_client.bulk_orders(created_since=since))

    assert orders and all(order.created_at >= since for order in orders)
    assert len(orders) < 30


def _bulk_lines(orders: int) -> list[str]:
    lines = []
    for number in range(1, orders + 1):
        lines.append(json.dumps({"id": f"gid://shopify/Order/{number}", "name": f"#{number}"}))
        for line in (1, 2):
            lines.append(
                json.dumps(
                    {
                        "__typename": "LineItem",
                        "id": f"gid://shopify/LineItem/{number}{line}",
                        "__parentId": f"gid://shopify/Order/{number}",
                    }
                )
            )
    return lines


@pytest.mark.parametrize("order", ["grouped", "children first", "shuffled"])
def test_bulk_result_is_reassembled_by_parent_id_whatever_the_line_order(order):
    # Since 2026-01 Shopify does not group children after their parent unless groupObjects: true.
    lines = _bulk_lines(200)
    if order == "children first":
        lines = [line for line in lines if "__parentId" in line] + [line for line in lines if "__parentId" not in line]
    if order == "shuffled":
        children = [line for line in lines if "__parentId" in line]
        random.Random(7).shuffle(children)
        lines = children[:150] + [line for line in lines if "__parentId" not in line] + children[150:]

    records = list(reassemble(line.encode() for line in lines))

    assert len(records) == 200
    for record in records:
        number = record["id"].rsplit("/", 1)[-1]
        assert sorted(item["id"] for item in record["lineItems"]) == [
            f"gid://shopify/LineItem/{number}1",
            f"gid://shopify/LineItem/{number}2",
        ]
        assert all("__parentId" not in item for item in record["lineItems"])


def test_bulk_result_with_an_orphan_child_is_refused():
    lines = _bulk_lines(2)[1:]  # the first order's own line is missing

    with pytest.raises(ShopifyError, match="parent"):
        list(reassemble(lines))


def test_orders_count(shopify_client):
    assert shopify_client.orders_count("created_at:>='2025-03-01T00:00:00Z'", limit=250) == 30
    assert shopify_client.orders_count(limit=5) == 5


def test_invalid_token_raises_auth_error_without_the_token(shopify_server):
    client = shopify_client_for(shopify_server, access_token="shpat_wrong_token_1234")

    with pytest.raises(ShopifyAuthError) as caught:
        client.shop_get()

    assert caught.value.status == 401
    assert "shpat_wrong_token_1234" not in str(caught.value)
    assert "shpat_wrong_token_1234" not in repr(client)


def test_unknown_shop_raises_not_found(shopify_server):
    client = shopify_client_for(shopify_server)
    client.transport.endpoint = client.endpoint.replace("demo-shop", "other-shop")

    with pytest.raises(ShopifyNotFound):
        client.shop_get()


def test_schema_validation_error_surfaces_with_its_message(shopify_client):
    with pytest.raises(ShopifyError) as caught:
        shopify_client.execute("query { shop { name noSuchField } }")

    assert "Cannot query field 'noSuchField' on type 'Shop'" in str(caught.value)


def test_connection_without_first_is_refused(shopify_client):
    with pytest.raises(ShopifyError, match="first or last"):
        shopify_client.execute("query { orders { edges { node { id } } } }")


def test_product_create_update_and_set_stock(shopify_client, shopify_server):
    created = shopify_client.product_create(
        commerce.ProductInput(
            title="OSLO Stool",
            status="DRAFT",
            variants=(
                commerce.VariantInput(
                    sku="2100-S", barcode="7310000000999", price=Decimal("899.00"), weight=Decimal("4.2")
                ),
            ),
        )
    )
    (variant,) = created.variants
    assert (variant.sku, variant.barcode, variant.price, variant.weight) == (
        "2100-S",
        "7310000000999",
        Decimal("899.00"),
        Decimal("4.2"),
    )

    updated = shopify_client.product_update(
        commerce.ProductInput(
            id=created.id, status="ACTIVE", variants=(commerce.VariantInput(id=variant.id, price=Decimal("949.00")),)
        )
    )
    assert updated.status == "ACTIVE"
    assert updated.variants[0].price == Decimal("949.00")

    location = shopify_client.locations_list()[0]
    change = commerce.InventoryChange(inventory_item_id=variant.inventory_item_id, location_id=location.id, quantity=12)
    shopify_client.inventory_set_quantities([change], idempotency_key="stock-run-1")
    levels = {lvl.inventory_item_id: lvl for lvl in shopify_client.inventory_levels_iter(location.id)}
    assert levels[variant.inventory_item_id].available == 12


def test_inventory_retry_with_the_same_key_is_applied_once(shopify_client, shopify_server):
    location = shopify_client.locations_list()[0]
    item_id = next(iter(shopify_server.sim.store.inventory_items))
    level = shopify_server.sim.store.inventory_level(item_id, location.id)
    change = commerce.InventoryChange(
        inventory_item_id=item_id,
        location_id=location.id,
        quantity=5,
        change_from_quantity=level["_quantities"]["available"],
    )

    first = shopify_client.inventory_set_quantities([change], idempotency_key="run-7")
    # The answer was lost: the same request again (same content, so the same @idempotent key).
    again = shopify_client.inventory_set_quantities([change], idempotency_key="run-7")

    assert first == again
    assert len(shopify_server.sim.store.adjustment_groups) == 1
    assert shopify_server.sim.stats["idempotent_replays"] == 1


def test_user_errors_raise(shopify_client):
    with pytest.raises(ShopifyUserError) as caught:
        shopify_client.product_create(commerce.ProductInput(title=" "))

    assert caught.value.user_errors[0]["field"] == ["title"]

    with pytest.raises(ShopifyUserError, match="inventoryItemId"):
        shopify_client.inventory_set_quantities(
            [commerce.InventoryChange(inventory_item_id="gid://shopify/InventoryItem/1", location_id="x", quantity=1)],
            idempotency_key="bad",
        )


def test_payouts_and_their_balance_transactions(shopify_client):
    payouts = list(shopify_client.payouts_iter(since=dt.date(2025, 3, 1)))

    assert [p.status for p in payouts] == ["PAID", "PAID", "IN_TRANSIT"]
    first = payouts[0]
    transactions = shopify_client.payout_balance_transactions(first.id)
    assert sum(bt.net.amount for bt in transactions if bt.type != "TRANSFER") == first.net.amount
    transfer = next(bt for bt in transactions if bt.type == "TRANSFER")  # the payout's own row
    assert (transfer.net.amount, transfer.source_type) == (-first.net.amount, "TRANSFER")
    types = {bt.type for bt in transactions}
    assert {"CHARGE", "RESERVED_FUNDS"} <= types
    charge = next(bt for bt in transactions if bt.type == "CHARGE")
    assert charge.order_name.startswith("#") and charge.source_type == "CHARGE"
    assert charge.fee.amount > 0 and charge.net.amount == charge.amount.amount - charge.fee.amount
    assert all(bt.payout_id == first.id for bt in transactions)


def test_payouts_since_filters(shopify_client):
    payouts = list(shopify_client.payouts_iter(since=dt.date(2025, 3, 25)))

    assert [p.status for p in payouts] == ["IN_TRANSIT"]


def test_customers_and_products(shopify_client):
    customers = list(shopify_client.customers_iter())
    products = list(shopify_client.products_iter())

    assert {c.default_address.country_code for c in customers} == {"SE", "DE", "FI", "DK", "FR", "NL"}
    skus = {v.sku for p in products for v in p.variants if v.sku}
    assert {"1896-S", "2000-S", "1953-W"} <= skus
    assert len(skus) == 16


def test_webhook_subscribe(shopify_client, shopify_server):
    subscription = shopify_client.webhook_subscribe("orders/create", "https://app.example/hooks/shopify/1/")

    assert subscription.topic == "ORDERS_CREATE"
    assert list(shopify_server.sim.store.webhook_subscriptions) == [subscription.id]
    with pytest.raises(ShopifyUserError, match="already been taken"):
        shopify_client.webhook_subscribe("orders/create", "https://app.example/hooks/shopify/1/")
