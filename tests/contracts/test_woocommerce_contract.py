"""The WooCommerce connector and simulator against the vendor reference (woocommerce-rest-v3.json).

- Every request the connector makes (recorded by the simulator while the client runs each of its
  operations) uses a route and method the reference lists, and only query parameters and enum
  values the reference declares for that route.
- Every key the connector's parsers read exists in the reference schema (or in the keys the
  reference says responses carry); every key it writes exists and is not read-only.
- The simulator serves a subset: every key it renders, every enum value, query parameter,
  read-only flag, error shape, paging header, webhook header and topic exists in the reference.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from typing import Any

import pytest

from integrations.connectors.woocommerce import (
    ProductWrite,
    StockUpdate,
    VariationWrite,
    WooCommerceShop,
    webhook_ping,
    webhooks,
)
from integrations.connectors.woocommerce import client as woo_client_module
from integrations.connectors.woocommerce import payloads as woo_payloads
from integrations.connectors.woocommerce.records import (
    WooCustomer,
    WooOrder,
    WooProduct,
    WooRefund,
    WooVariation,
)
from simulators.woocommerce import app as sim_app
from simulators.woocommerce import schema as sim_schema
from tests.contracts.reference import load_json

REF = load_json("woocommerce-rest-v3.json")
RESOURCES = REF["resources"]
# Refund responses carry shipping lines that the schema does not declare (reference response_note):
# they are built from the refund's items like an order's shipping lines.
UNDECLARED_NESTED = {("order_refunds", "shipping_lines"): ("orders", "shipping_lines")}
# Error codes the simulator answers that the reference's list does not name, with the reason.
SIM_CODES_OUTSIDE_REFERENCE = {
    "rest_no_route": "WordPress core: unknown route",
    "rest_invalid_param": "WordPress core: parameter validation",
    "rest_invalid_json": "WordPress core: unparsable body",
    "woocommerce_rest_invalid_id": "customers v1 controller (not transcribed): unknown customer id",
    "woocommerce_rest_invalid_product_type": "assumption: stock of a variable product is refused",
    "sim_fault": "test control: injected faults",
    "sim_unsupported": "simulator: batch create/delete not simulated",
    "rest_missing_callback_param": "WordPress core: a required route argument is missing",
    # WC_REST_Order_Notes_Controller (v3) create_item: its own code, without the post type's "shop_"
    "woocommerce_rest_order_invalid_id": "order notes controller: a note for an unknown order",
    # WC_REST_Webhooks_V1_Controller (post type shop_webhook; /webhooks is not in the reference file)
    "woocommerce_rest_shop_webhook_invalid_id": "webhooks controller: unknown webhook id",
    "woocommerce_rest_shop_webhook_invalid_topic": "webhooks controller: topic missing or not valid",
    "woocommerce_rest_shop_webhook_invalid_delivery_url": "webhooks controller: delivery URL not http(s)",
    "woocommerce_rest_shop_webhook_exists": "webhooks controller: create with an id",
    # WC_REST_Setting_Options_V2_Controller (/settings/<group>/<id> is not in the reference file)
    "rest_setting_setting_group_invalid": "settings controller: unknown settings group",
    "rest_setting_setting_invalid": "settings controller: unknown setting in the group",
}


# --- the reference, as look-ups -------------------------------------------------------------------


def _route_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{[a-z_]+\}", r"\\d+", template) + "$")


ROUTES = [
    (name, route, _route_regex(route["path"])) for name, resource in RESOURCES.items() for route in resource["routes"]
]


def route_for(path: str) -> tuple[str, dict]:
    wc_path = path.removeprefix("/wp-json")
    matches = [(name, route) for name, route, regex in ROUTES if regex.match(wc_path)]
    assert matches, f"{path} is not a route in the reference"
    return matches[0]


def schema_at(resource: str, trail: tuple[str, ...]) -> dict[str, Any]:
    """The properties at ``trail`` (keys of nested objects / arrays of objects) under ``resource``."""
    properties = RESOURCES[resource]["properties"]
    for depth, key in enumerate(trail):
        prop = properties.get(key)
        if prop is None and depth == 0 and (resource, key) in UNDECLARED_NESTED:
            other, other_key = UNDECLARED_NESTED[(resource, key)]
            prop = RESOURCES[other]["properties"][other_key]
        assert prop is not None, f"{resource}: {'.'.join(trail[: depth + 1])} is not in the reference"
        inner = prop.get("items") if prop.get("type") == "array" else prop
        properties = inner.get("properties", {}) if isinstance(inner, dict) else {}
    return properties


def declared_keys(resource: str, trail: tuple[str, ...]) -> set[str]:
    keys = set(schema_at(resource, trail))
    if not trail:
        keys |= set(
            RESOURCES[resource].get("response_keys") or RESOURCES[resource].get("response_keys_allowlist") or []
        )
    return keys


# --- what the connector reads: dicts that record every key asked for ------------------------------


class Recorder(dict):
    def __init__(self, data: dict, trail: tuple[str, ...], seen: set) -> None:
        super().__init__(data)
        self._trail, self._seen = trail, seen

    def _wrap(self, key: str, value: Any) -> Any:
        if isinstance(value, dict):
            return Recorder(value, (*self._trail, key), self._seen)
        if isinstance(value, list):
            return [Recorder(v, (*self._trail, key), self._seen) if isinstance(v, dict) else v for v in value]
        return value

    def get(self, key, default=None):
        self._seen.add((self._trail, key))
        return self._wrap(key, super().get(key, default))

    def __getitem__(self, key):
        self._seen.add((self._trail, key))
        return self._wrap(key, super().__getitem__(key))


def _reads(parse, data: dict) -> set[tuple[tuple[str, ...], str]]:
    seen: set = set()
    parse(Recorder(data, (), seen))
    return seen


@pytest.mark.parametrize(
    ("resource", "parse", "sample"),
    [
        ("orders", WooOrder.from_json, lambda sim: sim_app.render_order(sim.store.orders[1002])),
        ("orders", WooOrder.from_json, lambda sim: sim_app.render_order(sim.store.orders[1005])),
        (
            "order_refunds",
            lambda data: WooRefund.from_json(data, order_id=1005),
            lambda sim: sim_app.render_refund(next(iter(sim.store.refunds.values()))),
        ),
        ("customers", WooCustomer.from_json, lambda sim: sim_app.render_customer(sim.store.customers[2])),
        ("products", WooProduct.from_json, lambda sim: sim_app.render_product(next(iter(sim.store.products.values())))),
        (
            "product_variations",
            WooVariation.from_json,
            lambda sim: sim_app.render_variation(next(iter(sim.store.variations.values()))),
        ),
    ],
    ids=["order", "order-with-refund", "refund", "customer", "product", "variation"],
)
def test_every_field_the_connector_reads_is_in_the_reference(woo_sim, resource, parse, sample):
    reads = _reads(parse, sample(woo_sim))

    missing = sorted(
        f"{'.'.join(trail) or '(top)'}: {key}" for trail, key in reads if key not in declared_keys(resource, trail)
    )
    assert missing == []
    assert len(reads) > 10  # the recorder saw the parser at work


def test_a_field_outside_the_reference_would_be_caught(woo_sim):
    def parse(data):
        data.get("rate_percent")  # what a newer store sends on tax lines; not in the v3 reference

    reads = _reads(parse, {"rate_percent": "25"})
    assert [key for trail, key in reads if key not in declared_keys("orders", trail)] == ["rate_percent"]


# --- what the connector sends ---------------------------------------------------------------------


def _exercise(client) -> None:
    since = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    list(client.orders_iter(modified_after=since, modified_before=since + dt.timedelta(days=60)))
    list(client.orders_iter(after=since, before=since + dt.timedelta(days=60), statuses=["processing", "completed"]))
    client.orders_count(after=since)
    client.orders_by_ids([1001, 1002])
    client.order_get(1005)
    refunds = client.refunds_list(1005)
    client.refund_get(1005, refunds[0].id)
    list(client.customers_iter())
    list(client.customers_iter(email="anna@example.se"))
    client.customer_get(2)
    products = list(client.products_iter())
    list(client.products_iter(modified_after=since, sku="1928-S"))
    client.product_get(products[0].id)
    chair = next(p for p in products if p.is_variable)
    variations = list(client.variations_iter(chair.id))
    client.stock_update(
        [
            StockUpdate(product_id=products[0].id, quantity=5),
            StockUpdate(product_id=chair.id, variation_id=variations[0].id, quantity=6),
        ]
    )
    WooCommerceShop(client=client).orders_by_names(["#1005"])


def _param_ok(spec: dict, values: list[str]) -> bool:
    kind = spec.get("type")
    for value in values:
        if kind == "integer":
            number = int(value)
            if number < spec.get("minimum", number) or number > spec.get("maximum", number):
                return False
        if kind == "boolean" and value not in ("true", "false"):
            return False
        if spec.get("format") == "date-time":
            dt.datetime.fromisoformat(value)
        if "enum" in spec and value not in spec["enum"]:
            return False
        if kind == "array":
            allowed = spec["items"].get("enum") if isinstance(spec["items"], dict) else None
            items = value.split(",")
            if allowed and not set(items) <= set(allowed):
                return False
            if spec["items"] == "integer" and not all(i.isdigit() for i in items):
                return False
        if "enum_source" in spec and value == "all" and "'all'" not in spec["enum_source"]:
            return False
    return True


def test_every_request_the_connector_makes_is_in_the_reference(woo_server, woo_client):
    _exercise(woo_client)

    requests = woo_server.sim.requests
    assert len(requests) >= 15
    seen_routes = set()
    for method, path, query, _body in requests:
        name, route = route_for(path)
        seen_routes.add(route["path"])
        assert method in route["methods"], f"{method} {path}"
        if method != "GET":
            continue
        collection = not re.search(r"\d+$", path)
        params = RESOURCES[name]["collection_params"] if collection else route.get("get_params", {})
        for key, values in query.items():
            assert key in params, f"{path}: query parameter {key} is not in the reference"
            assert _param_ok(params[key], values), f"{path}: {key}={values} breaks {params[key]}"
    assert {
        "/wc/v3/orders",
        "/wc/v3/orders/{id}",
        "/wc/v3/orders/{order_id}/refunds",
        "/wc/v3/orders/{order_id}/refunds/{id}",
        "/wc/v3/customers",
        "/wc/v3/customers/{id}",
        "/wc/v3/products",
        "/wc/v3/products/{id}",
        "/wc/v3/products/batch",
        "/wc/v3/products/{product_id}/variations",
        "/wc/v3/products/{product_id}/variations/batch",
    } <= seen_routes


def test_writes_use_writable_fields_and_the_batch_shape(woo_server, woo_client):
    _exercise(woo_client)

    writes = [(path, body) for method, path, _, body in woo_server.sim.requests if method != "GET"]
    assert writes
    for path, body in writes:
        name, route = route_for(path)
        assert path.endswith(REF["batch"]["route_suffix"]) and route["path"].endswith("/batch")
        assert set(body) <= set(REF["batch"]["request_body"])
        assert sum(len(items) for items in body.values()) <= REF["batch"]["max_items_total"]
        properties = RESOURCES[name]["properties"]
        for item in body["update"]:
            assert "id" in item  # the reference: update items must include id
            for key in set(item) - {"id"}:
                assert key in properties, f"{name}: {key} is not a field"
                assert not properties[key].get("readonly"), f"{name}: {key} is read-only"


def test_connector_limits_match_the_reference():
    assert REF["pagination"]["request_params"]["per_page"]["maximum"] == woo_client_module.MAX_PER_PAGE
    assert REF["batch"]["max_items_total"] == woo_payloads.MAX_BATCH_ITEMS
    assert REF["api"]["base_path"] == woo_client_module.API_PATH
    basic = next(m for m in REF["authentication"]["methods"] if m["name"] == "http_basic")
    assert (basic["username"], basic["password"]) == tuple(REF["authentication"]["credentials"]["pair"])
    assert "HTTPS" in basic["transport"]


def test_connector_webhook_headers_and_signature_match_the_reference():
    headers = REF["webhooks"]["delivery"]["headers"]
    for name in (
        webhooks.SIGNATURE_HEADER,
        webhooks.TOPIC_HEADER,
        webhooks.RESOURCE_HEADER,
        webhooks.EVENT_HEADER,
        webhooks.ID_HEADER,
        webhooks.DELIVERY_HEADER,
        webhooks.SOURCE_HEADER,
    ):
        assert name in headers
    signature = REF["webhooks"]["signature"]
    assert signature["header"] == webhooks.SIGNATURE_HEADER
    assert signature["algorithm"].startswith("HMAC-SHA256") and signature["encoding"].startswith("base64")


# --- the simulator serves a subset ----------------------------------------------------------------


def _rendered_keys(value: Any, trail: tuple[str, ...] = ()) -> set[tuple[tuple[str, ...], str]]:
    keys: set = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add((trail, key))
            if key in ("meta_data",) or key.endswith("_data"):
                continue
            keys |= _rendered_keys(inner, (*trail, key))
    elif isinstance(value, list):
        for inner in value:
            keys |= _rendered_keys(inner, trail)
    return keys


@pytest.mark.parametrize(
    ("resource", "path"),
    [
        ("orders", "/orders?per_page=100"),
        ("order_refunds", "/orders/1005/refunds"),
        ("customers", "/customers?role=all"),
        ("products", "/products?per_page=100"),
        ("product_variations", "/products/{chair}/variations"),
    ],
)
def test_simulator_renders_only_reference_fields(woo_server, woo_client, resource, path):
    chair = next(p for p in woo_client.products_iter() if p.is_variable)
    page = woo_client._transport.json(
        woo_client._transport.request("GET", woo_client._url(path.split("?")[0].format(chair=chair.id)))
    )

    assert page
    extra = sorted(
        f"{'.'.join(trail) or '(top)'}: {key}"
        for trail, key in _rendered_keys(page)
        if key not in declared_keys(resource, trail)
    )
    assert extra == []


def _enum(resource: str, field: str) -> set[str]:
    return set(RESOURCES[resource]["properties"][field]["enum"])


def test_simulator_enums_are_reference_values():
    assert set(sim_schema.ORDER_STATUSES) <= _enum("orders", "status")
    order_filter = RESOURCES["orders"]["collection_params"]["status"]["items"]["enum"]
    assert set(sim_schema.ORDER_STATUS_FILTER) <= set(order_filter)
    assert set(sim_schema.PRODUCT_TYPES) <= _enum("products", "type")
    assert set(sim_schema.PRODUCT_STATUSES) <= _enum("product_variations", "status") <= _enum("products", "status")
    assert (
        set(sim_schema.STOCK_STATUSES)
        == _enum("products", "stock_status")
        == _enum("product_variations", "stock_status")
    )
    assert set(sim_schema.BACKORDERS) == _enum("products", "backorders")
    assert set(sim_schema.TAX_STATUSES) == _enum("products", "tax_status")
    assert set(sim_schema.ORDERBY) <= set(RESOURCES["orders"]["collection_params"]["orderby"]["enum"])
    assert set(sim_schema.CUSTOMER_ORDERBY) == set(RESOURCES["customers"]["collection_params"]["orderby"]["enum"])
    assert set(sim_schema.ORDER_DIRECTIONS) == set(RESOURCES["orders"]["collection_params"]["order"]["enum"])


def test_simulator_query_parameters_are_reference_parameters():
    for resource, params in sim_schema.COLLECTION_PARAMS.items():
        assert set(params) <= set(RESOURCES[resource]["collection_params"]), resource


def test_simulator_read_only_flags_follow_the_reference():
    for resource, readonly in sim_schema.READONLY.items():
        if resource == "order_notes":  # not in the reference: test_order_notes_follow_the_notes_controller
            continue
        properties = RESOURCES[resource]["properties"]
        for name in readonly:
            assert properties[name].get("readonly"), f"{resource}.{name} is not read-only in the reference"
    accepted = {
        "orders": sim_schema.ORDER_WRITABLE,
        "products": sim_schema.PRODUCT_WRITABLE,
        "product_variations": sim_schema.VARIATION_WRITABLE,
    }
    for resource, names in accepted.items():
        properties = RESOURCES[resource]["properties"]
        for name in set(names) - {"id"}:  # batch updates name the item by id
            assert name in properties, f"{resource}.{name}"
            assert not properties[name].get("readonly"), f"{resource}.{name} is read-only in the reference"
    # Refund creation takes its own request fields (line_items is read-only in the response schema).
    assert set(sim_schema.REFUND_CREATE) == set(RESOURCES["order_refunds"]["create_request"]["fields"])


def test_simulator_refuses_writing_a_read_only_field(woo_server, woo_client):
    lamp = next(woo_client.products_iter(sku="1928-S"))
    response = woo_client._transport.session.put(
        woo_client._url(f"products/{lamp.id}"),
        json={"price": "1.00"},
        auth=woo_client._transport._auth,
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert woo_server.sim.store.products[lamp.id]["price"] == "599.00"


def test_simulator_errors_paging_and_webhooks_follow_the_reference(woo_server, woo_client):
    session, auth = woo_client._transport.session, woo_client._transport._auth
    missing = session.get(woo_client._url("orders/999999"), auth=auth, timeout=5)
    assert set(missing.json()) <= set(REF["errors"]["body_shape"]) and missing.json()["data"]["status"] == 404
    page = session.get(woo_client._url("orders"), params={"per_page": 3, "page": 2}, auth=auth, timeout=5)
    for header in REF["pagination"]["response_headers"]:
        assert header in page.headers
    assert (page.headers["X-WP-Total"], page.headers["X-WP-TotalPages"]) == ("8", "3")
    assert 'rel="prev"' in page.headers["Link"] and 'rel="next"' in page.headers["Link"]
    beyond = session.get(woo_client._url("orders"), params={"per_page": 3, "page": 9}, auth=auth, timeout=5)
    assert beyond.json() == [] and beyond.headers["X-WP-Total"] == "8"  # reference: out_of_range_page
    too_many = session.get(woo_client._url("orders"), params={"per_page": 101}, auth=auth, timeout=5)
    assert too_many.status_code == 400

    codes = set(re.findall(r'"(woocommerce_rest_[a-z_]+|rest_[a-z_]+|sim_[a-z_]+)"', _source(sim_app)))
    codes |= set(re.findall(r'"(woocommerce_rest_[a-z_]+)"', _source(sim_app.refund_create)))
    known = {e["code"] for e in REF["errors"]["common_codes"]} | {e["code"] for e in REF["authentication"]["errors"]}
    post_types = {r.get("post_type") for r in RESOURCES.values()} - {None}
    known |= {c.replace("{post_type}", p) for c in list(known) for p in post_types}
    assert codes - known - set(SIM_CODES_OUTSIDE_REFERENCE) == set()

    assert set(sim_schema.WEBHOOK_HEADERS) == set(REF["webhooks"]["delivery"]["headers"])
    assert set(sim_schema.WEBHOOK_TOPICS) <= set(REF["webhooks"]["topics"])
    body, headers = woo_server.sim.webhooks.ping(webhook_id=4)
    ping = REF["webhooks"]["ping"]
    assert body.decode() == ping["body"].split(" ")[0].replace("<id>", "4")
    assert not ping["signed"] and not any(h.startswith("X-WC-") for h in headers)
    assert webhook_ping(headers=headers, body=body).webhook_id == 4


# --- product writes (BC items -> WooCommerce products) ---------------------------------------------


def _written_keys(resource: str, body: dict, trail: tuple[str, ...] = ()) -> None:
    """Every key written exists at its place in the reference and is not read-only."""
    properties = schema_at(resource, trail)
    for key, value in body.items():
        if key == "id" and trail == () and resource == "product_variations":
            continue  # batch update items name the variation by id
        assert key in properties, f"{resource}: {'.'.join((*trail, key))} is not a field"
        assert not properties[key].get("readonly"), f"{resource}: {'.'.join((*trail, key))} is read-only"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for element in value:
                _written_keys(resource, element, (*trail, key))


def test_product_writes_use_reference_routes_and_writable_fields(woo_server, woo_client):
    simple = ProductWrite(name="Mugg", sku="NEW-1", regular_price="149.00", description="<p>Mugg</p>", weight="0.4")
    variable = ProductWrite(
        name="Mugg", type="variable", sku="NEW-2", attribute_name="Variant", attribute_options=("RED", "BLUE")
    )
    product = woo_client.product_create(simple)
    woo_client.product_update(product.id, simple)
    parent = woo_client.product_create(variable)
    made = woo_client.variations_write(
        parent.id,
        [
            VariationWrite(sku="NEW-2-RED", regular_price="149.00", attribute_name="Variant", option="RED"),
            VariationWrite(sku="NEW-2-BLUE", regular_price="149.00", attribute_name="Variant", option="BLUE"),
        ],
    )
    woo_client.variations_write(
        parent.id, [VariationWrite(id=made[0].variation.id, sku="NEW-2-RED", regular_price="159.00",
                                   attribute_name="Variant", option="RED")]
    )  # fmt: skip

    writes = [(method, path, body) for method, path, _, body in woo_server.sim.requests if method != "GET"]
    assert len(writes) == 5 and all(result.ok for result in made)
    for method, path, body in writes:
        name, route = route_for(path)
        assert method in route["methods"], f"{method} {path}"
        if route["path"].endswith("/batch"):
            assert set(body) <= set(REF["batch"]["request_body"])
            assert sum(len(items) for items in body.values()) <= REF["batch"]["max_items_total"]
            for item in body.get("create", []) + body.get("update", []):
                _written_keys(name, item)
            assert all("id" in item for item in body.get("update", []))  # the reference: update includes id
        else:
            _written_keys(name, body)
    assert {"simple", "variable"} <= set(RESOURCES["products"]["properties"]["type"]["enum"])
    for resource in ("products", "product_variations"):  # the statuses the products flow writes
        assert {"publish", "draft", "private"} <= set(RESOURCES[resource]["properties"]["status"]["enum"])


def test_the_order_meta_write_uses_the_reference_route_and_writable_fields(woo_server, woo_client):
    woo_client.order_meta_set(1001, key="junipeer_bc_document_number", value="SO-1")
    woo_client.order_meta_set(1001, key="junipeer_bc_document_number", value="INV-1")  # a later number

    writes = [(method, path, body) for method, path, _, body in woo_server.sim.requests if method != "GET"]
    assert len(writes) == 2
    for method, path, body in writes:
        name, route = route_for(path)
        assert name == "orders" and method in route["methods"], f"{method} {path}"
        _written_keys(name, body)
    assert "id?" in RESOURCES["orders"]["behaviour"]["meta_data_write"]  # an entry without id is allowed
    rows = [m for m in woo_server.sim.store.orders[1001]["meta_data"] if m["key"] == "junipeer_bc_document_number"]
    assert [m["value"] for m in rows] == ["INV-1"]  # the entry with that key updated, not a second one
    variation = VariationWrite(sku="X", regular_price="1.00", attribute_name="Variant", option="RED", manage_stock=True)
    _written_keys("product_variations", variation.to_json())


def test_the_tax_setting_is_read_from_the_settings_route(woo_server, woo_client):
    """/settings/<group>/<id> is not in the reference file: WooCommerce's
    WC_REST_Setting_Options_V2_Controller (docs/vendor-contracts.md) answers the setting with its
    ``value`` ("yes"/"no" for the radio setting woocommerce_prices_include_tax, group "tax")."""
    assert woo_client.prices_include_tax() is True
    woo_server.sim.store.prices_include_tax = False
    assert woo_client.prices_include_tax() is False
    (request,) = {path for method, path, _, _ in woo_server.sim.requests if "settings" in path}
    assert request == "/wp-json/wc/v3/settings/tax/woocommerce_prices_include_tax"
    rendered = woo_client._object("settings/tax/woocommerce_prices_include_tax")
    assert set(rendered) <= set(sim_schema.SETTING) and rendered["type"] == "radio"
    assert set(rendered["options"]) == {"yes", "no"}


def _source(obj) -> str:
    return inspect.getsource(obj)


# --- completing an order from BC's shipments: its status and a private order note -------------------

# /orders/<order_id>/notes is not in the reference file. Read from WooCommerce's
# WC_REST_Order_Notes_Controller (v3, plugins/woocommerce/includes/rest-api/Controllers/Version3/
# class-wc-rest-order-notes-controller.php at 51a62bf2060565f3522de2b9f981b4929f416389: schema,
# create_item) and its V2 parent (class-wc-rest-order-notes-v2-controller.php at
# 9b5f92703a7a1804af5c6f003f7d715e5aba1f5a: get_items, the "type" collection parameter); the V1
# controller registers "note" as required on POST (docs/vendor-contracts.md).
NOTE_FIELDS = {"id": True, "author": True, "date_created": True, "date_created_gmt": True,
               "note": False, "customer_note": False}  # name -> read-only  # fmt: skip
NOTE_REQUEST_ONLY = ("added_by_user",)  # context edit only: never in a response
NOTE_TYPES = ("any", "customer", "internal")


def test_order_notes_follow_the_notes_controller(woo_server, woo_client):
    assert set(sim_schema.ORDER_NOTE) == set(NOTE_FIELDS)
    assert set(sim_schema.READONLY["order_notes"]) == {name for name, readonly in NOTE_FIELDS.items() if readonly}
    assert set(sim_schema.ORDER_NOTE_CREATE) == {n for n, ro in NOTE_FIELDS.items() if not ro} | set(NOTE_REQUEST_ONLY)
    assert sim_schema.ORDER_NOTE_TYPES == NOTE_TYPES

    note = woo_client.order_note_add(1001, "Shipped from Business Central: shipment 108001.")

    (method, path, _, body) = woo_server.sim.requests[-1]
    assert (method, path) == ("POST", "/wp-json/wc/v3/orders/1001/notes")
    assert set(body) <= set(sim_schema.ORDER_NOTE_CREATE) and body["customer_note"] is False
    assert (note.order_id, note.customer_note, note.author) == (1001, False, "system")
    rendered = woo_client._get("orders/1001/notes", {"type": "internal"})
    assert [item["id"] for item in rendered] == [note.id] and set(rendered[0]) == set(NOTE_FIELDS)
    assert woo_client.order_notes(1001, kind="customer") == []
    session, auth, url = woo_client._transport.session, woo_client._transport._auth, woo_client._url
    refusals = {
        "no note": session.post(url("orders/1001/notes"), json={"customer_note": False}, auth=auth, timeout=5),
        "an id": session.post(url("orders/1001/notes"), json={"id": 5, "note": "x"}, auth=auth, timeout=5),
        "read-only": session.post(url("orders/1001/notes"), json={"note": "x", "author": "me"}, auth=auth, timeout=5),
        "no order": session.post(url("orders/999999/notes"), json={"note": "x"}, auth=auth, timeout=5),
        "bad type": session.get(url("orders/1001/notes"), params={"type": "private"}, auth=auth, timeout=5),
    }
    assert {why: (r.status_code, r.json()["code"]) for why, r in refusals.items()} == {
        "no note": (400, "rest_missing_callback_param"),
        "an id": (400, "woocommerce_rest_shop_order_exists"),
        "read-only": (400, "rest_invalid_param"),
        "no order": (404, "woocommerce_rest_order_invalid_id"),
        "bad type": (400, "rest_invalid_param"),
    }
    assert len(woo_client.order_notes(1001)) == 1  # nothing refused was added


def test_the_order_status_write_uses_the_reference_route_enum_and_read_only_flags(woo_server, woo_client):
    order = woo_client.order_status_set(1001, "completed")

    (method, path, _, body) = woo_server.sim.requests[-1]
    name, route = route_for(path)
    assert name == "orders" and method in route["methods"]
    _written_keys("orders", body)
    assert body["status"] in _enum("orders", "status")
    assert order.status == "completed"
    stored = woo_server.sim.store.orders[1001]
    assert stored["date_completed_gmt"] and RESOURCES["orders"]["properties"]["date_completed"]["readonly"]
    # WooCommerce records the status change as a system note; the order.updated hook fires.
    assert [n.note for n in woo_client.order_notes(1001)] == ["Order status changed from Processing to Completed."]
    assert "woocommerce_update_order" in REF["webhooks"]["topics"]["order.updated"]
    session, auth = woo_client._transport.session, woo_client._transport._auth
    refused = [
        session.put(woo_client._url("orders/1001"), json=change, auth=auth, timeout=5)
        for change in ({"status": "shipped"}, {"date_completed": "2026-12-01T10:00:00"})
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(400, "rest_invalid_param")] * 2
    woo_client.order_status_set(1001, "completed")  # the same status again: no change recorded
    assert len(woo_client.order_notes(1001)) == 1
