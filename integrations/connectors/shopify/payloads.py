"""Product-side records -> Shopify mutation inputs (plain dicts), and search-string helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from integrations import commerce
from integrations.connectors.shopify import types as t


def iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_key(key: str, payload: dict) -> str:
    """The ``@idempotent`` key of one request: the caller's key plus a digest of what is sent."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    return f"{key[:40]}-{digest}"


def search(*parts: str) -> str | None:
    joined = " ".join(p for p in parts if p)
    return joined or None


def money_str(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def product_input(product: commerce.ProductInput) -> dict:
    fields = {
        "id": product.id,
        "title": product.title,
        "status": product.status,
        "vendor": product.vendor,
        "productType": product.product_type,
        "tags": list(product.tags) if product.tags is not None else None,
        "descriptionHtml": product.description_html,
    }
    return {k: v for k, v in fields.items() if v is not None}


def variant_input(variant: commerce.VariantInput) -> dict:
    inventory_item: dict = {}
    if variant.sku is not None:
        inventory_item["sku"] = variant.sku
    if variant.weight is not None:
        inventory_item["measurement"] = {"weight": {"unit": variant.weight_unit, "value": float(variant.weight)}}
    fields = {
        "id": variant.id,
        "price": money_str(variant.price),
        "compareAtPrice": money_str(variant.compare_at_price),
        "barcode": variant.barcode,
        "taxable": variant.taxable,
        "inventoryItem": inventory_item or None,
        "optionValues": [{"optionName": o.name, "name": o.value} for o in variant.option_values] or None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def inventory_set_input(
    changes: list[commerce.InventoryChange], *, reason: str, reference_document_uri: str | None = None
) -> dict:
    """``changeFromQuantity`` is always present (Shopify refuses a quantity without it since 2026-04)."""
    payload: dict = {
        "name": "available",
        "reason": reason,
        "quantities": [
            {
                "inventoryItemId": c.inventory_item_id,
                "locationId": c.location_id,
                "quantity": c.quantity,
                "changeFromQuantity": c.change_from_quantity,
            }
            for c in changes
        ],
    }
    if reference_document_uri:
        payload["referenceDocumentUri"] = reference_document_uri
    return payload


def fulfillment_input(
    lines: list[t.FulfillmentLineInput], *, tracking: commerce.Tracking | None = None, notify_customer: bool = False
) -> dict:
    """Shopify's FulfillmentInput: the lines grouped by fulfillment order, tracking when known."""
    grouped: dict[str, list[dict]] = {}
    for line in lines:
        grouped.setdefault(line.fulfillment_order_id, []).append(
            {"id": line.fulfillment_order_line_id, "quantity": line.quantity}
        )
    payload: dict = {
        "lineItemsByFulfillmentOrder": [
            {"fulfillmentOrderId": order_id, "fulfillmentOrderLineItems": items} for order_id, items in grouped.items()
        ],
        "notifyCustomer": notify_customer,
    }
    if tracking is not None and (tracking.number or tracking.company or tracking.url):
        payload["trackingInfo"] = {
            key: value
            for key, value in (("number", tracking.number), ("company", tracking.company), ("url", tracking.url))
            if value
        }
    return payload
