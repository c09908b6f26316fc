"""WooCommerce's webhook deliveries as integrations/commerce/platform.py's ``ShopWebhookIntake``:
the ping WooCommerce sends when a webhook is saved, the X-WC-Webhook-Signature check, the parsed
delivery, and the orders run an order delivery becomes (a refund arrives as ``order.updated``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from integrations.commerce.webhooks import ShopWebhookDelivery
from integrations.connectors.woocommerce.commerce import woo_gid, woo_order_name
from integrations.connectors.woocommerce.platform import PLATFORM
from integrations.connectors.woocommerce.webhooks import webhook_delivery_parse, webhook_ping, webhook_verified

ORDER_TOPICS = {"order.created", "order.updated", "order.restored"}


class WooCommerceWebhookIntake:
    platform = PLATFORM

    def webhook_ping(self, *, headers: Mapping[str, str], body: bytes) -> bool:
        return webhook_ping(headers=headers, body=body) is not None

    def webhook_verified(self, *, headers: Mapping[str, str], body: bytes, secrets: Sequence[str]) -> bool:
        return webhook_verified(headers=headers, body=body, secrets=secrets)

    def webhook_delivery(self, *, headers: Mapping[str, str], body: bytes) -> ShopWebhookDelivery:
        """Raises WooValidationError (a ``ShopRefused``): no topic, or no JSON object."""
        delivery = webhook_delivery_parse(headers=headers, body=body)
        return ShopWebhookDelivery(topic=delivery.topic, delivery_id=delivery.delivery_id, payload=delivery.payload)

    def webhook_uninstalls(self, topic: str) -> bool:
        return False  # a store's keys are revoked in WordPress: no delivery says so

    def webhook_run_parameters(self, *, topic: str, payload: dict) -> dict | None:
        if topic not in ORDER_TOPICS:
            return None
        order_id = payload.get("id")
        if not isinstance(order_id, int) or order_id <= 0:
            return {"order_ids": [], "order_names": []}
        return {
            "order_ids": [woo_gid("Order", order_id)],
            "order_names": [woo_order_name(payload.get("number") or order_id)],
        }
