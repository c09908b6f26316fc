"""The accounting-relevant fingerprint of an order: its digest detects edits after sync.

Only fields that change the BC document count (lines, prices, discounts, shipping, totals,
currency, buyer, destination); a new tag or note is not a conflict.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from integrations.commerce import MoneyBag, Order

from .customers import order_country


def _money(bag: MoneyBag | None) -> str:
    if bag is None:
        return ""
    return f"{bag.shop.amount} {bag.shop.currency} / {bag.presentment.amount} {bag.presentment.currency}"


def order_fingerprint(order: Order) -> dict[str, Any]:
    fingerprint: dict[str, Any] = {
        "currency": order.currency,
        "presentment_currency": order.presentment_currency,
        "total_price": _money(order.total_price),
        "total_tax": _money(order.total_tax),
        "email": (order.email or "").strip().lower(),
        "country": order_country(order),
        "cancelled": bool(order.cancelled_at),
    }
    for line in order.line_items:
        discount = sum((a.amount.shop.amount for a in line.discount_allocations), 0)
        fingerprint[f"line {line.sku or line.id}"] = f"{line.quantity} x {_money(line.unit_price)} - {discount}"
    for shipping in order.shipping_lines:
        fingerprint[f"shipping {shipping.code or shipping.id}"] = _money(shipping.discounted_price or shipping.price)
    return fingerprint


def fingerprint_digest(fingerprint: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint_diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field changes, for the conflict view: [{field, before, after}]."""
    return [
        {"field": key, "before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]
