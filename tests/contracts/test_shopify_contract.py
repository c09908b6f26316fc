"""The Shopify connector and simulator against Shopify's own Admin GraphQL schema (the pinned version).

- Every document the connector can send (the module constants of queries.py and every document its
  builders make, bulk queries included) validates against the reference schema of
  ``SHOPIFY_API_VERSION``; the variables the connector builds for each mutation are valid input.
- Deprecated fields, arguments and enum values the documents use are reported (the test fails,
  naming them): a deprecated name disappears in a later version.
- The simulator's schema is a subset of the reference: every type, field, argument, input field,
  enum value, union member and directive it declares exists there with the same type.
- Any ``queries.<NAME>`` the connector uses is one of the enumerated documents (a new document
  cannot skip the contract).
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    parse,
    validate,
    visit,
)
from graphql.execution.values import get_variable_values

from integrations import commerce
from integrations.connectors.shopify import payloads, queries
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from simulators.shopify import schema as simulator_schema
from simulators.shopify import versions as simulator_versions
from simulators.shopify.bulk import _restriction
from tests.contracts.reference import shopify_schema_text, shopify_versions
from tests.fixtures.shopify import shopify_client_for

CONNECTOR = Path(__file__).resolve().parents[2] / "integrations" / "connectors" / "shopify"
BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


@functools.cache
def reference_schema(version: str = SHOPIFY_API_VERSION) -> GraphQLSchema:
    # Shopify's own schema has a few interface/implementation deprecation mismatches that
    # graphql-core's schema validation refuses (reference README): build it without that check.
    return build_schema(shopify_schema_text(version), assume_valid=True)


def _module_documents() -> dict[str, str]:
    """Every str constant (or dict of them) in queries.py that is a query or mutation document."""
    found: dict[str, str] = {}
    for name, value in vars(queries).items():
        if name.startswith("_") or name.isupper() is False:
            continue
        candidates = value.items() if isinstance(value, dict) else [(None, value)]
        for key, text in candidates:
            if isinstance(text, str) and text.lstrip().startswith(("query", "mutation")):
                found[f"{name}[{key}]" if key else name] = text
    return found


def built_documents() -> dict[str, str]:
    """The documents the connector assembles at run time, at their smallest and largest."""
    return {
        "bulk_orders_query(None)": queries.bulk_orders_query(None),
        "bulk_orders_query(search)": queries.bulk_orders_query("created_at:>='2026-01-01T00:00:00Z' name:\"#1\""),
        "order_refunds_query(1)": queries.order_refunds_query(1),
        f"order_refunds_query({queries.REFUNDS_ORDERS_PER_QUERY})": queries.order_refunds_query(
            queries.REFUNDS_ORDERS_PER_QUERY
        ),
        "inventory_levels_query(1)": queries.inventory_levels_query(1),
        f"inventory_levels_query({queries.INVENTORY_REREAD_PER_QUERY})": queries.inventory_levels_query(
            queries.INVENTORY_REREAD_PER_QUERY
        ),
        "orders_by_id_query(1)": queries.orders_by_id_query(1),
        f"orders_by_id_query({queries.ORDERS_BY_ID_PER_QUERY})": queries.orders_by_id_query(
            queries.ORDERS_BY_ID_PER_QUERY
        ),
        "order_complements_query([1])": queries.order_complements_query([1]),
        "order_complements_query([250] * n)": queries.order_complements_query([250] * queries.COMPLEMENTS_PER_QUERY),
    }


BUILDERS = {
    "bulk_orders_query",
    "order_refunds_query",
    "inventory_levels_query",
    "orders_by_id_query",
    "order_complements_query",
}


def all_documents() -> dict[str, str]:
    return {**_module_documents(), **built_documents()}


def test_the_pinned_version_is_the_newest_in_the_reference():
    assert shopify_versions()[-1] == SHOPIFY_API_VERSION
    assert simulator_versions.SERVED_VERSION == SHOPIFY_API_VERSION


def test_the_documents_are_enumerated():
    names = set(all_documents())
    # Every kind of request the connector makes is here (a lost constant would shrink this list).
    for expected in (
        "ORDERS_PAGE",
        "ORDER_USAGE_PAGE",
        "ORDER_STAMPS_PAGE",
        "ORDER_GET",
        "CUSTOMERS_PAGE",
        "PRODUCTS_PAGE",
        "PRODUCT_CREATE",
        "PRODUCT_UPDATE",
        "VARIANTS_BULK_CREATE",
        "VARIANTS_BULK_UPDATE",
        "INVENTORY_SET_QUANTITIES",
        "LOCATIONS_PAGE",
        "INVENTORY_LEVELS_PAGE",
        "PAYOUTS_PAGE",
        "BALANCE_TRANSACTIONS_PAGE",
        "WEBHOOK_SUBSCRIBE",
        "WEBHOOK_SUBSCRIPTIONS_PAGE",
        "WEBHOOK_UNSUBSCRIBE",
        "BULK_RUN",
        "BULK_NODE",
        "ORDERS_COUNT",
        "SHOP",
        "SHOPIFY_PAYMENTS_ACCOUNT",
        "ORDER_CONNECTION_PAGES[lineItems]",
        "REFUND_CONNECTION_PAGES[transactions]",
    ):
        assert expected in names


def _queries_names_used_by_the_connector() -> set[str]:
    used: set[str] = set()
    for path in CONNECTOR.glob("*.py"):
        if path.name == "queries.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "queries":
                used.add(node.attr)
    return used


def test_every_document_the_connector_uses_is_under_contract():
    documents = {name.split("[")[0] for name in all_documents()}
    numbers = {name for name, value in vars(queries).items() if isinstance(value, int)}
    unknown = _queries_names_used_by_the_connector() - documents - BUILDERS - numbers
    assert not unknown, f"documents used by the connector but not checked against the reference: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(all_documents()))
def test_document_validates_against_the_reference_schema(name):
    document = parse(all_documents()[name])

    errors = validate(reference_schema(), document)

    assert not errors, f"{name} is not valid against Shopify {SHOPIFY_API_VERSION}: " + "; ".join(
        e.message for e in errors
    )


def deprecated_uses(schema: GraphQLSchema, text: str) -> list[str]:
    """``Type.field``, ``Type.field(arg)`` and ``Enum.VALUE`` names a document uses that are deprecated."""
    type_info = TypeInfo(schema)
    found: list[str] = []

    class Deprecations(Visitor):
        def enter_field(self, node, *_args):
            field = type_info.get_field_def()
            parent = type_info.get_parent_type()
            if field is not None and field.deprecation_reason is not None:
                found.append(f"{parent.name}.{node.name.value}")
            for argument in node.arguments or ():
                definition = field.args.get(argument.name.value) if field is not None else None
                if definition is not None and definition.deprecation_reason is not None:
                    found.append(f"{parent.name}.{node.name.value}({argument.name.value})")

        def enter_enum_value(self, node, *_args):
            enum = get_named_type(type_info.get_input_type())
            if isinstance(enum, GraphQLEnumType):
                value = enum.values.get(node.value)
                if value is not None and value.deprecation_reason is not None:
                    found.append(f"{enum.name}.{node.value}")

    visit(parse(text), TypeInfoVisitor(type_info, Deprecations()))
    return found


# Deprecated names still used, each with the reason. Anything else deprecated fails the suite.
KNOWN_DEPRECATED = {
    # The merchant's tax classes map Shopify's variant tax codes to BC VAT product posting groups;
    # the Admin API has no replacement field (tax codes moved to Shopify Tax / tax partners).
    "ProductVariant.taxCode",
}


def test_deprecated_names_are_reported():
    report = {
        name: uses for name, text in all_documents().items() if (uses := deprecated_uses(reference_schema(), text))
    }
    unexpected = {name: sorted(set(uses) - KNOWN_DEPRECATED) for name, uses in report.items()}
    unexpected = {name: uses for name, uses in unexpected.items() if uses}
    if report:
        warnings.warn(
            f"deprecated in Shopify {SHOPIFY_API_VERSION}, still used: "
            f"{sorted({use for uses in report.values() for use in uses})}",
            stacklevel=1,
        )

    assert not unexpected, f"deprecated in Shopify {SHOPIFY_API_VERSION}: {unexpected}"


def test_the_deprecation_report_finds_a_deprecated_field():
    # The report above is empty; prove it would see one (WebhookSubscription.callbackUrl is deprecated).
    text = "query { webhookSubscriptions(first: 1) { nodes { callbackUrl uri } } }"

    assert deprecated_uses(reference_schema(), text) == ["WebhookSubscription.callbackUrl"]


# --- the variables the connector builds ---------------------------------------------------------------


def _operation(text: str) -> OperationDefinitionNode:
    return next(d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode))


def _variable_errors(text: str, variables: dict) -> list[str]:
    result = get_variable_values(reference_schema(), _operation(text).variable_definitions or [], variables)
    return [e.message for e in result] if isinstance(result, list) else []


PRODUCT = commerce.ProductInput(
    title="Bike",
    status="ACTIVE",
    vendor="Acme",
    product_type="Bikes",
    tags=("bc",),
    description_html="<p>Bike</p>",
    options=(commerce.ProductOption(name="Size", values=("S", "M")),),
    variants=(
        commerce.VariantInput(
            sku="1928-S",
            price=Decimal("100.00"),
            compare_at_price=Decimal("120.00"),
            barcode="123",
            taxable=True,
            weight=Decimal("1.5"),
            weight_unit="KILOGRAMS",
            option_values=(commerce.SelectedOption(name="Size", value="S"),),
        ),
    ),
)


def _mutation_variables() -> list[tuple[str, str, dict]]:
    create = payloads.product_input(PRODUCT)
    create.pop("id", None)
    create["productOptions"] = [{"name": "Size", "values": [{"name": "S"}, {"name": "M"}]}]
    update = {**payloads.product_input(PRODUCT), "id": "gid://shopify/Product/1"}
    variants = [payloads.variant_input(v) for v in PRODUCT.variants]
    stock = payloads.inventory_set_input(
        [
            commerce.InventoryChange(
                "gid://shopify/InventoryItem/1", "gid://shopify/Location/1", 7, change_from_quantity=5
            ),
            commerce.InventoryChange(
                "gid://shopify/InventoryItem/2", "gid://shopify/Location/1", 0, change_from_quantity=0
            ),
        ],
        reason="correction",
        reference_document_uri="gid://junipeer/StockRun/1",
    )
    return [
        ("PRODUCT_CREATE", queries.PRODUCT_CREATE, {"product": create}),
        ("PRODUCT_UPDATE", queries.PRODUCT_UPDATE, {"product": update}),
        (
            "VARIANTS_BULK_CREATE",
            queries.VARIANTS_BULK_CREATE,
            {"productId": "gid://shopify/Product/1", "variants": variants, "strategy": "REMOVE_STANDALONE_VARIANT"},
        ),
        (
            "VARIANTS_BULK_UPDATE",
            queries.VARIANTS_BULK_UPDATE,
            {
                "productId": "gid://shopify/Product/1",
                "variants": [{**variants[0], "id": "gid://shopify/ProductVariant/1"}],
            },
        ),
        ("INVENTORY_SET_QUANTITIES", queries.INVENTORY_SET_QUANTITIES, {"input": stock, "key": "k-1"}),
        (
            "WEBHOOK_SUBSCRIBE",
            queries.WEBHOOK_SUBSCRIBE,
            {"topic": "ORDERS_EDITED", "sub": {"uri": "https://app.example/hooks/shopify/1/", "format": "JSON"}},
        ),
        ("BULK_RUN", queries.BULK_RUN, {"query": queries.bulk_orders_query(None)}),
        ("ORDERS_COUNT", queries.ORDERS_COUNT, {"query": "created_at:>='2026-01-01T00:00:00Z'", "limit": 250}),
        (
            "FULFILLMENT_CREATE",
            queries.FULFILLMENT_CREATE,
            {
                "fulfillment": payloads.fulfillment_input(
                    [
                        t.FulfillmentLineInput(
                            "gid://shopify/FulfillmentOrder/1", "gid://shopify/FulfillmentOrderLineItem/1", 2
                        )
                    ],
                    tracking=commerce.Tracking(number="00370733741234567890", company="PostNord"),
                ),
                "key": "k-1",
            },
        ),
        (
            "METAFIELDS_SET",
            queries.METAFIELDS_SET,
            {
                "metafields": [
                    {
                        "ownerId": "gid://shopify/Order/1",
                        "namespace": "junipeer",
                        "key": "bc_document_number",
                        "type": "single_line_text_field",
                        "value": "101001",
                    }
                ]
            },
        ),
        ("TAGS_ADD", queries.TAGS_ADD, {"id": "gid://shopify/Order/1", "tags": ["BC:101001"]}),
    ]


@pytest.mark.parametrize("name,text,variables", _mutation_variables(), ids=lambda v: v if isinstance(v, str) else "")
def test_built_variables_are_valid_input(name, text, variables):
    assert _variable_errors(text, variables) == []


def test_variable_check_refuses_what_shopify_refuses():
    # The 2025-07 way of skipping the compare-and-swap check no longer exists in 2026-10.
    stock = {"name": "available", "reason": "correction", "ignoreCompareQuantity": True, "quantities": []}

    errors = _variable_errors(queries.INVENTORY_SET_QUANTITIES, {"input": stock, "key": "k"})

    assert errors and "ignoreCompareQuantity" in errors[0]


def test_every_stock_quantity_carries_change_from_quantity():
    # Shopify refuses a quantity without changeFromQuantity since 2026-04 (null must be explicit).
    stock = payloads.inventory_set_input(
        [commerce.InventoryChange("gid://shopify/InventoryItem/1", "gid://shopify/Location/1", 3)], reason="correction"
    )

    assert all("changeFromQuantity" in row for row in stock["quantities"])


def test_bulk_queries_respect_shopify_limits():
    # At most five connections, two levels deep, none inside a list (the simulator enforces the same).
    for text in (queries.bulk_orders_query(None), queries.bulk_orders_query("name:#1")):
        assert _restriction(reference_schema(), _operation(text)) == ""


# --- the simulator's schema is a subset of Shopify's ---------------------------------------------------


def _type_string(type_) -> str:
    return str(type_)


def schema_subset_problems(ours: GraphQLSchema, reference: GraphQLSchema) -> list[str]:
    problems: list[str] = []
    for name, type_ in ours.type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        theirs = reference.type_map.get(name)
        if theirs is None:
            problems.append(f"type {name} does not exist")
            continue
        if type(theirs) is not type(type_):
            problems.append(f"type {name} is a {type(theirs).__name__} in the reference, not {type(type_).__name__}")
            continue
        if isinstance(type_, GraphQLEnumType):
            problems += [f"enum value {name}.{v} does not exist" for v in type_.values if v not in theirs.values]
        if isinstance(type_, GraphQLUnionType):
            members = {m.name for m in theirs.types}
            problems += [f"union member {name}.{m.name} does not exist" for m in type_.types if m.name not in members]
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            interfaces = {i.name for i in theirs.interfaces}
            problems += [f"{name} does not implement {i.name}" for i in type_.interfaces if i.name not in interfaces]
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                other = theirs.fields.get(field_name)
                if other is None:
                    problems.append(f"field {name}.{field_name} does not exist")
                    continue
                if _type_string(field.type) != _type_string(other.type):
                    problems.append(f"field {name}.{field_name} is {other.type} in the reference, not {field.type}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    other_arg = other.args.get(arg_name)
                    if other_arg is None:
                        problems.append(f"argument {name}.{field_name}({arg_name}) does not exist")
                    elif _type_string(arg.type) != _type_string(other_arg.type):
                        problems.append(
                            f"argument {name}.{field_name}({arg_name}) is {other_arg.type} in the reference, "
                            f"not {arg.type}"
                        )
    for directive in ours.directives:
        other = reference.get_directive(directive.name)
        if other is None:
            problems.append(f"directive @{directive.name} does not exist")
            continue
        for arg_name, arg in directive.args.items():
            other_arg = other.args.get(arg_name)
            if other_arg is None or _type_string(arg.type) != _type_string(other_arg.type):
                problems.append(f"directive argument @{directive.name}({arg_name}) differs")
    for root in ("query_type", "mutation_type"):
        if getattr(ours, root) is not None and getattr(reference, root).name != getattr(ours, root).name:
            problems.append(f"{root} is named differently")
    return problems


def test_the_simulator_schema_is_a_subset_of_the_reference():
    ours = build_schema(simulator_schema.SDL)

    assert schema_subset_problems(ours, reference_schema()) == []


def test_the_subset_check_sees_a_mismatch():
    # The simulator of 2025-07 declared these; 2026-10 has none of them.
    old = build_schema(
        """
        type Query { shop: Shop! }
        type Shop { name: String! currencyCode: String! }
        input InventorySetQuantitiesInput { name: String! ignoreCompareQuantity: Boolean }
        """
    )

    problems = schema_subset_problems(old, reference_schema())

    assert "type Query does not exist" in problems
    assert "field Shop.currencyCode is CurrencyCode! in the reference, not String!" in problems
    assert "field InventorySetQuantitiesInput.ignoreCompareQuantity does not exist" in problems


def test_scalars_the_simulator_declares_exist():
    ours = build_schema(simulator_schema.SDL)
    scalars = [n for n, ty in ours.type_map.items() if isinstance(ty, GraphQLScalarType) and n not in BUILT_IN_SCALARS]

    assert all(name in reference_schema().type_map for name in scalars if not name.startswith("__"))


def test_iso_search_format():
    assert payloads.iso(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"


# --- what the connector actually sends -------------------------------------------------------------------


class RecordingSession(requests.Session):
    """Keeps every GraphQL document and its variables the client sends (the network is the simulator)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict]] = []

    def post(self, url, **kwargs):
        body = kwargs.get("json") or {}
        self.sent.append((body.get("query", ""), body.get("variables") or {}))
        return super().post(url, **kwargs)


def _exercise_every_operation(shop, sim) -> None:
    """One call of each client operation, including the paths that build documents at run time."""
    shop.shop_get()
    shop.shopify_payments_account()
    orders = list(shop.orders_iter())
    shop.order_get(orders[0].id)
    shop.orders_by_names([orders[1].name])
    list(shop.order_stamps_iter(updated_since=orders[0].updated_at))
    list(shop.orders_by_ids([orders[0].id, orders[1].id]))
    shop.order_from_webhook(sim.webhooks.order_payload(orders[0].id))
    list(shop.order_usage_iter(created_since=orders[0].created_at))
    shop.orders_count(limit=10)
    list(shop.bulk_orders(poll_interval=0))
    list(shop.customers_iter())
    product = shop.product_create(
        commerce.ProductInput(
            title="Mug",
            options=(commerce.ProductOption("Color", ("Red",)),),
            variants=(
                commerce.VariantInput(
                    sku="MUG-RED", price=Decimal("1"), option_values=(commerce.SelectedOption("Color", "Red"),)
                ),
            ),
        )
    )
    shop.product_update(
        commerce.ProductInput(
            id=product.id,
            variants=(
                commerce.VariantInput(id=product.variants[0].id, price=Decimal("2")),
                commerce.VariantInput(
                    sku="MUG-BLUE", price=Decimal("2"), option_values=(commerce.SelectedOption("Color", "Blue"),)
                ),
            ),
        )
    )
    shop.product_get(product.id)
    list(shop.products_iter())
    location = shop.locations_list()[0]
    level = next(shop.inventory_levels_iter(location.id))
    shop.inventory_set_quantities(
        [commerce.InventoryChange(level.inventory_item_id, location.id, level.available + 1, change_from_quantity=-1)],
        idempotency_key="contract",
        max_conflict_retries=1,
    )  # a stale expectation: the client re-reads the level (the re-read document is sent too)
    payouts = list(shop.payouts_iter())
    shop.payout_balance_transactions(payouts[0].id)
    subscription = shop.webhook_subscribe("orders/edited", "https://app.example/hooks/shopify/1/")
    assert subscription.id in {s.id for s in shop.webhook_subscriptions()}
    shop.webhook_unsubscribe(subscription.id)
    # Back to the shop: a BC shipment fulfils lines; the BC number goes on as a metafield and a tag.
    open_lines = [
        (order, fo, line)
        for order in orders
        for fo in shop.fulfillment_orders(order.id)
        for line in fo.lines
        if line.remaining_quantity
    ]
    order, fo, line = open_lines[0]
    shop.fulfillment_create(
        [t.FulfillmentLineInput(fo.id, line.id, 1)],
        idempotency_key="contract",
        tracking=commerce.Tracking(number="00370733741234567890", company="PostNord"),
    )
    shop.order_metafields_set({order.id: "101001"}, namespace="junipeer", key="bc_document_number")
    shop.tags_add(order.id, ["BC:101001"])


def test_every_document_the_client_sends_is_enumerated_and_valid(shopify_server):
    session = RecordingSession()
    shop = shopify_client_for(shopify_server, session=session)

    _exercise_every_operation(shop, shopify_server.sim)

    enumerated = set(all_documents().values())
    sent = [text for text, _ in session.sent]
    sent += [variables["query"] for text, variables in session.sent if text == queries.BULK_RUN]
    for text in sent:
        built = text.lstrip().startswith(
            ("query OrderRefunds(", "query InventoryLevelsNow(", "query OrdersById(", "query OrderComplements(", "{")
        )
        assert built or text in enumerated, f"a document the contract does not enumerate was sent:\n{text}"
        assert not validate(reference_schema(), parse(text)), text
    # Every enumerated module document but the follow-up pages of long nested lists was exercised.
    unexercised = {name for name, text in _module_documents().items() if text not in sent}
    assert {name.split("[")[0] for name in unexercised} <= {
        "ORDER_LINE_ITEMS_PAGE",
        "ORDER_CONNECTION_PAGES",
        "REFUND_CONNECTION_PAGES",
    }, unexercised
