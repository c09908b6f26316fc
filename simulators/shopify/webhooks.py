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
        """The order as an orders/create (or orders/updated, orders/paid) body: Shopify's REST
        order shape. As Shopify's, it has no transactions, no risk assessments, no sales channel
        name (only ``app_id``) and no variant barcode or tax code on its lines."""
        order = self.sim.store.orders[order_id]
        applications = order.get("discountApplications") or []
        return {
            "id": _legacy(order["id"]),
            "admin_graphql_api_id": order["id"],
            "name": order["name"],
            "created_at": order["createdAt"],
            "updated_at": order["updatedAt"],
            "cancelled_at": order.get("cancelledAt"),
            "test": order["test"],
            "currency": order["currencyCode"],
            "presentment_currency": order["presentmentCurrencyCode"],
            "total_price": order["totalPriceSet"]["shopMoney"]["amount"],
            "financial_status": (order["displayFinancialStatus"] or "").lower(),
            "fulfillment_status": _FULFILLMENT.get(order.get("displayFulfillmentStatus")),
            "email": order.get("email"),
            "contact_email": order.get("email"),
            "phone": order.get("phone"),
            "tags": ", ".join(order.get("tags") or []),
            "note": order.get("note"),
            "taxes_included": order.get("taxesIncluded", True),
            "source_name": order.get("sourceName"),
            "app_id": _legacy((order.get("app") or {}).get("id") or "gid://shopify/App/0"),
            "payment_gateway_names": list(order.get("paymentGatewayNames") or []),
            "customer": _customer(order.get("customer")),
            "billing_address": _address(order.get("billingAddress")),
            "shipping_address": _address(order.get("shippingAddress")),
            "total_price_set": _bag(order.get("totalPriceSet")),
            "total_tax_set": _bag(order.get("totalTaxSet")),
            "subtotal_price_set": _bag(order.get("subtotalPriceSet")),
            "total_shipping_price_set": _bag(order.get("totalShippingPriceSet")),
            "total_discounts_set": _bag(order.get("totalDiscountsSet")),
            "discount_applications": [_discount_application(a) for a in applications],
            "line_items": [
                {
                    "id": _legacy(line["id"]),
                    "admin_graphql_api_id": line["id"],
                    "title": line.get("title"),
                    "name": line.get("name"),
                    "sku": line["sku"],
                    "quantity": line["quantity"],
                    "price": line["originalUnitPriceSet"]["shopMoney"]["amount"],
                    "price_set": _bag(line["originalUnitPriceSet"]),
                    "gift_card": bool(line.get("isGiftCard")),
                    "taxable": line.get("taxable", True),
                    "variant_id": _legacy((line.get("variant") or {}).get("id") or "gid://shopify/ProductVariant/0"),
                    "discount_allocations": _allocations(line.get("discountAllocations"), applications),
                    "tax_lines": _tax_lines(line.get("taxLines")),
                }
                for line in order["lineItems"]
            ],
            "shipping_lines": [
                {
                    "id": _legacy(line["id"]),
                    "title": line.get("title"),
                    "code": line.get("code"),
                    "source": line.get("source"),
                    "price_set": _bag(line.get("originalPriceSet")),
                    "discounted_price_set": _bag(line.get("discountedPriceSet")),
                    "discount_allocations": _allocations(line.get("discountAllocations"), applications),
                    "tax_lines": _tax_lines(line.get("taxLines")),
                }
                for line in order.get("shippingLines") or []
            ],
            "refunds": [{"id": _legacy(refund["id"])} for refund in order.get("refunds") or []],
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


_FULFILLMENT = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}
_DISCOUNT_TYPES = {
    "DiscountCodeApplication": "discount_code",
    "AutomaticDiscountApplication": "automatic",
    "ManualDiscountApplication": "manual",
    "ScriptDiscountApplication": "script",
}


def _money(money: dict | None) -> dict | None:
    return {"amount": money["amount"], "currency_code": money["currencyCode"]} if money else None


def _bag(bag: dict | None) -> dict | None:
    if not bag:
        return None
    return {"shop_money": _money(bag.get("shopMoney")), "presentment_money": _money(bag.get("presentmentMoney"))}


def _address(address: dict | None) -> dict | None:
    if not address:
        return None
    return {
        "first_name": address.get("firstName"),
        "last_name": address.get("lastName"),
        "company": address.get("company"),
        "address1": address.get("address1"),
        "address2": address.get("address2"),
        "city": address.get("city"),
        "zip": address.get("zip"),
        "province_code": address.get("provinceCode"),
        "country_code": address.get("countryCodeV2"),
        "phone": address.get("phone"),
    }


def _customer(customer: dict | None) -> dict | None:
    if not customer:
        return None
    return {
        "id": _legacy(customer["id"]),
        "admin_graphql_api_id": customer["id"],
        "first_name": customer.get("firstName"),
        "last_name": customer.get("lastName"),
        "email": (customer.get("defaultEmailAddress") or {}).get("emailAddress") or customer.get("email"),
        "phone": (customer.get("defaultPhoneNumber") or {}).get("phoneNumber") or customer.get("phone"),
        "tax_exempt": bool(customer.get("taxExempt")),
        "tags": ", ".join(customer.get("tags") or []),
        "updated_at": customer.get("updatedAt"),
        "default_address": _address(customer.get("defaultAddress")),
    }


def _tax_lines(lines: list | None) -> list[dict]:
    return [{"title": t.get("title"), "rate": t.get("rate"), "price_set": _bag(t.get("priceSet"))} for t in lines or ()]


def _allocations(allocations: list | None, applications: list) -> list[dict]:
    out = []
    for allocation in allocations or ():
        application = allocation.get("discountApplication")
        index = next((i for i, a in enumerate(applications) if a is application), None)
        if index is None and application is not None:
            index = application.get("index")
        out.append({"amount_set": _bag(allocation.get("allocatedAmountSet")), "discount_application_index": index})
    return out


def _discount_application(application: dict) -> dict:
    value = application.get("value") or {}
    percentage = "percentage" in value
    return {
        "type": _DISCOUNT_TYPES.get(application.get("__typename"), "discount_code"),
        "value": str(value.get("percentage") if percentage else value.get("amount")),
        "value_type": "percentage" if percentage else "fixed_amount",
        "allocation_method": str(application.get("allocationMethod") or "").lower(),
        "target_type": str(application.get("targetType") or "").lower(),
        "code": application.get("code"),
        "title": application.get("title") or application.get("code"),
    }
