"""Bulk operations: start, poll, download, and reassemble the JSONL by ``__parentId``.

Since 2026-01 Shopify writes the lines of a bulk query in no particular order unless
``groupObjects: true`` is asked for (which Shopify says is slower and fails more often). The
product asks for ungrouped output and places every child line by its ``__parentId`` whatever the
line order: the download is spooled to a temporary SQLite file indexed by parent, so memory stays
one record deep however large the backfill. A child line is placed by its ``__typename`` (the bulk
queries select it on every nested connection's nodes).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from integrations import commerce
from integrations.connectors.shopify import mappers, paging, queries
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.exceptions import ShopifyBulkOperationFailed, ShopifyError, ShopifyUserError
from integrations.connectors.shopify.transport import ShopifyTransport

# Bulk orders are finished (their refunds read) and yielded this many at a time.
BULK_ORDERS_BUFFER = 50
BULK_FINISHED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}

# ``__typename`` of a child line -> the connection it belongs to on its parent.
CHILD_CONNECTIONS = {
    "LineItem": "lineItems",
    "ShippingLine": "shippingLines",
    "DiscountCodeApplication": "discountApplications",
    "AutomaticDiscountApplication": "discountApplications",
    "ManualDiscountApplication": "discountApplications",
    "ScriptDiscountApplication": "discountApplications",
    "ProductVariant": "variants",
}


def reassemble(lines: Iterable[bytes | str]) -> Iterator[dict]:
    """Top-level records in file order, each with its children (and theirs) placed under it.

    Lines may come in any order: a child before its parent, or far from it.
    """
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(str(Path(folder) / "bulk.sqlite3"))
        try:
            db.execute("CREATE TABLE line (seq INTEGER PRIMARY KEY, parent TEXT, body TEXT NOT NULL)")
            ids: set[str] = set()
            orphans: set[str] = set()
            with db:
                for seq, raw in enumerate(lines):
                    if not raw or not raw.strip():
                        continue
                    text = raw.decode() if isinstance(raw, bytes) else raw
                    obj = json.loads(text)
                    parent = obj.get("__parentId")
                    if parent is not None:
                        orphans.add(parent)
                    if obj.get("id"):
                        ids.add(obj["id"])
                    db.execute("INSERT INTO line (seq, parent, body) VALUES (?, ?, ?)", (seq, parent, text))
            if orphans - ids:
                raise ShopifyError("Bulk operation result has a child line whose parent is not in the file.")
            del ids, orphans
            db.execute("CREATE INDEX line_parent ON line (parent, seq)")
            cursor = db.execute("SELECT body FROM line WHERE parent IS NULL ORDER BY seq")
            for (body,) in cursor:
                record = json.loads(body)
                _attach_children(db, record)
                yield record
        finally:
            db.close()


def _attach_children(db: sqlite3.Connection, record: dict) -> None:
    if not record.get("id"):
        return
    rows = db.execute("SELECT body FROM line WHERE parent = ? ORDER BY seq", (record["id"],)).fetchall()
    for (body,) in rows:
        child = json.loads(body)
        child.pop("__parentId", None)
        # ``__typename`` stays on the record: a discount application's kind is its type name.
        key = CHILD_CONNECTIONS.get(child.get("__typename", ""))
        if key is None:
            raise ShopifyError("Bulk operation result has a child line the connector cannot place.")
        _attach_children(db, child)
        record.setdefault(key, []).append(child)


def bulk_run(
    transport: ShopifyTransport,
    bulk_query: str,
    *,
    poll_interval: float = 2.0,
    max_polls: int = 3600,
    on_poll: Callable[[], None] | None = None,
) -> t.BulkOperation:
    """Start a bulk query (ungrouped output) and poll it until it ends; ``on_poll()`` runs after every poll."""
    data = transport.execute(queries.BULK_RUN, {"query": bulk_query})["bulkOperationRunQuery"]
    user_errors = data.get("userErrors") or []
    if user_errors:
        message = "; ".join(str(e.get("message", "")) for e in user_errors)
        raise ShopifyUserError(f"bulkOperationRunQuery refused: {message}", user_errors=user_errors)
    op_id = data["bulkOperation"]["id"]
    for _ in range(max_polls):
        node = transport.execute(queries.BULK_NODE, {"id": op_id}).get("node") or {}
        operation = t.BulkOperation(
            id=op_id,
            status=node.get("status") or "",
            url=node.get("url") or "",
            object_count=int(node.get("objectCount") or 0),
            error_code=node.get("errorCode") or "",
        )
        if on_poll is not None:
            on_poll()
        if operation.status in BULK_FINISHED:
            if operation.status != "COMPLETED":
                raise ShopifyBulkOperationFailed(
                    f"Bulk operation {op_id} ended {operation.status} ({operation.error_code or 'no code'}).",
                    operation_id=op_id,
                    status=operation.status,
                    error_code=operation.error_code,
                )
            return operation
        transport.wait(poll_interval)
    raise ShopifyBulkOperationFailed(
        f"Bulk operation {op_id} did not finish after {max_polls} polls.", operation_id=op_id, status="RUNNING"
    )


def bulk_download(transport: ShopifyTransport, operation: t.BulkOperation) -> Iterator[dict]:
    """The operation's records, reassembled. Shopify gives no file when nothing matched."""
    if not operation.url:
        return
    # Spooled to a temporary file first: a flow that takes minutes per record cannot leave the
    # storage download idle until the storage side drops it.
    with tempfile.TemporaryFile() as spool:
        with transport.download(operation.url) as chunks:
            for chunk in chunks:
                spool.write(chunk)
        spool.seek(0)
        yield from reassemble(spool)


def bulk_orders(
    transport: ShopifyTransport,
    search: str | None,
    *,
    poll_interval: float = 2.0,
    max_polls: int = 3600,
    on_poll: Callable[[], None] | None = None,
) -> Iterator[commerce.Order]:
    """Orders matching ``search`` from one bulk operation, streamed as ``Order`` records (see
    ``ShopifyClient.bulk_orders``)."""
    operation = bulk_run(
        transport, queries.bulk_orders_query(search), poll_interval=poll_interval, max_polls=max_polls, on_poll=on_poll
    )
    pending: list[dict] = []
    for node in bulk_download(transport, operation):
        pending.append(node)
        if len(pending) >= BULK_ORDERS_BUFFER:
            yield from _orders_finish(transport, pending)
            pending = []
    yield from _orders_finish(transport, pending)


def _orders_finish(transport: ShopifyTransport, nodes: list[dict]) -> Iterator[commerce.Order]:
    """Read the refunds of the orders that have any (bulk queries cannot nest them), a few orders
    per request, then complete every capped connection as a paged read does."""
    with_refunds = [node for node in nodes if node.get("refunds")]
    per_query = queries.REFUNDS_ORDERS_PER_QUERY
    for start in range(0, len(with_refunds), per_query):
        chunk = with_refunds[start : start + per_query]
        data = transport.execute(
            queries.order_refunds_query(len(chunk)), {f"o{i}": node["id"] for i, node in enumerate(chunk)}
        )
        for i, node in enumerate(chunk):
            node["refunds"] = (data.get(f"o{i}") or {}).get("refunds") or []
    for node in nodes:
        yield mappers.order(paging.order_complete(transport, node))
