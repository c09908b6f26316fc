"""Build orders (and their refunds) with consistent amounts in shop and presentment currency.

Prices include VAT (``taxesIncluded: true``), as Swedish shops show them. Every amount is decided
in the presentment currency and converted to SEK with a fixed rate, and every total is the sum of
its converted parts, so the shop-money and presentment-money views are each internally exact.
VAT is the destination country's rate (OSS): the same gross price carries a different tax.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from simulators.shopify.clock import iso
from simulators.shopify.store import Store

CENT = Decimal("0.01")
SHOP_CURRENCY = "SEK"
# SEK per unit of the presentment currency (fixed: the simulator needs no market data).
RATES = {"SEK": Decimal("1"), "EUR": Decimal("11.50"), "DKK": Decimal("1.54"), "NOK": Decimal("1.00")}
VAT = {
    "SE": (Decimal("0.25"), "SE Moms"),
    "DE": (Decimal("0.19"), "DE MwSt"),
    "FI": (Decimal("0.255"), "FI ALV"),
    "DK": (Decimal("0.25"), "DK Moms"),
    "FR": (Decimal("0.20"), "FR TVA"),
    "NL": (Decimal("0.21"), "NL BTW"),
    "NO": (Decimal("0.25"), "NO MVA"),
}


# Sales channels as Shopify names them: the app that took the order, and its sourceName.
SOURCE_NAMES = {"Online Store": "web", "Point of Sale": "pos", "Draft Orders": "shopify_draft_order"}
CHANNEL_APPS = {"Online Store": 580111, "Point of Sale": 129785, "Draft Orders": 1354745}


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal, currency: str) -> dict:
    return {"__typename": "MoneyV2", "amount": str(q2(amount)), "currencyCode": currency}


def bag(shop: Decimal, presentment: Decimal, currency: str) -> dict:
    return {"shopMoney": money(shop, SHOP_CURRENCY), "presentmentMoney": money(presentment, currency)}


class Amount:
    """A presentment amount and its SEK value, kept together."""

    __slots__ = ("p", "s")

    def __init__(self, p: Decimal, s: Decimal) -> None:
        self.p, self.s = q2(p), q2(s)

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.p + other.p, self.s + other.s)

    def __sub__(self, other: Amount) -> Amount:
        return Amount(self.p - other.p, self.s - other.s)

    def times(self, n: int | Decimal) -> Amount:
        return Amount(self.p * n, self.s * n)

    def tax(self, rate: Decimal) -> Amount:
        return Amount(self.p * rate / (1 + rate), self.s * rate / (1 + rate))

    def bag(self, currency: str) -> dict:
        return bag(self.s, self.p, currency)


ZERO = Amount(Decimal("0"), Decimal("0"))


def converted(p: Decimal, currency: str) -> Amount:
    return Amount(p, p * RATES[currency])


def presentment_price(price_sek: Decimal, currency: str) -> Decimal:
    """A shelf price in the buyer's currency: the SEK price converted and ended in .99/.00."""
    if currency == SHOP_CURRENCY:
        return price_sek
    return (price_sek / RATES[currency]).quantize(Decimal("1"), rounding=ROUND_HALF_UP) - CENT


@dataclass
class Discount:
    kind: str  # DiscountCodeApplication / AutomaticDiscountApplication / ManualDiscountApplication
    title: str  # the code, or the title
    percentage: Decimal | None = None
    amount: Decimal | None = None  # fixed, in presentment currency
    target: str = "LINE_ITEM"  # or SHIPPING_LINE


@dataclass
class RefundSpec:
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # (line index, quantity, restockType)
    shipping: bool = False  # refund every shipping line
    note: str = ""
    days_after: int = 3
    shipping_lines: tuple[int, ...] = ()  # or only these shipping lines (indexes), when ``shipping`` is off
    transactions: int = 1  # refund transactions the amount is paid back in (split evenly, cents to the last)


@dataclass
class OrderSpec:
    number: int
    created_at: dt.datetime
    country: str
    currency: str
    lines: list[tuple[dict, int]]  # (variant dict, quantity)
    customer: dict | None = None
    email: str = ""
    shipping: tuple[str, str, Decimal] | None = None  # (code, title, price in SEK)
    discount: Discount | None = None
    payments: list[tuple[str, Decimal | None]] = field(default_factory=lambda: [("shopify_payments", None)])
    test: bool = False
    unpaid: bool = False
    cancelled: bool = False
    fulfilled: bool = True
    refunds: list[RefundSpec] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    note: str = ""
    # Further shipping lines after ``shipping``, and further discount applications after ``discount``
    # (each discount is taken on the undiscounted amounts; the allocations add up).
    extra_shipping: list[tuple[str, str, Decimal]] = field(default_factory=list)
    extra_discounts: list[Discount] = field(default_factory=list)
    # The sales channel (the app that took the order) and Shopify's risk assessment.
    channel: str = "Online Store"
    risk: str = "LOW"  # RiskAssessmentResult; "" = no assessment


def _address(customer: dict | None, country: str) -> dict | None:
    if customer and customer.get("defaultAddress"):
        return dict(customer["defaultAddress"])
    return None


def _tax_lines(amount: Amount, country: str, currency: str, taxable: bool = True) -> tuple[list[dict], Amount]:
    if not taxable or amount.p == 0:
        return [], ZERO
    rate, title = VAT[country]
    tax = amount.tax(rate)
    line = {
        "title": f"{title} {rate * 100:g}%",
        "rate": float(rate),
        "ratePercentage": float(rate * 100),
        "priceSet": tax.bag(currency),
        "channelLiable": False,
    }
    return [line], tax


def _spread(total: Amount, weights: list[Amount]) -> list[Amount]:
    """Split a fixed discount over lines in proportion to their amounts; the last takes the rest."""
    base = sum((w.p for w in weights), Decimal("0"))
    parts, used = [], ZERO
    for index, weight in enumerate(weights):
        if index == len(weights) - 1:
            parts.append(total - used)
        else:
            share = Amount(total.p * weight.p / base, total.s * weight.p / base) if base else ZERO
            parts.append(share)
            used = used + share
    return parts


def build_order(store: Store, spec: OrderSpec) -> dict:
    cur, country = spec.currency, spec.country
    rate_info = VAT[country]
    created = iso(spec.created_at)
    order_id = store.new_id("Order")

    discounts = [d for d in (spec.discount, *spec.extra_discounts) if d]
    applications = []
    for index, d in enumerate(discounts):
        value = (
            {"__typename": "PricingPercentageValue", "percentage": float(d.percentage)}
            if d.percentage is not None
            else money(d.amount, cur)
        )
        applications.append(
            {
                "__typename": d.kind,
                "index": index,
                "allocationMethod": "ACROSS",
                "targetSelection": "ALL",
                "targetType": d.target,
                "value": value,
                "code" if d.kind == "DiscountCodeApplication" else "title": d.title,
            }
        )

    # Lines.
    line_items, gross_amounts = [], []
    for variant, quantity in spec.lines:
        product = variant["product"]
        is_gift_card = bool(variant.get("_giftCard"))
        unit = converted(presentment_price(Decimal(variant["price"]), cur), cur)
        gross_amounts.append(unit.times(quantity))
        line_items.append(
            {
                "__typename": "LineItem",
                "id": store.new_id("LineItem"),
                "name": f"{product['title']} - {variant['title']}"
                if variant["title"] != "Default Title"
                else product["title"],
                "title": product["title"],
                "sku": variant.get("sku") or None,
                "quantity": quantity,
                "currentQuantity": quantity,
                "vendor": product["vendor"],
                "variant": variant,
                "product": product,
                "originalUnitPriceSet": unit.bag(cur),
                "taxable": not is_gift_card,
                "isGiftCard": is_gift_card,
                "requiresShipping": not is_gift_card,
                "_unit": unit,
            }
        )
    # Per line: (application, allocated amount) for every line-item discount.
    allocations: list[list[tuple[dict, Amount]]] = [[] for _ in line_items]
    eligible = [i for i, line in enumerate(line_items) if not line["isGiftCard"]]
    for d, application in zip(discounts, applications, strict=True):
        if d.target != "LINE_ITEM":
            continue
        if d.percentage is not None:
            for i in eligible:
                g = gross_amounts[i]
                pct = d.percentage / 100
                allocations[i].append((application, Amount(g.p * pct, g.s * pct)))
        else:
            total = converted(d.amount, cur)
            for i, part in zip(eligible, _spread(total, [gross_amounts[i] for i in eligible]), strict=True):
                allocations[i].append((application, part))
    subtotal, total_tax, total_discounts = ZERO, ZERO, ZERO
    for line, gross, line_allocations in zip(line_items, gross_amounts, allocations, strict=True):
        alloc = sum((amount for _, amount in line_allocations), ZERO)
        net = gross - alloc
        line["discountAllocations"] = [
            {"allocatedAmountSet": amount.bag(cur), "discountApplication": application}
            for application, amount in line_allocations
            if amount.p
        ]
        line["discountedUnitPriceSet"] = Amount(net.p / line["quantity"], net.s / line["quantity"]).bag(cur)
        line["taxLines"], tax = _tax_lines(net, country, cur, taxable=line["taxable"])
        line["_net"], line["_tax"] = net, tax
        subtotal, total_tax, total_discounts = subtotal + net, total_tax + tax, total_discounts + alloc

    # Shipping.
    shipping_lines, total_shipping = [], ZERO
    for code, title, price_sek in [*([spec.shipping] if spec.shipping else []), *spec.extra_shipping]:
        price = converted(presentment_price(price_sek, cur), cur)
        line_allocations = []
        for d, application in zip(discounts, applications, strict=True):
            if d.target == "SHIPPING_LINE":
                pct = (d.percentage or Decimal("0")) / 100
                line_allocations.append((application, Amount(price.p * pct, price.s * pct)))
        alloc = sum((amount for _, amount in line_allocations), ZERO)
        net = price - alloc
        tax_lines, tax = _tax_lines(net, country, cur)
        shipping_lines.append(
            {
                "id": store.new_id("ShippingLine"),
                "title": title,
                "code": code,
                "source": "shopify",
                "originalPriceSet": price.bag(cur),
                "discountedPriceSet": net.bag(cur),
                "taxLines": tax_lines,
                "discountAllocations": [
                    {"allocatedAmountSet": amount.bag(cur), "discountApplication": application}
                    for application, amount in line_allocations
                    if amount.p
                ],
                "_net": net,
                "_tax": tax,
            }
        )
        total_shipping, total_tax, total_discounts = total_shipping + net, total_tax + tax, total_discounts + alloc
    total = subtotal + total_shipping

    # Payments.
    transactions = []
    status, kind = "SUCCESS", "SALE"
    if spec.unpaid:
        status = "PENDING"
    if spec.cancelled:
        kind = "AUTHORIZATION"
    remaining = total
    for gateway, amount_p in spec.payments:
        amount = remaining if amount_p is None else converted(amount_p, cur)
        remaining = remaining - amount
        transactions.append(_transaction(store, kind, status, gateway, amount, cur, created, spec.test))
    if spec.cancelled:
        for auth in list(transactions):
            void = _transaction(store, "VOID", "SUCCESS", auth["gateway"], auth["_amount"], cur, created, spec.test)
            void["parentTransaction"] = auth
            transactions.append(void)

    financial = "PAID"
    if spec.unpaid:
        financial = "PENDING"
    if spec.cancelled:
        financial = "VOIDED"
    order = {
        "__typename": "Order",
        "id": order_id,
        "name": f"#{spec.number}",
        "createdAt": created,
        "processedAt": created,
        "updatedAt": created,
        "cancelledAt": created if spec.cancelled else None,
        "test": spec.test,
        "displayFinancialStatus": financial,
        "displayFulfillmentStatus": "FULFILLED" if spec.fulfilled and not spec.cancelled else "UNFULFILLED",
        "currencyCode": SHOP_CURRENCY,
        "presentmentCurrencyCode": cur,
        "email": (spec.customer or {}).get("email") or spec.email or None,
        "phone": (spec.customer or {}).get("phone"),
        "customer": spec.customer,
        "billingAddress": _address(spec.customer, country),
        "shippingAddress": _address(spec.customer, country) if shipping_lines else None,
        "lineItems": line_items,
        "shippingLines": shipping_lines,
        "discountApplications": applications,
        "transactions": transactions,
        "refunds": [],
        "totalPriceSet": total.bag(cur),
        "currentTotalPriceSet": total.bag(cur),
        "totalTaxSet": total_tax.bag(cur),
        "subtotalPriceSet": subtotal.bag(cur),
        "totalShippingPriceSet": total_shipping.bag(cur),
        "totalDiscountsSet": total_discounts.bag(cur),
        "totalRefundedSet": ZERO.bag(cur),
        "tags": list(spec.tags),
        "note": spec.note or None,
        "taxesIncluded": True,
        "paymentGatewayNames": sorted({gateway for gateway, _ in spec.payments}),
        "sourceName": SOURCE_NAMES.get(spec.channel, "web"),
        "app": {"id": f"gid://shopify/App/{CHANNEL_APPS.get(spec.channel, 1)}", "name": spec.channel},
        "risk": {
            "assessments": [{"riskLevel": spec.risk}] if spec.risk else [],
            "recommendation": {"HIGH": "CANCEL", "MEDIUM": "INVESTIGATE"}.get(spec.risk, "ACCEPT"),
        },
        "_total": total,
        "_vat_rate": rate_info[0],
    }
    if order["billingAddress"] is None and spec.email:
        order["billingAddress"] = {
            "__typename": "MailingAddress",
            "id": store.new_id("MailingAddress"),
            "countryCodeV2": country,
            "country": country,
        }
    for refund in spec.refunds:
        refund_create(store, order, refund, created_at=spec.created_at + dt.timedelta(days=refund.days_after))
    store.orders[order_id] = order
    if spec.customer is not None:
        spec.customer["numberOfOrders"] = spec.customer.get("numberOfOrders", 0) + 1
    store.touch()
    return order


def _transaction(store, kind, status, gateway, amount: Amount, cur, created, test) -> dict:
    return {
        "__typename": "OrderTransaction",
        "id": store.new_id("OrderTransaction"),
        "kind": kind,
        "status": status,
        "gateway": gateway,
        "formattedGateway": gateway.replace("_", " ").title(),
        "amountSet": amount.bag(cur),
        "createdAt": created,
        "processedAt": created,
        "parentTransaction": None,
        "test": test,
        "authorizationCode": None,
        "_amount": amount,
    }


def refund_create(store: Store, order: dict, spec: RefundSpec, *, created_at: dt.datetime) -> dict:
    """Refund lines and/or shipping of ``order``; updates its totals and financial status."""
    cur = order["presentmentCurrencyCode"]
    created = iso(created_at)
    refund_lines, refund_shipping, total = [], [], ZERO
    for index, quantity, restock_type in spec.lines:
        line = order["lineItems"][index]
        per_unit = Amount(line["_net"].p / line["quantity"], line["_net"].s / line["quantity"])
        subtotal = per_unit.times(quantity)
        tax = subtotal.tax(order["_vat_rate"]) if line["taxable"] else ZERO
        refund_lines.append(
            {
                "id": store.new_id("RefundLineItem"),
                "lineItem": line,
                "quantity": quantity,
                "restockType": restock_type,
                "restocked": restock_type in ("RETURN", "CANCEL", "LEGACY_RESTOCK"),
                "priceSet": per_unit.bag(cur),
                # Prices include VAT, so the subtotal does too; totalTaxSet is the VAT inside it.
                "subtotalSet": subtotal.bag(cur),
                "totalTaxSet": tax.bag(cur),
                "location": None,
            }
        )
        line["currentQuantity"] -= quantity
        total = total + subtotal
    refunded_shipping = (
        order["shippingLines"] if spec.shipping else [order["shippingLines"][i] for i in spec.shipping_lines]
    )
    for shipping_line in refunded_shipping:
        tax = shipping_line["_tax"]
        # As Shopify: the shipping refund's subtotal is before tax, taxAmountSet beside it.
        refund_shipping.append(
            {
                "id": store.new_id("RefundShippingLine"),
                "shippingLine": shipping_line,
                "subtotalAmountSet": (shipping_line["_net"] - tax).bag(cur),
                "taxAmountSet": tax.bag(cur),
            }
        )
        total = total + shipping_line["_net"]
    parent = next((t for t in order["transactions"] if t["kind"] in ("SALE", "CAPTURE")), None)
    gateway = parent["gateway"] if parent else "manual"
    refund_txs = []
    for part in _spread(total, [Amount(Decimal("1"), Decimal("1"))] * max(1, spec.transactions)):
        refund_tx = _transaction(store, "REFUND", "SUCCESS", gateway, part, cur, created, order["test"])
        refund_tx["parentTransaction"] = parent
        refund_txs.append(refund_tx)
    refund = {
        "__typename": "Refund",
        "id": store.new_id("Refund"),
        "createdAt": created,
        "note": spec.note or None,
        "totalRefundedSet": total.bag(cur),
        "refundLineItems": refund_lines,
        "refundShippingLines": refund_shipping,
        "transactions": refund_txs,
        "_order": order,
    }
    order["refunds"].append(refund)
    order["transactions"].extend(refund_txs)
    store.refunds[refund["id"]] = refund
    refunded = sum((tx["_amount"] for r in order["refunds"] for tx in r["transactions"]), ZERO)
    order["totalRefundedSet"] = refunded.bag(cur)
    order["currentTotalPriceSet"] = (order["_total"] - refunded).bag(cur)
    order["displayFinancialStatus"] = "REFUNDED" if refunded.p >= order["_total"].p else "PARTIALLY_REFUNDED"
    order["updatedAt"] = max(order["updatedAt"], created)
    store.touch()
    return refund
