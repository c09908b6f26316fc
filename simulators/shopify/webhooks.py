"""Signed webhook deliveries, as Shopify sends them.

``sim.webhooks.deliver(topic, payload, url, secret)`` POSTs the JSON body with X-Shopify-Topic,
X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the exact body bytes), X-Shopify-Shop-Domain,
X-Shopify-Webhook-Id and X-Shopify-API-Version. ``build`` returns the body and headers without
sending, for a test client. Payloads use Shopify's REST shape (snake_case, numeric ids plus
``admin_graphql_api_id``): ``order_payload`` / ``refund_payload`` make them from the store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

import requests

from simulators.shopify.versions import SERVED_VERSION

API_VERSION = SERVED_VERSION


@dataclass
class Delivery:
    topic: str
    url: str
    webhook_id: str
    status: int | None


class WebhookSender:
    def __init__(self, sim) -> None:
        self.sim = sim
        self.deliveries: list[Delivery] = []

    def build(self, topic: str, payload: dict, secret: str, *, webhook_id: str | None = None) -> tuple[bytes, dict]:
        body = json.dumps(payload, separators=(",", ":")).encode()
        signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Shop-Domain": self.sim.shop_domain,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Triggered-At": self.sim.store.now_iso(),
        }
        return body, headers

    def deliver(
        self,
        topic: str,
        payload: dict,
        url: str,
        secret: str,
        *,
        webhook_id: str | None = None,
        session: requests.Session | None = None,
        timeout: float = 10.0,
    ) -> requests.Response:
        body, headers = self.build(topic, payload, secret, webhook_id=webhook_id)
        response = (session or requests).post(url, data=body, headers=headers, timeout=timeout)
        self.deliveries.append(Delivery(topic, url, headers["X-Shopify-Webhook-Id"], response.status_code))
        return response

    def emit(self, topic: str, payload: dict) -> list[requests.Response]:
        """What Shopify does when something happens: every subscriber of ``topic`` gets it, signed
        with the app's client secret."""
        return self.deliver_to_subscriptions(topic, payload, self.sim.app.client_secret)

    def deliver_to_subscriptions(self, topic: str, payload: dict, secret: str) -> list[requests.Response]:
        """Send to every stored subscription of ``topic`` (``orders/create`` or ``ORDERS_CREATE``)."""
        enum = topic.upper().replace("/", "_")
        header_topic = topic.lower() if "/" in topic else topic.lower().replace("_", "/", 1)
        return [
            self.deliver(header_topic, payload, sub["uri"], secret)
            for sub in list(self.sim.store.webhook_subscriptions.values())
            if sub["topic"] == enum
        ]

    def order_payload(self, order_id: str) -> dict:
        order = self.sim.store.orders[order_id]
        return {
            "id": _legacy(order["id"]),
            "admin_graphql_api_id": order["id"],
            "name": order["name"],
            "created_at": order["createdAt"],
            "updated_at": order["updatedAt"],
            "test": order["test"],
            "currency": order["currencyCode"],
            "presentment_currency": order["presentmentCurrencyCode"],
            "total_price": order["totalPriceSet"]["shopMoney"]["amount"],
            "financial_status": (order["displayFinancialStatus"] or "").lower(),
            "email": order.get("email"),
            "line_items": [
                {
                    "id": _legacy(line["id"]),
                    "sku": line["sku"],
                    "quantity": line["quantity"],
                    "price": line["originalUnitPriceSet"]["shopMoney"]["amount"],
                }
                for line in order["lineItems"]
            ],
        }

    def order_edit_payload(
        self, order_id: str, *, added: list[tuple[str, int]] = (), removed: list[tuple[str, int]] = ()
    ) -> dict:
        """An ``orders/edited`` body: the edit (order id, line additions and removals), not the order.

        ``added`` / ``removed`` are (line item id, quantity delta) pairs.
        """
        edit_number = self.sim.store.new_id("OrderEdit").rsplit("/", 1)[-1]
        return {
            "order_edit": {
                "id": int(edit_number),
                "app_id": None,
                "created_at": self.sim.store.now_iso(),
                "notify_customer": False,
                "order_id": _legacy(order_id),
                "staff_note": "",
                "user_id": None,
                "line_items": {
                    "additions": [{"id": _legacy(line), "delta": delta} for line, delta in added],
                    "removals": [{"id": _legacy(line), "delta": delta} for line, delta in removed],
                },
                "discounts": {"line_item": {"additions": [], "removals": []}},
                "shipping_lines": {"additions": [], "removals": []},
            }
        }

    def refund_payload(self, refund: dict) -> dict:
        order = refund["_order"]
        return {
            "id": _legacy(refund["id"]),
            "admin_graphql_api_id": refund["id"],
            "order_id": _legacy(order["id"]),
            "created_at": refund["createdAt"],
            "note": refund.get("note"),
            "refund_line_items": [
                {
                    "line_item_id": _legacy(r["lineItem"]["id"]),
                    "quantity": r["quantity"],
                    "restock_type": r["restockType"].lower(),
                }
                for r in refund["refundLineItems"]
            ],
        }


def _legacy(gid: str) -> int:
    return int(gid.rsplit("/", 1)[-1])
