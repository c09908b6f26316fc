"""The Shopify simulator on its own: schema validation, cost, throttling, seed, bulk, webhooks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import requests

from integrations.connectors.shopify import webhook_verify
from integrations.connectors.shopify.queries import bulk_orders_query
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from simulators.inprocess import WSGIAdapter
from simulators.shopify import ShopifySimulator
from simulators.shopify.search import parse
from simulators.shopify.seed import CATALOGUE, gtin

ENDPOINT = f"http://shop.sim/demo-shop.myshopify.com/admin/api/{SHOPIFY_API_VERSION}/graphql.json"


def _session(sim) -> requests.Session:
    session = requests.Session()
    session.mount("http://shop.sim", WSGIAdapter(sim))
    return session


def _post(sim, query, variables=None, token="shpat_test"):
    return _session(sim).post(
        ENDPOINT, json={"query": query, "variables": variables or {}}, headers={"X-Shopify-Access-Token": token}
    )


def test_bad_token_is_401():
    sim = ShopifySimulator()

    response = _post(sim, "{ shop { name } }", token="nope")

    assert response.status_code == 401
    assert "Invalid API key or access token" in response.json()["errors"]


def test_every_answer_carries_the_cost_extension():
    sim = ShopifySimulator()

    body = _post(sim, "{ shop { name } }").json()

    assert body["data"]["shop"]["name"] == "Demo Shop"
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1
    assert cost["throttleStatus"] == {"maximumAvailable": 1000.0, "currentlyAvailable": 999, "restoreRate": 50.0}


def test_requested_cost_follows_the_documented_rule_and_actual_is_refunded():
    sim = ShopifySimulator()
    query = "{ orders(first: 10) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }"

    cost = sim.graphql(query)["extensions"]["cost"]

    # connection 2 + 10 x (order 1 + MoneyBag 1 + MoneyV2 1)
    assert cost["requestedQueryCost"] == 32
    assert cost["actualQueryCost"] == 32
    few = sim.graphql('{ orders(first: 10, query: "name:#1001") { edges { node { id } } } }')["extensions"]["cost"]
    assert (few["requestedQueryCost"], few["actualQueryCost"]) == (12, 3)


def test_query_over_the_available_cost_is_throttled_until_the_bucket_refills():
    sim = ShopifySimulator()
    sim.set_throttle(maximum=100, restore_rate=10)
    query = "{ orders(first: 20) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }"  # 62

    assert "errors" not in sim.graphql(query)
    throttled = sim.graphql(query)
    sim.clock.advance(10)  # +100 points, capped at the maximum
    again = sim.graphql(query)

    assert throttled["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert throttled["extensions"]["cost"]["requestedQueryCost"] == 62
    assert "errors" not in again
    assert sim.stats["throttled"] == 1


def test_query_over_the_single_query_limit_is_refused():
    sim = ShopifySimulator()

    body = sim.graphql("{ orders(first: 250) { edges { node { lineItems(first: 250) { edges { node { id } } } } } } }")

    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


@pytest.mark.parametrize(("plan", "maximum", "restore"), [("standard", 2000.0, 100.0), ("plus", 20000.0, 1000.0)])
def test_a_plans_budget_restores_at_its_documented_rate_and_still_caps_one_query_at_1000(plan, maximum, restore):
    sim = ShopifySimulator()
    sim.set_plan(plan)
    query = "{ orders(first: 10) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }"  # 32

    status = sim.graphql(query)["extensions"]["cost"]["throttleStatus"]
    too_big = sim.graphql("{ orders(first: 40) { edges { node { lineItems(first: 25) { edges { node { id } } } } } } }")

    assert (status["maximumAvailable"], status["restoreRate"]) == (maximum, restore)
    assert too_big["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"  # 2 + 40 x 28 = 1,122 requested
    assert (sim.stats["points_requested"], sim.stats["points_actual"]) == (32, 32)


def test_queries_are_validated_against_the_schema():
    sim = ShopifySimulator()

    body = sim.graphql("{ orders(first: 1) { edges { node { id madeUp } } } }")

    assert "Cannot query field 'madeUp' on type 'Order'" in body["errors"][0]["message"]
    assert "data" not in body


def test_seed_is_deterministic_and_catalogue_matches_documented_gtins():
    first, second = ShopifySimulator(seed=42), ShopifySimulator(seed=42)

    assert json.dumps(first.graphql(_ORDER_TOTALS)["data"]) == json.dumps(second.graphql(_ORDER_TOTALS)["data"])
    variants = {v["sku"]: v["barcode"] for v in first.store.variants.values() if v["sku"]}
    assert variants == {sku: gtin(i) for i, (sku, *_rest) in enumerate(CATALOGUE, start=1)}


_ORDER_TOTALS = "{ orders(first: 30) { edges { node { name totalPriceSet { shopMoney { amount } } } } } }"


def test_seeded_orders_are_internally_consistent_in_both_currencies():
    sim = ShopifySimulator()
    sim.generate_orders(50, seed=3)

    for order in sim.store.orders.values():
        for side in ("shopMoney", "presentmentMoney"):
            lines = sum(
                Decimal(line["_net"].s if side == "shopMoney" else line["_net"].p) for line in order["lineItems"]
            )
            shipping = sum(Decimal(s["discountedPriceSet"][side]["amount"]) for s in order["shippingLines"])
            assert Decimal(order["subtotalPriceSet"][side]["amount"]) == lines
            assert Decimal(order["totalPriceSet"][side]["amount"]) == lines + shipping


def test_seed_covers_the_scenarios_flows_need():
    sim = ShopifySimulator()
    orders = {o["name"]: o for o in sim.store.orders.values()}

    assert orders["#1011"]["test"] is True
    assert orders["#1010"]["displayFinancialStatus"] == "PENDING"
    assert orders["#1008"]["lineItems"][0]["isGiftCard"] is True
    assert {o["presentmentCurrencyCode"] for o in orders.values()} >= {"SEK", "EUR", "DKK"}
    restock_types = {r["restockType"] for o in orders.values() for f in o["refunds"] for r in f["refundLineItems"]}
    assert restock_types >= {"RETURN", "NO_RESTOCK"}
    types = {bt["type"] for bt in sim.store.balance_transactions.values()}
    assert types == {"CHARGE", "REFUND", "ADJUSTMENT", "RESERVED_FUNDS", "TRANSFER"}
    statuses = sorted(p["status"] for p in sim.store.payouts.values())
    assert statuses == ["IN_TRANSIT", "PAID", "PAID"]


def test_search_syntax():
    groups = parse("updated_at:>='2025-03-01T00:00:00Z' name:#1001 OR name:\"#1002\" test:false")

    assert groups == [
        [("updated_at", ">=", "2025-03-01T00:00:00Z")],
        [("name", "=", "#1001"), ("name", "=", "#1002")],
        [("test", "=", "false")],
    ]


@pytest.mark.parametrize("group_objects", [True, False])
def test_bulk_operation_writes_jsonl_with_parent_ids(group_objects):
    sim = ShopifySimulator(bulk_polls=1)
    session = _session(sim)
    query = '{ orders(query: "name:#1002") { edges { node { id name lineItems { edges { node { id sku } } } } } } }'
    run = sim.graphql(
        "mutation($q: String!, $g: Boolean!) { bulkOperationRunQuery(query: $q, groupObjects: $g) { "
        "bulkOperation { id status } userErrors { message } } }",
        {"q": query, "g": group_objects},
        base_url="http://shop.sim",
    )
    op_id = run["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
    poll = "query($id: ID!) { node(id: $id) { ... on BulkOperation { status url objectCount } } }"

    assert sim.graphql(poll, {"id": op_id})["data"]["node"]["status"] == "RUNNING"
    done = sim.graphql(poll, {"id": op_id})["data"]["node"]
    lines = [json.loads(line) for line in session.get(done["url"]).text.splitlines()]

    assert done["status"] == "COMPLETED"
    if not group_objects:  # Shopify's default since 2026-01: no grouping; the simulator puts children first
        lines = lines[-1:] + lines[:-1]
    assert lines[0]["name"] == "#1002" and "lineItems" not in lines[0]
    assert [line["sku"] for line in lines[1:]] == ["1900-S", "1928-S", "1996-S"]
    assert {line["__parentId"] for line in lines[1:]} == {lines[0]["id"]}
    assert done["objectCount"] == len(lines) == 4


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        (
            "{ orders { edges { node { id refunds { id refundLineItems { edges { node { quantity } } } } } } } }",
            "refundLineItems is inside a list field",
        ),
        (
            "{ products { edges { node { id variants { edges { node { id inventoryItem { id "
            "inventoryLevels { edges { node { id } } } } } } } } } } }",
            "inventoryLevels is nested more than two levels deep",
        ),
        (
            "{ orders { edges { node { id lineItems { edges { node { id } } } shippingLines { edges { node { id } } } "
            "discountApplications { edges { node { index } } } a: lineItems { edges { node { sku } } } "
            "b: shippingLines { edges { node { code } } } } } } }",
            "6 connections (at most 5)",
        ),
    ],
)
def test_bulk_queries_beyond_shopifys_restrictions_are_refused(query, problem):
    sim = ShopifySimulator(bulk_polls=1)
    run = sim.graphql(
        "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } "
        "userErrors { message code } } }",
        {"q": query},
    )["data"]["bulkOperationRunQuery"]

    assert run["bulkOperation"] is None
    assert run["userErrors"][0]["code"] == "INVALID" and problem in run["userErrors"][0]["message"]


def test_the_connectors_bulk_orders_query_is_accepted():
    sim = ShopifySimulator(bulk_polls=1)
    run = sim.graphql(
        "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }",
        {"q": bulk_orders_query("created_at:>='2025-03-01T00:00:00Z'")},
    )["data"]["bulkOperationRunQuery"]

    assert run["userErrors"] == [] and run["bulkOperation"]["id"]


def test_a_second_bulk_operation_while_one_runs_is_a_user_error():
    sim = ShopifySimulator(bulk_polls=5)
    mutation = (
        'mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") { userErrors { message } } }'
    )

    assert sim.graphql(mutation)["data"]["bulkOperationRunQuery"]["userErrors"] == []
    errors = sim.graphql(mutation)["data"]["bulkOperationRunQuery"]["userErrors"]

    assert "already in progress" in errors[0]["message"]


def test_webhook_delivery_is_signed_with_shopify_headers():
    sim = ShopifySimulator()
    received = {}

    def endpoint(environ, start_response):
        received["body"] = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        received["headers"] = {k: v for k, v in environ.items() if k.startswith("HTTP_X_SHOPIFY")}
        start_response("200 OK", [])
        return [b""]

    session = requests.Session()
    session.mount("http://merchant.test", WSGIAdapter(endpoint))
    order_id = next(iter(sim.store.orders))
    payload = sim.webhooks.order_payload(order_id)

    response = sim.webhooks.deliver("orders/create", payload, "http://merchant.test/hook", "s3cret", session=session)

    assert response.status_code == 200
    headers = received["headers"]
    assert headers["HTTP_X_SHOPIFY_TOPIC"] == "orders/create"
    assert headers["HTTP_X_SHOPIFY_SHOP_DOMAIN"] == "demo-shop.myshopify.com"
    assert headers["HTTP_X_SHOPIFY_API_VERSION"] and headers["HTTP_X_SHOPIFY_WEBHOOK_ID"]
    assert webhook_verify(
        raw_body=received["body"], hmac_header=headers["HTTP_X_SHOPIFY_HMAC_SHA256"], secret="s3cret", max_bytes=100_000
    )
    assert json.loads(received["body"])["admin_graphql_api_id"] == order_id


@pytest.mark.parametrize(
    ("version", "status", "served"),
    [
        ("2026-10", 200, "2026-10"),  # the version the simulator holds
        ("2025-07", 200, "2026-10"),  # past support: the oldest supported version answers (Shopify falls forward)
        ("2099-01", 404, None),  # not released (assumption: Shopify's answer is not documented)
        ("unstable", 404, None),  # the simulator has no unstable schema
    ],
)
def test_api_versions_are_served_as_shopify_does(version, status, served):
    sim = ShopifySimulator()
    answer = _session(sim).post(
        f"http://shop.sim/demo-shop.myshopify.com/admin/api/{version}/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": "shpat_test"},
    )

    assert answer.status_code == status
    assert answer.headers.get("X-Shopify-API-Version") == served


def test_orders_edited_body_is_an_order_edit():
    sim = ShopifySimulator()
    order_id = next(iter(sim.store.orders))
    line = sim.store.orders[order_id]["lineItems"][0]["id"]

    body = sim.webhooks.order_edit_payload(order_id, added=[(line, 1)], removed=[(line, -1)])

    edit = body["order_edit"]
    assert set(body) == {"order_edit"} and edit["order_id"] == int(order_id.rsplit("/", 1)[-1])
    assert edit["line_items"]["additions"] == [{"id": int(line.rsplit("/", 1)[-1]), "delta": 1}]
