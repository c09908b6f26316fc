"""Shopify's webhook deliveries as integrations/commerce/platform.py's ``ShopWebhookIntake``: the
X-Shopify-Hmac-Sha256 check (the app's client secrets or a custom app's webhook secret, chosen by
the core), the X-Shopify-* headers and the JSON body, and the run each order, order-edit or refund
topic becomes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from integrations.commerce.webhooks import ShopWebhookDelivery
from integrations.connectors.shopify.exceptions import ShopifyWebhookBodyError
from integrations.connectors.shopify.platform import PLATFORM
from integrations.connectors.shopify.webhooks import order_edit_from_webhook, webhook_verify

HMAC_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
SHOP_DOMAIN_HEADER = "X-Shopify-Shop-Domain"

ORDER_TOPICS = {"orders/create", "orders/updated", "orders/paid", "orders/cancelled"}
# Its body is an order_edit (the order's id and the line additions and removals), not an order:
# the run re-reads the order by id.
ORDER_EDIT_TOPICS = {"orders/edited"}
REFUND_TOPICS = {"refunds/create"}
UNINSTALL_TOPICS = {"app/uninstalled"}


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == lowered), "")


def json_object(raw_body: bytes) -> dict | None:
    try:
        payload = json.loads(raw_body)
    except ValueError:
        return None
    # Shopify always sends an object; a list or a number would sit "received" forever.
    return payload if isinstance(payload, dict) else None


def _order_gid(value) -> str:
    if not value:
        return ""
    value = str(value)
    return value if value.startswith("gid://") else f"gid://shopify/Order/{value}"


def _refund_gid(value) -> str:
    if not value:
        return ""
    value = str(value)
    return value if value.startswith("gid://") else f"gid://shopify/Refund/{value}"


class ShopifyWebhookIntake:
    platform = PLATFORM

    def webhook_ping(self, *, headers: Mapping[str, str], body: bytes) -> bool:
        return False  # Shopify sends no ping

    def webhook_verified(self, *, headers: Mapping[str, str], body: bytes, secrets: Sequence[str]) -> bool:
        return webhook_verify(raw_body=body, hmac_header=_header(headers, HMAC_HEADER), secrets=tuple(secrets))

    def webhook_delivery(self, *, headers: Mapping[str, str], body: bytes) -> ShopWebhookDelivery:
        payload = json_object(body)
        if payload is None:
            raise ShopifyWebhookBodyError("The webhook body is not a JSON object.")
        return ShopWebhookDelivery(
            topic=_header(headers, TOPIC_HEADER),
            delivery_id=_header(headers, WEBHOOK_ID_HEADER),
            payload=payload,
            shop_domain=_header(headers, SHOP_DOMAIN_HEADER),
        )

    def webhook_uninstalls(self, topic: str) -> bool:
        return topic in UNINSTALL_TOPICS

    def webhook_run_parameters(self, *, topic: str, payload: dict) -> dict | None:
        """Raises ShopifyError for an ``orders/edited`` body it cannot read."""
        if topic in ORDER_TOPICS:
            order_id = payload.get("admin_graphql_api_id") or _order_gid(payload.get("id"))
            return {"order_ids": [order_id] if order_id else [], "order_names": [payload.get("name") or ""]}
        if topic in ORDER_EDIT_TOPICS:
            edit = order_edit_from_webhook(payload)
            return {
                "order_ids": [edit.order_id],
                "order_edit": {
                    "id": edit.id,
                    "added": [line.line_item_id for line in edit.additions],
                    "removed": [line.line_item_id for line in edit.removals],
                },
            }
        if topic in REFUND_TOPICS:
            refund_id = payload.get("admin_graphql_api_id") or _refund_gid(payload.get("id"))
            return {"order_ids": [_order_gid(payload.get("order_id"))], "refund_ids": [refund_id]}
        return None
