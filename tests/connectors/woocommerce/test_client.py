"""The WooCommerce client against the simulator served over HTTPS on loopback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.http import RetryPolicy
from integrations.connectors.woocommerce import (
    StockUpdate,
    WooAuthError,
    WooCommerceClient,
    WooError,
    WooInsecureStoreUrl,
    WooNotFound,
    WooPagingLimitExceeded,
    WooResponseError,
    WooServerError,
    WooThrottled,
    WooTransportError,
    WooValidationError,
)
from tests.fixtures.woocommerce import CONSUMER_SECRET, woo_client_for


def _get_queries(sim, path_end: str) -> list[dict]:
    return [query for method, path, query, _ in sim.requests if method == "GET" and path.endswith(path_end)]


def test_orders_are_read_page_by_page_until_the_last_page(woo_server):
    client = woo_client_for(woo_server, per_page=3)

    numbers = [order.number for order in client.orders_iter()]

    assert numbers == [str(n) for n in range(1001, 1009)]
    queries = _get_queries(woo_server.sim, "/orders")
    assert [q["page"] for q in queries] == [["1"], ["2"], ["3"]]  # X-WP-TotalPages = 3 stops the loop
    assert {(q["per_page"][0], q["orderby"][0], q["order"][0]) for q in queries} == {("3", "id", "asc")}
    assert client.stats.requests == 3


def test_modified_window_is_sent_in_utc_with_dates_are_gmt(woo_server, woo_client):
    since = dt.datetime(2026, 11, 6, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # 09:30 UTC

    numbers = [order.number for order in woo_client.orders_iter(modified_after=since)]

    (query,) = _get_queries(woo_server.sim, "/orders")
    assert (query["modified_after"], query["dates_are_gmt"]) == (["2026-11-06T09:30:00"], ["true"])
    # 1005 was created on the 6th at 10:00 UTC; 1006-1008 later. The site-time field would say 11:00.
    assert numbers == ["1005", "1006", "1007", "1008"]


def test_created_window_and_statuses(woo_server, woo_client):
    orders = list(woo_client.orders_iter(after=dt.datetime(2026, 11, 3, tzinfo=dt.UTC), statuses=["processing"]))

    assert [o.number for o in orders] == ["1003", "1004", "1008"]
    assert _get_queries(woo_server.sim, "/orders")[0]["status"] == ["processing"]


def test_order_fields_are_typed(woo_client):
    order = woo_client.order_get(1002)

    assert (order.status, order.currency, order.prices_include_tax) == ("completed", "SEK", True)
    assert order.date_created == dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)  # from date_created_gmt
    lamp = order.line_items[0]
    assert (lamp.sku, lamp.quantity, lamp.subtotal, lamp.total, lamp.total_tax) == (
        "1928-S",
        2,
        Decimal("958.40"),
        Decimal("862.56"),
        Decimal("215.64"),
    )
    chair = order.line_items[1]
    assert chair.variation_id and chair.product_id != chair.variation_id
    assert order.coupon_lines[0].code == "welcome10"
    assert order.shipping_lines[0].method_id == "flat_rate" and order.shipping_lines[0].instance_id == "1"
    assert order.total == sum((li.total + li.total_tax for li in order.line_items), Decimal(0)) + Decimal("49.00")


def test_orders_by_ids_leaves_missing_ids_out(woo_client):
    assert [o.id for o in woo_client.orders_by_ids([1004, 1001, 999999])] == [1001, 1004]


def test_missing_order_is_not_found_with_woocommerces_code(woo_client):
    with pytest.raises(WooNotFound) as caught:
        woo_client.order_get(999999)
    assert (caught.value.code, caught.value.status) == ("woocommerce_rest_shop_order_invalid_id", 404)


def test_refunds_are_read_with_negative_lines_and_the_refunded_item(woo_client):
    (refund,) = woo_client.refunds_list(1005)
    order = woo_client.order_get(1005)

    assert (refund.amount, refund.reason, refund.refunded_payment) == (
        Decimal("2490.00"),
        "Returned: wrong colour",
        True,
    )
    (line,) = refund.line_items
    assert (line.quantity, line.total, line.total_tax) == (-1, Decimal("-1992.00"), Decimal("-498.00"))
    assert line.refunded_item_id == order.line_items[0].id
    assert order.refunds[0].total == Decimal("-2490.00")
    assert woo_client.refund_get(1005, refund.id).id == refund.id


def test_customers_products_and_variations(woo_client):
    (anna,) = list(woo_client.customers_iter(email="anna@example.se"))
    assert (anna.id, anna.billing.country, anna.role) == (2, "SE", "customer")
    assert woo_client.customer_get(3).billing.city == "Berlin"

    products = {p.sku: p for p in woo_client.products_iter()}
    chair = products["GUEST-CHAIR"]
    assert chair.is_variable and len(chair.variation_ids) == 4
    variations = list(woo_client.variations_iter(chair.id))
    assert {v.sku: v.attributes[0].option for v in variations}["1936-S"] == "Yellow"
    assert all(v.product_id == chair.id and v.manage_stock for v in variations)
    assert [p.sku for p in woo_client.products_iter(sku="1928-S")] == ["1928-S"]


def test_wrong_secret_is_an_auth_error_without_the_secret(woo_server):
    client = woo_client_for(woo_server, consumer_secret="cs_wrong_secret")

    with pytest.raises(WooAuthError) as caught:
        list(client.orders_iter())
    assert (caught.value.code, caught.value.status) == ("woocommerce_rest_authentication_error", 401)
    assert "cs_wrong_secret" not in str(caught.value) and CONSUMER_SECRET not in str(caught.value)
    assert client.stats.requests == 1  # never retried


def test_plain_http_store_url_is_refused_before_sending():
    with pytest.raises(WooInsecureStoreUrl):
        WooCommerceClient(store_url="http://shop.example.se", consumer_key="ck", consumer_secret="cs")


def test_simulator_refuses_credentials_over_plain_http(woo_server, woo_client):
    woo_server.sim.https = False  # as WooCommerce: basic auth is not tried without TLS

    with pytest.raises(WooAuthError) as caught:
        woo_client.order_get(1001)
    assert caught.value.code == "woocommerce_rest_cannot_view"


def test_unavailable_store_is_retried_honouring_retry_after(woo_server, woo_client):
    woo_server.sim.fail_next(503, times=2, retry_after="7")
    before = woo_server.sim.clock.now()

    assert woo_client.order_get(1001).id == 1001

    assert (woo_client.stats.requests, woo_client.stats.retries) == (3, 2)
    assert woo_server.sim.clock.now() - before == dt.timedelta(seconds=14)


def test_throttling_past_the_budget_raises_throttled(woo_server):
    client = woo_client_for(woo_server, retry_policy=RetryPolicy(max_attempts=3, max_seconds=600, base_delay=1))
    woo_server.sim.fail_next(429, times=5)

    with pytest.raises(WooThrottled):
        client.order_get(1001)
    assert (client.stats.requests, client.stats.throttled) == (3, 2)


def test_server_error_500_is_not_retried(woo_server, woo_client):
    woo_server.sim.fail_next(500)

    with pytest.raises(WooServerError):
        woo_client.order_get(1001)
    assert woo_client.stats.requests == 1


def test_paging_cap_refuses_instead_of_truncating(woo_server):
    client = woo_client_for(woo_server, per_page=2, max_pages=3)

    with pytest.raises(WooPagingLimitExceeded):
        list(client.orders_iter())


def test_stock_update_sets_simple_products_and_variations(woo_server, woo_client):
    products = {p.sku: p for p in woo_client.products_iter()}
    chair = products["GUEST-CHAIR"]
    yellow = next(v for v in woo_client.variations_iter(chair.id) if v.sku == "1936-S")

    results = woo_client.stock_update(
        [
            StockUpdate(product_id=products["1928-S"].id, quantity=0),
            StockUpdate(product_id=chair.id, variation_id=yellow.id, quantity=25),
        ]
    )

    assert [(r.id, r.stock_quantity, r.ok) for r in results] == [
        (products["1928-S"].id, 0, True),
        (yellow.id, 25, True),
    ]
    assert woo_client.product_get(products["1928-S"].id).stock_status == "outofstock"
    assert woo_server.sim.store.variations[yellow.id]["stock_quantity"] == 25
    writes = [(path, body) for method, path, _, body in woo_server.sim.requests if method == "POST"]
    assert [path for path, _ in writes] == [
        "/wp-json/wc/v3/products/batch",
        f"/wp-json/wc/v3/products/{chair.id}/variations/batch",
    ]
    assert writes[0][1] == {"update": [{"id": products["1928-S"].id, "manage_stock": True, "stock_quantity": 0}]}


def test_stock_update_reports_a_refused_item_and_updates_the_others(woo_server, woo_client):
    lamp = next(woo_client.products_iter(sku="1928-S"))

    results = woo_client.stock_update(
        [StockUpdate(product_id=424242, quantity=3), StockUpdate(product_id=lamp.id, quantity=7)]
    )

    assert (results[0].ok, results[0].error_code) == (False, "woocommerce_rest_product_invalid_id")
    assert (results[1].ok, results[1].stock_quantity) == (True, 7)


def test_stock_batches_hold_at_most_100_items(woo_server, woo_client):
    lamp = next(woo_client.products_iter(sku="1928-S"))

    results = woo_client.stock_update([StockUpdate(product_id=lamp.id, quantity=n) for n in range(150)])

    assert len(results) == 150 and results[-1].stock_quantity == 149
    assert [len(body["update"]) for m, _, _, body in woo_server.sim.requests if m == "POST"] == [100, 50]


def test_stock_write_with_a_read_only_key_is_an_auth_error(woo_server, woo_client):
    woo_server.sim.permissions = "read"

    with pytest.raises(WooAuthError) as caught:
        woo_client.stock_update([StockUpdate(product_id=1, quantity=1)])
    assert "write permissions" in caught.value.message


def test_stock_of_a_variable_product_is_refused_per_item(woo_server, woo_client):
    chair = next(p for p in woo_client.products_iter() if p.is_variable)

    (result,) = woo_client.stock_update([StockUpdate(product_id=chair.id, quantity=3)])

    assert result.error_code == "woocommerce_rest_invalid_product_type"


def test_simulator_refuses_more_than_100_batch_items(woo_server, woo_client):
    with pytest.raises(WooValidationError) as caught:
        woo_client._batch("products/batch", [StockUpdate(product_id=1, quantity=1)] * 101)
    assert (caught.value.code, caught.value.status) == ("woocommerce_rest_request_entity_too_large", 413)


def test_idempotent_stock_batch_is_resent_after_a_gateway_error(woo_server, woo_client):
    lamp = next(woo_client.products_iter(sku="1928-S"))
    woo_server.sim.fail_next(502, path="/batch")

    (result,) = woo_client.stock_update([StockUpdate(product_id=lamp.id, quantity=11)])

    assert result.stock_quantity == 11 and woo_client.stats.retries == 1


def test_a_plugin_page_instead_of_json_is_a_response_error(woo_server, woo_client):
    woo_server.sim.fail_next(200, page="<html>Checking your browser...</html>")

    with pytest.raises(WooResponseError):
        woo_client.order_get(1001)


def test_a_redirect_is_never_followed_with_the_credentials(woo_server, woo_client):
    woo_server.sim.fail_next(301, location="https://elsewhere.example/wp-login.php")

    with pytest.raises(WooError) as caught:
        woo_client.order_get(1001)
    assert caught.value.status == 301 and woo_client.stats.requests == 1


def test_an_unreachable_store_is_retried_then_a_transport_error(woo_server):
    client = woo_client_for(woo_server)
    client._transport.store_url = client.store_url = "https://127.0.0.1:9"  # nothing listens on port 9

    with pytest.raises(WooTransportError):
        client.order_get(1001)
    assert client.stats.requests == 4  # every attempt of the policy


def test_neither_secret_nor_key_reaches_the_logs(woo_server, caplog):
    client = woo_client_for(woo_server, consumer_secret="cs_wrong_secret")
    woo_server.sim.fail_next(503)

    with caplog.at_level("DEBUG", logger="integrations.connectors.woocommerce"), pytest.raises(WooAuthError):
        list(client.orders_iter(modified_after=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))

    assert caplog.records
    text = caplog.text
    assert "cs_wrong_secret" not in text and "ck_" not in text and "modified_after" not in text


def test_orders_count_reads_the_total_header(woo_server, woo_client):
    assert woo_client.orders_count() == 8
    assert woo_client.orders_count(after=dt.datetime(2026, 11, 5, tzinfo=dt.UTC)) == 5  # 1004..1008
    assert woo_client.stats.requests == 2
