"""Order reads: pages of orders, orders by id or name, the cheap listing a sweep decides from, and
the order of an orders/create or orders/paid webhook body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from integrations import commerce
from integrations.connectors.shopify import mappers, paging, queries, webhook_orders
from integrations.connectors.shopify import payloads as p
from integrations.connectors.shopify.exceptions import ShopifyNotFound
from integrations.connectors.shopify.transport import ShopifyTransport

NAMES_PER_QUERY = 25


def order_gid(order_id: str) -> str:
    return order_id if order_id.startswith("gid://") else f"gid://shopify/Order/{order_id}"


def orders_iter(
    transport: ShopifyTransport,
    *,
    updated_since: dt.datetime | None = None,
    created_since: dt.datetime | None = None,
    query: str | None = None,
    page_size: int | None = None,
) -> Iterator[commerce.Order]:
    search = p.search(
        f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "",
        f"created_at:>='{p.iso(created_since)}'" if created_since else "",
        query or "",
    )
    path = ("orders",)
    first = paging.page_size(path, page_size)
    for node in paging.paginate(transport, queries.ORDERS_PAGE, path, {"query": search}, first=first):
        yield mappers.order(paging.order_complete(transport, node))


def orders_by_names(
    transport: ShopifyTransport, names: Iterable[str], *, page_size: int | None = None
) -> list[commerce.Order]:
    names = [n for n in names if n]
    found: list[commerce.Order] = []
    for start in range(0, len(names), NAMES_PER_QUERY):
        search = " OR ".join(f'name:"{name}"' for name in names[start : start + NAMES_PER_QUERY])
        found.extend(orders_iter(transport, query=search, page_size=page_size))
    return found


def order_get(transport: ShopifyTransport, order_id: str) -> commerce.Order:
    gid = order_gid(order_id)
    node = transport.execute(queries.ORDER_GET, {"id": gid}).get("order")
    if node is None:
        raise ShopifyNotFound(f"Order {gid} not found.")
    return mappers.order(paging.order_complete(transport, node))


def orders_by_ids(transport: ShopifyTransport, order_ids: Iterable[str]) -> Iterator[commerce.Order]:
    """The orders with these ids, read in full, several per request; a missing one is left out."""
    ids = [order_gid(order_id) for order_id in order_ids]
    per_query = queries.ORDERS_BY_ID_PER_QUERY
    for start in range(0, len(ids), per_query):
        chunk = ids[start : start + per_query]
        data = transport.execute(queries.orders_by_id_query(len(chunk)), {f"o{i}": gid for i, gid in enumerate(chunk)})
        for i in range(len(chunk)):
            node = data.get(f"o{i}")
            if node is not None:
                yield mappers.order(paging.order_complete(transport, node))


def order_stamps_iter(
    transport: ShopifyTransport, *, updated_since: dt.datetime | None = None, page_size: int | None = None
) -> Iterator[commerce.OrderStamp]:
    """Each order updated since ``updated_since``: its id, name and last change, 250 a page at
    about one point per order (a sweep decides from these which orders to read in full)."""
    search = p.search(f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "")
    path = ("orderStamps",)
    first = paging.page_size(path, page_size)
    for node in paging.paginate(transport, queries.ORDER_STAMPS_PAGE, path, {"query": search}, first=first):
        yield commerce.OrderStamp(
            id=node["id"], name=node.get("name") or "", updated_at=mappers.parse_datetime(node.get("updatedAt"))
        )


def order_from_webhook(transport: ShopifyTransport, payload: dict) -> commerce.Order:
    """The order of an orders/create or orders/paid body: built from the body plus one small read
    of what the body lacks (webhook_orders.COMPLEMENT); read in full when the body cannot stand
    for the order (trimmed, with refunds, changed since it was sent, or lines the read misses)."""
    node = webhook_orders.order_node_from_webhook(payload)
    if node is None:
        return order_get(transport, str(payload.get("admin_graphql_api_id") or payload.get("id") or ""))
    line_count = len(node["lineItems"]["edges"])
    complement = transport.execute(queries.order_complements_query([line_count]), {"o0": node["id"]}).get("o0")
    if complement is None:
        raise ShopifyNotFound(f"Order {node['id']} not found.")
    if not webhook_orders.complete_enough(node, complement):
        return order_get(transport, node["id"])
    return mappers.order(webhook_orders.node_complete(node, complement))


def order_usage_iter(
    transport: ShopifyTransport, *, created_since: dt.datetime, page_size: int | None = None
) -> Iterator[commerce.OrderUsage]:
    """What each order since ``created_since`` used, newest first (a cheap query, no amounts)."""
    search = p.search(f"created_at:>='{p.iso(created_since)}'")
    path = ("orderUsage",)
    first = paging.page_size(path, page_size)
    for node in paging.paginate(transport, queries.ORDER_USAGE_PAGE, path, {"query": search}, first=first):
        yield mappers.order_usage(node)


def orders_count(
    transport: ShopifyTransport,
    query: str | None = None,
    *,
    created_since: dt.datetime | None = None,
    limit: int | None = None,
) -> int | None:
    search = p.search(f"created_at:>='{p.iso(created_since)}'" if created_since else "", query or "")
    data = transport.execute(queries.ORDERS_COUNT, {"query": search, "limit": limit})
    count = (data.get("ordersCount") or {}).get("count")
    return int(count) if count is not None else None
