"""Reassemble a bulk operation's JSONL into nested records, streaming.

Shopify writes each object of a nested connection as its own line with ``__parentId`` right after
its parent, so one parent and its children are contiguous: records are yielded as soon as the next
top-level line starts, and a 100,000-order backfill never sits in memory at once. A child line is
placed by its ``__typename`` (the bulk query selects it on every nested connection's nodes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from integrations.connectors.shopify.exceptions import ShopifyError

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
    current: dict | None = None
    for raw in lines:
        if not raw or not raw.strip():
            continue
        obj = json.loads(raw)
        parent_id = obj.pop("__parentId", None)
        if parent_id is None:
            if current is not None:
                yield current
            current = obj
            continue
        # ``__typename`` stays on the record: a discount application's kind is its type name.
        key = CHILD_CONNECTIONS.get(obj.get("__typename", ""))
        if current is None or key is None or parent_id != current.get("id"):
            raise ShopifyError("Bulk operation result has a child line the connector cannot place.")
        current.setdefault(key, []).append(obj)
    if current is not None:
        yield current
