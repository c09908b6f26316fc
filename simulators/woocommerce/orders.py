"""Building orders and refunds the way WooCommerce computes them (line by line, rounded to cents).

Line ``subtotal`` is before coupons and ``total`` after, both excluding tax; each line's tax is
computed on its total with the rate of the customer's country (``taxes`` per rate), and the
order's ``tax_lines`` sum them per rate. Coupons here are percentage coupons on the cart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from simulators.woocommerce.store import BASE_RATE, TAX_RATES, ZERO, Store, cents, fmt, site_stamp, stamp


@dataclass(frozen=True)
class Shipping:
    method_id: str
    instance_id: str
    title: str
    net: Decimal


POSTNORD = Shipping("flat_rate", "1", "PostNord", Decimal("39.20"))
DHL = Shipping("flat_rate", "2", "DHL Express", Decimal("99.00"))
FREE = Shipping("free_shipping", "3", "Free shipping", ZERO)

EUR_PER_SEK = Decimal("0.087")


@dataclass
class OrderSpec:
    number: int
    created: dt.datetime
    country: str
    lines: list[tuple[str, int]]  # (SKU, quantity)
    customer_id: int = 0
    billing: dict[str, str] = field(default_factory=dict)
    currency: str = "SEK"
    shipping: Shipping | None = POSTNORD
    coupon: tuple[str, Decimal] | None = None  # (code, percent)
    status: str = "processing"
    payment_method: tuple[str, str] = ("stripe", "Credit card (Stripe)")
    fee: tuple[str, Decimal] | None = None  # (name, net amount)


def _meta(key: str, value: Any, meta_id: int) -> dict[str, Any]:
    return {"id": meta_id, "key": key, "value": value}


def net_unit(record: dict[str, Any], currency: str) -> Decimal:
    """The price excluding the base (SE) VAT, in the order's currency."""
    gross = Decimal(record["regular_price"])
    net = gross / (1 + BASE_RATE / 100)
    return cents(net * EUR_PER_SEK) if currency == "EUR" else cents(net)


def _tax(amount: Decimal, rate: Decimal) -> Decimal:
    return cents(amount * rate / 100)


def order_build(store: Store, spec: OrderSpec) -> dict[str, Any]:
    """Add an order to the store (and take its quantities out of stock); return it."""
    rate = TAX_RATES[spec.country]
    percent = spec.coupon[1] if spec.coupon else ZERO
    line_items = []
    for sku, quantity in spec.lines:
        record = store.sellable(sku)
        subtotal = cents(net_unit(record, spec.currency) * quantity)
        discount = cents(subtotal * percent / 100)
        total = subtotal - discount
        tax, subtotal_tax = _tax(total, rate.percent), _tax(subtotal, rate.percent)
        parent = store.products.get(record.get("_parent_id", 0))
        line_items.append(
            {
                "id": store.next_item_id(),
                "name": f"{parent['name']} - {record['_option']}" if parent else record["name"],
                "parent_name": parent["name"] if parent else None,
                "product_id": parent["id"] if parent else record["id"],
                "variation_id": record["id"] if parent else 0,
                "quantity": quantity,
                "tax_class": "",
                "subtotal": fmt(subtotal),
                "subtotal_tax": fmt(subtotal_tax),
                "total": fmt(total),
                "total_tax": fmt(tax),
                "taxes": [{"id": rate.rate_id, "total": fmt(tax), "subtotal": fmt(subtotal_tax)}],
                "meta_data": [],
                "sku": record["sku"],
                "price": float(cents(total / quantity)),
            }
        )
        if record["manage_stock"]:
            record["stock_quantity"] -= quantity
    shipping_lines, shipping_net, shipping_tax = [], ZERO, ZERO
    if spec.shipping is not None:
        shipping_net = spec.shipping.net if spec.currency == "SEK" else cents(spec.shipping.net * EUR_PER_SEK)
        shipping_tax = _tax(shipping_net, rate.percent)
        shipping_lines.append(
            {
                "id": store.next_item_id(),
                "method_title": spec.shipping.title,
                "method_id": spec.shipping.method_id,
                "instance_id": spec.shipping.instance_id,
                "total": fmt(shipping_net),
                "total_tax": fmt(shipping_tax),
                "taxes": [{"id": rate.rate_id, "total": fmt(shipping_tax)}] if shipping_tax else [],
                "meta_data": [],
            }
        )
    fee_lines, fee_net, fee_tax = [], ZERO, ZERO
    if spec.fee:
        fee_net, fee_tax = spec.fee[1], _tax(spec.fee[1], rate.percent)
        fee_lines.append(
            {
                "id": store.next_item_id(),
                "name": spec.fee[0],
                "tax_class": "",
                "tax_status": "taxable",
                "total": fmt(fee_net),
                "total_tax": fmt(fee_tax),
                "taxes": [{"id": rate.rate_id, "total": fmt(fee_tax)}],
                "meta_data": [],
            }
        )
    cart_tax = sum((Decimal(line["total_tax"]) for line in line_items), ZERO) + fee_tax
    discount_total = sum((Decimal(li["subtotal"]) - Decimal(li["total"]) for li in line_items), ZERO)
    discount_tax = sum((Decimal(li["subtotal_tax"]) - Decimal(li["total_tax"]) for li in line_items), ZERO)
    coupon_lines = []
    if spec.coupon:
        coupon_lines.append(
            {
                "id": store.next_item_id(),
                "code": spec.coupon[0].lower(),
                "discount": fmt(discount_total),
                "discount_tax": fmt(discount_tax),
                "meta_data": [],
            }
        )
    items_net = sum((Decimal(line["total"]) for line in line_items), ZERO)
    total = items_net + fee_net + shipping_net + cart_tax + shipping_tax
    billing = {
        "first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "", "state": "",
        "postcode": "", "country": spec.country, "email": "", "phone": "", **spec.billing,
    }  # fmt: skip
    paid = spec.status in ("processing", "completed")
    created = spec.created
    order = {
        "id": spec.number,
        "parent_id": 0,
        "number": str(spec.number),
        "order_key": f"wc_order_{spec.number:08x}",
        "created_via": "checkout",
        "version": "9.4.0",
        "status": spec.status,
        "currency": spec.currency,
        "date_created": site_stamp(created),
        "date_created_gmt": stamp(created),
        "date_modified": site_stamp(created),
        "date_modified_gmt": stamp(created),
        "discount_total": fmt(discount_total),
        "discount_tax": fmt(discount_tax),
        "shipping_total": fmt(shipping_net),
        "shipping_tax": fmt(shipping_tax),
        "cart_tax": fmt(cart_tax),
        "total": fmt(total),
        "total_tax": fmt(cart_tax + shipping_tax),
        "prices_include_tax": True,
        "customer_id": spec.customer_id,
        "customer_note": "",
        "billing": billing,
        "shipping": {k: v for k, v in billing.items() if k != "email"},
        "payment_method": spec.payment_method[0],
        "payment_method_title": spec.payment_method[1],
        "transaction_id": f"txn_{spec.number}" if paid else "",
        "date_paid": site_stamp(created) if paid else None,
        "date_paid_gmt": stamp(created) if paid else None,
        "date_completed": site_stamp(created) if spec.status == "completed" else None,
        "date_completed_gmt": stamp(created) if spec.status == "completed" else None,
        "meta_data": [],
        "line_items": line_items,
        "tax_lines": [
            {
                "id": store.next_item_id(),
                "rate_code": rate.code,
                "rate_id": rate.rate_id,
                "label": rate.label,
                "compound": False,
                "tax_total": fmt(cart_tax),
                "shipping_tax_total": fmt(shipping_tax),
                "meta_data": [],
            }
        ],
        "shipping_lines": shipping_lines,
        "fee_lines": fee_lines,
        "coupon_lines": coupon_lines,
        "refunds": [],
    }
    store.orders[order["id"]] = order
    return order


class RefundRefused(Exception):
    def __init__(self, code: str, message: str, status: int) -> None:
        self.code, self.message, self.status = code, message, status
        super().__init__(message)


def refund_create(
    store: Store,
    order: dict[str, Any],
    *,
    lines: list[dict[str, Any]] | None = None,
    amount: Decimal | None = None,
    reason: str = "",
    api_refund: bool = True,
    api_restock: bool = True,
) -> dict[str, Any]:
    """A refund of whole order lines (``lines`` = [{"id", "quantity", "refund_total", "refund_tax"}])."""
    by_id = {item["id"]: item for item in order["line_items"] + order["shipping_lines"]}
    refund_lines, refund_shipping, computed = [], [], ZERO
    for requested in lines or []:
        item = by_id.get(int(requested.get("id") or 0))
        if item is None:
            raise RefundRefused("woocommerce_rest_invalid_item_id", "Invalid item ID.", 400)
        quantity = int(requested.get("quantity") or 0)
        net = cents(Decimal(str(requested.get("refund_total") or 0)))
        tax = sum((Decimal(str(t.get("refund_total") or 0)) for t in requested.get("refund_tax") or ()), ZERO)
        computed += net + tax
        rate_id = (item.get("taxes") or [{"id": 0}])[0]["id"]
        common = {
            "id": store.next_item_id(),
            "total": fmt(-net),
            "total_tax": fmt(-tax),
            "taxes": [{"id": rate_id, "total": fmt(-tax), "subtotal": fmt(-tax)}] if tax else [],
            "meta_data": [{"id": store.next_item_id(), "key": "_refunded_item_id", "value": str(item["id"])}],
        }
        if "method_id" in item:
            refund_shipping.append(
                {**common, "method_title": item["method_title"], "method_id": item["method_id"],
                 "instance_id": item["instance_id"]}
            )  # fmt: skip
            continue
        refund_lines.append(
            {
                **common,
                "name": item["name"],
                "parent_name": item["parent_name"],
                "product_id": item["product_id"],
                "variation_id": item["variation_id"],
                "quantity": -quantity,
                "tax_class": item["tax_class"],
                "subtotal": fmt(-net),
                "subtotal_tax": fmt(-tax),
                "sku": item["sku"],
                "price": float(-net / quantity) if quantity else 0.0,
            }
        )
        if api_restock and quantity:
            record = store.variations.get(item["variation_id"]) or store.products.get(item["product_id"])
            if record and record["manage_stock"]:
                record["stock_quantity"] += quantity
    amount = cents(computed if amount is None else amount)
    if amount < 0:
        raise RefundRefused("woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400)
    refunded = sum((-Decimal(r["total"]) for r in order["refunds"]), ZERO)
    if amount <= 0 or amount > Decimal(order["total"]) - refunded:
        raise RefundRefused("woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500)
    now = store.clock.now()
    refund = {
        "id": store.next_id(),
        "date_created": site_stamp(now),
        "date_created_gmt": stamp(now),
        "amount": fmt(amount),
        "reason": reason,
        "refunded_by": 1,
        "refunded_payment": bool(api_refund),
        "meta_data": [],
        "line_items": refund_lines,
        "shipping_lines": refund_shipping,
        "_order_id": order["id"],
    }
    store.refunds[refund["id"]] = refund
    order["refunds"].insert(0, {"id": refund["id"], "reason": reason, "total": fmt(-amount)})
    if refunded + amount >= Decimal(order["total"]):
        order["status"] = "refunded"
    order["date_modified"], order["date_modified_gmt"] = site_stamp(now), stamp(now)
    return refund


def refund_whole_lines(store: Store, order: dict[str, Any], quantities: dict[str, int], **kwargs) -> dict[str, Any]:
    """Refund ``quantities`` (SKU -> units) of the order's lines at their paid price, tax included."""
    lines = []
    for item in order["line_items"]:
        quantity = quantities.get(item["sku"], 0)
        if not quantity:
            continue
        share = Decimal(quantity) / Decimal(item["quantity"])
        lines.append(
            {
                "id": item["id"],
                "quantity": quantity,
                "refund_total": str(cents(Decimal(item["total"]) * share)),
                "refund_tax": [
                    {"id": item["taxes"][0]["id"], "refund_total": str(cents(Decimal(item["total_tax"]) * share))}
                ],
            }
        )
    return refund_create(store, order, lines=lines, **kwargs)
