"""Merchant-facing names for the shop's and providers' codes: "Shopify Payments", not "shopify_payments"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# Shopify's payment gateway names and this product's provider codes, as the merchant knows them.
GATEWAY_LABELS = {
    "shopify_payments": "Shopify Payments",
    "stripe": "Stripe",
    "paypal": "PayPal",
    "klarna": "Klarna",
    "adyen": "Adyen",
    "manual": gettext_lazy("Manual payment"),
    "gift_card": gettext_lazy("Gift card"),
    "cash_on_delivery": gettext_lazy("Cash on delivery"),
}


def gateway_label(code: str) -> str:
    """A known gateway's or provider's name; an unknown one with its underscores as spaces."""
    known = GATEWAY_LABELS.get(code)
    return str(known) if known else (code or "").replace("_", " ").strip().capitalize() or code
