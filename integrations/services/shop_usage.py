"""What the shop really used in its recent orders (by default the last 90 days): countries shipped
to, payment gateways, currencies, shipping methods and tax lines, each with how many orders and the
first order names. The settings step proposes a mapping row for each; go-live names the orders that
would fail a mapping."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.utils.translation import gettext_lazy

from integrations.commerce import OrderUsage
from integrations.connectors.shopify import ShopifyClient
from integrations.labels import gateway_label

LOOKBACK_DAYS = 90
# The most recent orders read: enough to see what a shop uses, and one or two cheap pages (cost).
MAX_ORDERS = 100
EXAMPLES = 5

COUNTRY = "country"
GATEWAY = "gateway"
CURRENCY = "currency"
SHIPPING = "shipping"
TAX = "tax"


@dataclass
class ShopUsage:
    days: int
    orders: int = 0
    truncated: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def values(self, kind: str) -> list[str]:
        """Most used first."""
        return [value for value, _count in self.counts[kind].most_common()]

    def orders_using(self, kind: str, value: str) -> list[str]:
        return self.examples.get((kind, value), [])

    @property
    def summary(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """(what, [(value, orders), ...]) for the page, most used first."""
        return [
            (
                str(KIND_LABELS[kind]),
                [(gateway_label(v) if kind == GATEWAY else v, n) for v, n in self.counts[kind].most_common()],
            )
            for kind in KINDS
            if self.counts[kind]
        ]


KINDS: tuple[str, ...] = (COUNTRY, GATEWAY, CURRENCY, SHIPPING, TAX)
KIND_LABELS = {
    COUNTRY: gettext_lazy("Countries shipped to"),
    GATEWAY: gettext_lazy("Payment gateways"),
    CURRENCY: gettext_lazy("Currencies"),
    SHIPPING: gettext_lazy("Shipping methods"),
    TAX: gettext_lazy("Tax lines"),
}


def _tax_label(title: str, rate: Decimal) -> str:
    """ "Moms 25%": the tax line's title, with its rate unless the title names it already."""
    if "%" in title:
        return title
    percent = rate * 100 if rate < 1 else rate
    return f"{title} {percent.normalize():f}%"


def _order_values(order: OrderUsage) -> dict[str, set[str]]:
    return {
        COUNTRY: {order.country} if order.country else set(),
        GATEWAY: {g for g in order.gateways if g},
        CURRENCY: {c.upper() for c in order.currencies},
        SHIPPING: {m for m in order.shipping_methods if m},
        TAX: {_tax_label(title, rate) for title, rate in order.tax_lines},
    }


def shop_usage_read(
    *, client: ShopifyClient, now: dt.datetime, days: int = LOOKBACK_DAYS, limit: int = MAX_ORDERS
) -> ShopUsage:
    """Read the shop's orders of the last ``days`` (test orders aside) and count what they used."""
    usage = ShopUsage(days=days)
    orders = client.order_usage_iter(created_since=now - dt.timedelta(days=days))
    for order in islice(orders, limit + 1):
        if usage.orders == limit:
            usage.truncated = True
            break
        if order.test:
            continue
        usage.orders += 1
        for kind, values in _order_values(order).items():
            for value in values:
                usage.counts[kind][value] += 1
                names = usage.examples.setdefault((kind, value), [])
                if len(names) < EXAMPLES:
                    names.append(order.name)
    return usage
