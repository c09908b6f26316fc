"""What the connector writes to WooCommerce, as dataclasses that render only writable fields.

The contract tests check every key rendered here against the reference: it exists on the
resource and is not read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# WooCommerce's batch endpoints take at most this many items per request (create + update + delete).
MAX_BATCH_ITEMS = 100


@dataclass(frozen=True, kw_only=True)
class StockUpdate:
    """Set the stock of a simple product (``variation_id=0``) or of one variation to ``quantity``.

    An absolute quantity, never ``inventory_delta``: resending it after a lost answer is harmless.
    """

    product_id: int
    quantity: int
    variation_id: int = 0

    @property
    def target_id(self) -> int:
        return self.variation_id or self.product_id

    def to_json(self) -> dict[str, Any]:
        return {"id": self.target_id, "manage_stock": True, "stock_quantity": int(self.quantity)}


def batch_body(updates: Iterable[StockUpdate]) -> dict[str, Any]:
    return {"update": [update.to_json() for update in updates]}


def batches(updates: list[StockUpdate], size: int = MAX_BATCH_ITEMS) -> Iterator[list[StockUpdate]]:
    for start in range(0, len(updates), size):
        yield updates[start : start + size]


@dataclass(frozen=True, kw_only=True)
class WebhookCreate:
    """A webhook to save in the store: WooCommerce pings ``delivery_url`` once it is saved and then
    delivers ``topic`` there, signed with ``secret`` (base64 HMAC-SHA256 of the body)."""

    name: str
    topic: str
    delivery_url: str
    secret: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "topic": self.topic,
            "delivery_url": self.delivery_url,
            "secret": self.secret,
            "status": "active",
        }
