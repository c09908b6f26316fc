"""The SDL schema (schema.graphql) wired to resolvers over the in-memory store.

Object fields use graphql-core's default resolver (dict keys). Every field returning a
``...Connection`` gets the connection resolver: the stored list sliced by first/after into
edges/nodes/pageInfo. A plain list field taking ``first`` (``Order.transactions``,
``Order.refunds``) is truncated to it, as Shopify does. Root lists are filtered with Shopify's
search syntax and sorted by sortKey. In a bulk operation (``context["bulk"]``) connections return every row.
"""

from __future__ import annotations

import base64
from pathlib import Path

from graphql import GraphQLSchema, build_schema, get_named_type, get_nullable_type, is_list_type

from simulators.shopify import bulk, fulfilments, mutations, search

SDL = (Path(__file__).parent / "schema.graphql").read_text()
MAX_PAGE = 250


def _legacy(gid: str) -> int:
    try:
        return int(gid.rsplit("/", 1)[-1])
    except (ValueError, AttributeError):
        return 0


def _cursor(index: int, item) -> str:
    ident = item.get("id") if isinstance(item, dict) else ""
    return base64.b64encode(f"{index}|{ident or ''}".encode()).decode()


def _after_index(after: str | None, items: list, index_of: dict | None) -> int:
    if not after:
        return 0
    try:
        position, ident = base64.b64decode(after).decode().split("|", 1)
    except ValueError as exc:
        raise ValueError("Invalid cursor") from exc
    if ident and index_of is not None and ident in index_of:
        return index_of[ident] + 1
    return int(position) + 1


def connection(items: list, info, *, first=None, after=None, index_of: dict | None = None, **_ignored) -> dict:
    bulk_mode = bool(info.context.get("bulk"))
    if first is not None and first > MAX_PAGE:
        raise ValueError(f"The 'first' argument cannot exceed {MAX_PAGE}.")
    start = _after_index(after, items, index_of)
    size = len(items) if (bulk_mode or first is None) else max(0, first)
    page = items[start : start + size]
    edges = [{"cursor": _cursor(start + i, item), "node": item} for i, item in enumerate(page)]
    return {
        "edges": edges,
        "nodes": page,
        "pageInfo": {
            "hasNextPage": start + len(page) < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def _stored_connection(source, info, **args):
    return connection(source.get(info.field_name) or [], info, **args)


def _stored_list(source, info, first=None, **_ignored):
    """A plain list field with a ``first`` argument (``Order.transactions``, ``Order.refunds``):
    as Shopify, ``first`` truncates the list; without it every row comes back."""
    items = source.get(info.field_name)
    if items is None or first is None:
        return items
    return items[: max(0, first)]


# --- root lists: filter + sort, cached per store version -----------------------------------------------

ORDER_FIELDS = {
    "updated_at": lambda o: o["updatedAt"],
    "created_at": lambda o: o["createdAt"],
    "processed_at": lambda o: o["processedAt"],
    "name": lambda o: [o["name"], o["name"].lstrip("#")],
    "test": lambda o: o["test"],
    "financial_status": lambda o: (o["displayFinancialStatus"] or "").lower(),
    "fulfillment_status": lambda o: (o["displayFulfillmentStatus"] or "").lower(),
    "email": lambda o: o.get("email"),
    "id": lambda o: str(_legacy(o["id"])),
}
CUSTOMER_FIELDS = {
    "updated_at": lambda c: c["updatedAt"],
    "created_at": lambda c: c["createdAt"],
    "email": lambda c: c.get("email"),
    "phone": lambda c: c.get("phone"),
    "country": lambda c: (c.get("defaultAddress") or {}).get("countryCodeV2") or "",
    "id": lambda c: str(_legacy(c["id"])),
}
PRODUCT_FIELDS = {
    "updated_at": lambda p: p["updatedAt"],
    "created_at": lambda p: p["createdAt"],
    "sku": lambda p: [v.get("sku") for v in p["variants"] if v.get("sku")],
    "barcode": lambda p: [v.get("barcode") for v in p["variants"] if v.get("barcode")],
    "title": lambda p: p["title"],
    "status": lambda p: p["status"].lower(),
    "id": lambda p: str(_legacy(p["id"])),
}
PAYOUT_FIELDS = {
    "issued_at": lambda p: p["issuedAt"],
    "status": lambda p: p["status"].lower(),
    "id": lambda p: str(_legacy(p["id"])),
}
BALANCE_FIELDS = {
    "payments_transfer_id": lambda b: b.get("_payout_legacy"),
    "transaction_type": lambda b: b["type"].lower(),
    "processed_at": lambda b: b["transactionDate"],
    "id": lambda b: str(_legacy(b["id"])),
}
SORT_FIELDS = {
    "UPDATED_AT": "updatedAt",
    "CREATED_AT": "createdAt",
    "PROCESSED_AT": "processedAt",
    "TITLE": "title",
    "NAME": "displayName",
}


class RootLists:
    def __init__(self, store) -> None:
        self.store = store
        self._cache: dict = {}
        self._version = -1

    def get(self, kind: str, records, fields, query, sort_key, reverse) -> tuple[list, dict]:
        if self._version != self.store.version:
            self._cache.clear()
            self._version = self.store.version
        key = (kind, query or "", sort_key or "ID", bool(reverse))
        if key not in self._cache:
            matches = search.matcher(query, fields)
            attribute = SORT_FIELDS.get(sort_key or "ID")
            items = [record for record in records if matches(record)]
            items.sort(
                key=lambda r: ((r.get(attribute) or "") if attribute else "", _legacy(r["id"])), reverse=bool(reverse)
            )
            self._cache[key] = (items, {item["id"]: index for index, item in enumerate(items)})
        return self._cache[key]


def build(store, sim) -> GraphQLSchema:
    schema = build_schema(SDL)
    lists = RootLists(store)

    def root_list(kind, records_fn, fields):
        def resolve(_source, info, first=None, after=None, query=None, sortKey=None, reverse=False):  # noqa: N803
            items, index_of = lists.get(kind, records_fn(), fields, query, sortKey, reverse)
            return connection(items, info, first=first, after=after, index_of=index_of)

        return resolve

    def by_id(table_fn):
        return lambda _source, _info, id: table_fn().get(id)  # noqa: A006

    # Generic: every connection field reads a stored list; a plain list field's ``first`` truncates it.
    for type_ in schema.type_map.values():
        for field in getattr(type_, "fields", {}).values() if hasattr(type_, "interfaces") else ():
            if get_named_type(field.type).name.endswith("Connection"):
                field.resolve = _stored_connection
            elif "first" in field.args and is_list_type(get_nullable_type(field.type)):
                field.resolve = _stored_list

    query = schema.query_type.fields
    query["shop"].resolve = lambda _s, _i: store.shop
    query["order"].resolve = by_id(lambda: store.orders)
    query["refund"].resolve = by_id(lambda: store.refunds)
    query["orders"].resolve = root_list("orders", lambda: store.orders.values(), ORDER_FIELDS)
    query["customer"].resolve = by_id(lambda: store.customers)
    query["customers"].resolve = root_list("customers", lambda: store.customers.values(), CUSTOMER_FIELDS)
    query["product"].resolve = by_id(lambda: store.products)
    query["products"].resolve = root_list("products", lambda: store.products.values(), PRODUCT_FIELDS)
    query["location"].resolve = by_id(lambda: store.locations)
    query["inventoryItem"].resolve = by_id(lambda: store.inventory_items)

    def orders_count(_source, _info, query=None, limit=10000):
        items, _index = lists.get("orders", store.orders.values(), ORDER_FIELDS, query, None, False)
        limit = 10000 if limit is None else limit
        return {"count": min(len(items), limit), "precision": "AT_LEAST" if len(items) > limit else "EXACT"}

    query["ordersCount"].resolve = orders_count
    customer = schema.type_map["Customer"].fields
    customer["defaultEmailAddress"].resolve = lambda source, _i: (
        {"emailAddress": source["email"]} if source.get("email") else None
    )
    customer["defaultPhoneNumber"].resolve = lambda source, _i: (
        {"phoneNumber": source["phone"]} if source.get("phone") else None
    )
    query["locations"].resolve = root_list("locations", lambda: store.locations.values(), {})
    query["webhookSubscriptions"].resolve = lambda _s, info, first=None, after=None: connection(
        list(store.webhook_subscriptions.values()), info, first=first, after=after
    )
    query["shopifyPaymentsAccount"].resolve = lambda _s, _i: (
        {
            "__typename": "ShopifyPaymentsAccount",
            "id": "gid://shopify/ShopifyPaymentsAccount/1",
            "activated": True,
            "defaultCurrency": store.shop.get("currencyCode", "SEK"),
        }
        if getattr(store, "shopify_payments_enabled", True)
        else None  # a shop that takes payments elsewhere has no account
    )
    account = schema.type_map["ShopifyPaymentsAccount"].fields
    account["payouts"].resolve = root_list("payouts", lambda: store.payouts.values(), PAYOUT_FIELDS)
    balance = root_list("balance", lambda: store.balance_transactions.values(), BALANCE_FIELDS)
    hidden = root_list(
        "balance-no-transfers",
        lambda: [bt for bt in store.balance_transactions.values() if bt["type"] != "TRANSFER"],
        BALANCE_FIELDS,
    )

    def balance_transactions(source, info, hideTransfers=False, **args):  # noqa: N803
        return (hidden if hideTransfers else balance)(source, info, **args)

    account["balanceTransactions"].resolve = balance_transactions
    query["currentBulkOperation"].resolve = lambda _s, info, type="QUERY": bulk.current(store, sim, info)  # noqa: A006
    query["node"].resolve = lambda _s, info, id: bulk.poll(store, sim, store.node(id), info)  # noqa: A006

    def levels_of_item(source, info, **args):
        levels = [lvl for (item, _), lvl in store.inventory_levels.items() if item == source["id"]]
        return connection(levels, info, **args)

    def levels_at_location(source, info, **args):
        levels = [lvl for (_, loc), lvl in store.inventory_levels.items() if loc == source["id"]]
        return connection(levels, info, **args)

    schema.type_map["InventoryItem"].fields["inventoryLevels"].resolve = levels_of_item
    schema.type_map["InventoryItem"].fields["inventoryLevel"].resolve = lambda source, _i, locationId: (  # noqa: N803
        store.inventory_level(source["id"], locationId)
    )
    schema.type_map["Location"].fields["inventoryLevels"].resolve = levels_at_location
    schema.type_map["InventoryLevel"].fields["quantities"].resolve = lambda source, _i, names: [
        {"name": name, "quantity": source["_quantities"].get(name, 0)} for name in names
    ]
    mutations.install(schema, store, sim)
    fulfilments.install(schema, store, connection=connection)
    return schema
