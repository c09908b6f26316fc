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


def batches(updates: list, size: int = MAX_BATCH_ITEMS) -> Iterator[list]:
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


# --- products and variations ----------------------------------------------------------------------

# Setting ids of the tax group (``/settings/tax/<id>``) the connector reads.
PRICES_INCLUDE_TAX_SETTING = "woocommerce_prices_include_tax"


@dataclass(frozen=True, kw_only=True)
class ProductWrite:
    """A product to create or update: ``simple`` with its own SKU and price, or ``variable`` with
    one attribute used for variations (``attribute_name`` with ``attribute_options``); its
    variations are written separately (VariationWrite). Prices are WooCommerce decimal strings."""

    name: str
    type: str = "simple"
    status: str = "publish"
    sku: str = ""
    regular_price: str = ""
    description: str = ""
    weight: str = ""
    attribute_name: str = ""
    attribute_options: tuple[str, ...] = ()
    manage_stock: bool | None = None  # None: left as the store has it

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "status": self.status,
            "sku": self.sku,
            "description": self.description,
        }
        if self.type == "simple":
            body["regular_price"] = self.regular_price
        if self.weight:
            body["weight"] = self.weight
        if self.manage_stock is not None:
            body["manage_stock"] = self.manage_stock
        if self.attribute_name:
            options = list(self.attribute_options)
            body["attributes"] = [{"name": self.attribute_name, "options": options, "variation": True, "visible": True}]
        return body


@dataclass(frozen=True, kw_only=True)
class VariationWrite:
    """One variation of a variable product: created when ``id`` is 0, else updated."""

    sku: str
    regular_price: str
    attribute_name: str
    option: str
    status: str = "publish"
    weight: str = ""
    id: int = 0
    manage_stock: bool | None = None  # None: left as the store has it

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "sku": self.sku,
            "regular_price": self.regular_price,
            "status": self.status,
            "attributes": [{"name": self.attribute_name, "option": self.option}],
        }
        if self.weight:
            body["weight"] = self.weight
        if self.manage_stock is not None:
            body["manage_stock"] = self.manage_stock
        if self.id:
            body["id"] = self.id
        return body


def variations_batch_body(variations: Iterable[VariationWrite]) -> dict[str, Any]:
    """``create`` for new variations, ``update`` (with ``id``) for known ones; empty keys left out."""
    create = [v.to_json() for v in variations if not v.id]
    update = [v.to_json() for v in variations if v.id]
    return {key: items for key, items in (("create", create), ("update", update)) if items}
