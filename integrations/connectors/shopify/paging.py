"""Cursor paging: the nodes of a connection, page after page, and an order's capped nested lists
completed with one small query per further page."""

from __future__ import annotations

from collections.abc import Iterator

from integrations.connectors.shopify import mappers, queries
from integrations.connectors.shopify.exceptions import ShopifyNotFound
from integrations.connectors.shopify.transport import ShopifyTransport

# Page sizes that keep each page's requested cost under Shopify's 1,000-point query limit, by the
# connection's name (or alias). ``orderStamps`` lists ids and dates only (one point per order).
PAGE_SIZES = {"orders": 6, "products": 8, "orderUsage": 50, "orderStamps": 250}
DEFAULT_PAGE_SIZE = 50


def page_size(path: tuple[str, ...], override: int | None = None) -> int:
    return override or PAGE_SIZES.get(path[-1], DEFAULT_PAGE_SIZE)


def paginate(
    transport: ShopifyTransport, query: str, path: tuple[str, ...], variables: dict | None = None, *, first: int
) -> Iterator[dict]:
    """Yield the nodes of the connection at ``path``, following pageInfo cursors."""
    after = None
    while True:
        data = transport.execute(query, {**(variables or {}), "first": first, "after": after})
        connection = dig(data, path)
        if connection is None:
            raise ShopifyNotFound(f"Shopify returned no {'.'.join(path)}.")
        yield from mappers.nodes(connection)
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            return
        after = page["endCursor"]


def order_complete(transport: ShopifyTransport, node: dict) -> dict:
    """Page the rest of every capped nested connection of an order and of each of its refunds.

    An order read asks for the first rows of each nested connection and its ``pageInfo``; a
    connection with more rows is completed here, one small query per further page. Plain lists
    (the order's transactions and refunds, and a bulk result's reassembled connections) hold
    every row already and are left as they are.
    """
    for key, query in queries.ORDER_CONNECTION_PAGES.items():
        connection_complete(transport, node, key, query, root="order")
    for refund in mappers.nodes(node.get("refunds")):
        for key, query in queries.REFUND_CONNECTION_PAGES.items():
            connection_complete(transport, refund, key, query, root="refund")
    return node


def connection_complete(transport: ShopifyTransport, owner: dict, key: str, query: str, *, root: str) -> None:
    connection = owner.get(key)
    if not isinstance(connection, dict):
        return
    page = connection.get("pageInfo") or {}
    while page.get("hasNextPage"):
        data = transport.execute(query, {"id": owner["id"], "after": page["endCursor"]})
        more = (data.get(root) or {}).get(key)
        if more is None:
            raise ShopifyNotFound(f"{root.title()} {owner['id']} disappeared while its {key} were read.")
        connection.setdefault("edges", []).extend(more.get("edges") or [])
        page = connection["pageInfo"] = more.get("pageInfo") or {}


def dig(data: dict | None, path: tuple[str, ...]):
    for key in path:
        if data is None:
            return None
        data = data.get(key)
    return data
