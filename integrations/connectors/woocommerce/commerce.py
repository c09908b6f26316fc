"""WooCommerce records -> the product's commerce model (integrations/commerce).

WooCommerce facts this translation rests on (docs/vendor-contracts.md, WooCommerce):
- line ``subtotal`` (before coupons) and ``total`` (after) exclude tax whatever the store's
  "prices include tax" setting; ``total_tax`` is the line's tax. So an order translates with
  ``taxes_included=False``: the unit price is ``subtotal / quantity``, the coupon share of a line
  is ``subtotal - total`` and its tax lines carry ``total_tax``.
- a store has one currency per order (``currency``): shop and presentment money are the same.
- refunds carry a positive ``amount`` and negative line quantities and totals; a refunded line
  names the order line in its meta ``_refunded_item_id`` (else the same product/variation).
- ids become ``gid://woocommerce/<Type>/<id>`` so the existing id handling (``id_tail``) works;
  an order's name is ``#<number>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from integrations.commerce import (
    Address,
    Customer,
    DiscountAllocation,
    DiscountApplication,
    LineItem,
    Money,
    MoneyBag,
    Order,
    Product,
    ProductVariant,
    Refund,
    RefundLineItem,
    RefundShippingLine,
    SelectedOption,
    ShippingLine,
    TaxLine,
    Transaction,
)
from integrations.connectors.woocommerce.records import (
    WooAddress,
    WooCustomer,
    WooLineItem,
    WooOrder,
    WooProduct,
    WooRefund,
    WooShippingLine,
    WooTax,
    WooTaxLine,
    WooVariation,
)

ZERO = Decimal("0")
PAID_WOO_STATUSES = {"processing", "completed", "refunded"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def woo_gid(kind: str, record_id: int | str) -> str:
    return f"gid://woocommerce/{kind}/{record_id}"


def woo_order_name(number: str | int) -> str:
    return f"#{str(number).lstrip('#')}"


def _bag(amount: Decimal, currency: str) -> MoneyBag:
    money = Money(amount, currency)
    return MoneyBag(shop=money, presentment=money)


def _address(address: WooAddress | None) -> Address | None:
    if address is None:
        return None
    return Address(
        first_name=address.first_name,
        last_name=address.last_name,
        company=address.company,
        address1=address.address_1,
        address2=address.address_2,
        city=address.city,
        zip=address.postcode,
        province_code=address.state,
        country_code=address.country.upper(),
        phone=address.phone,
    )


def _rate_percent(*, net: Decimal, tax: Decimal) -> Decimal:
    """The v3 schema has no rate percentage on tax lines: derived from the line's tax and net."""
    return (tax / net * 100).quantize(Decimal("0.01")) if net else ZERO


def _tax_lines(
    taxes: tuple[WooTax, ...], *, rates: dict[int, WooTaxLine], net: Decimal, total_tax: Decimal, currency: str
) -> tuple[TaxLine, ...]:
    if not taxes and total_tax:
        return (TaxLine(title="Tax", rate=_rate_percent(net=net, tax=total_tax), price=_bag(total_tax, currency)),)
    return tuple(
        TaxLine(
            title=(rates[tax.id].label if tax.id in rates else "") or "Tax",
            rate=_rate_percent(net=net, tax=tax.total),
            price=_bag(tax.total, currency),
        )
        for tax in taxes
        if tax.total
    )


def shipping_code(line: WooShippingLine) -> str:
    """The code a merchant maps: WooCommerce's rate id ``method_id:instance_id`` (``flat_rate:1``)."""
    if line.instance_id and line.instance_id != "0":
        return f"{line.method_id}:{line.instance_id}"
    return line.method_id


def _line_item(line: WooLineItem, *, rates: dict[int, WooTaxLine], currency: str) -> LineItem:
    quantity = line.quantity
    unit = (line.subtotal / quantity) if quantity else ZERO
    discount = line.subtotal - line.total
    return LineItem(
        id=woo_gid("LineItem", line.id),
        title=line.name,
        sku=line.sku,
        barcode="",
        quantity=quantity,
        unit_price=_bag(unit, currency),
        taxable=bool(line.total_tax) or bool(line.taxes),
        tax_code=line.tax_class,
        variant_id=woo_gid(
            "ProductVariation" if line.variation_id else "Product", line.variation_id or line.product_id
        ),
        discount_allocations=(DiscountAllocation(amount=_bag(discount, currency), application_index=0),)
        if discount > 0
        else (),
        tax_lines=_tax_lines(line.taxes, rates=rates, net=line.total, total_tax=line.total_tax, currency=currency),
    )


def _shipping_line(line: WooShippingLine, *, rates: dict[int, WooTaxLine], currency: str) -> ShippingLine:
    return ShippingLine(
        id=woo_gid("ShippingLine", line.id),
        title=line.method_title,
        code=shipping_code(line),
        price=_bag(line.total, currency),
        tax_lines=_tax_lines(line.taxes, rates=rates, net=line.total, total_tax=line.total_tax, currency=currency),
    )


def _financial_status(order: WooOrder, refunded: Decimal) -> str:
    if order.status == "refunded" or (refunded and refunded >= order.total):
        return "REFUNDED"
    if order.status in PAID_WOO_STATUSES or order.date_paid is not None:
        return "PARTIALLY_REFUNDED" if refunded else "PAID"
    if order.status == "failed":
        return "FAILED"
    if order.status == "cancelled":
        return "VOIDED"
    return "PENDING"


def _refund(refund: WooRefund, *, order: WooOrder, currency: str) -> Refund:
    by_id = {line.id: line for line in order.line_items}
    by_product = {(line.product_id, line.variation_id): line for line in order.line_items}
    lines = []
    for line in refund.line_items:
        original = by_id.get(line.refunded_item_id) or by_product.get((line.product_id, line.variation_id))
        quantity = abs(line.quantity)
        if original is None or not quantity:
            continue
        lines.append(
            RefundLineItem(
                line_item_id=woo_gid("LineItem", original.id),
                sku=original.sku,
                quantity=quantity,
                restock_type="RETURN",
                subtotal=_bag(abs(line.total), currency),
                total_tax=_bag(abs(line.total_tax), currency),
            )
        )
    shipping_ids = {line.id for line in order.shipping_lines}
    shipping = [
        RefundShippingLine(
            shipping_line_id=woo_gid("ShippingLine", line.refunded_item_id)
            if line.refunded_item_id in shipping_ids
            else "",
            subtotal=_bag(abs(line.total), currency),
            tax=_bag(abs(line.total_tax), currency),
        )
        for line in refund.shipping_lines
        if line.total
    ]
    created = refund.date_created or order.date_modified or EPOCH
    transactions = (
        (
            Transaction(
                id=woo_gid("Refund", refund.id),
                kind="REFUND",
                status="SUCCESS",
                gateway=order.payment_method,
                amount=_bag(refund.amount, currency),
                created_at=created,
            ),
        )
        if refund.refunded_payment
        else ()
    )
    return Refund(
        id=woo_gid("Refund", refund.id),
        created_at=created,
        note=refund.reason,
        total_refunded=_bag(refund.amount, currency),
        line_items=tuple(lines),
        shipping_lines=tuple(shipping),
        transactions=transactions,
    )


def woo_order_translate(order: WooOrder, *, refunds: list[WooRefund] | tuple[WooRefund, ...] = ()) -> Order:
    """The product's Order for a WooCommerce order and its refunds (read separately)."""
    currency = order.currency
    rates = {rate.rate_id: rate for rate in order.tax_lines}
    line_items = [_line_item(line, rates=rates, currency=currency) for line in order.line_items]
    # A fee line (a surcharge) has no SKU: it becomes a line for the fallback account, or fails coded.
    line_items += [
        LineItem(
            id=woo_gid("FeeLine", fee.id),
            title=fee.name,
            sku="",
            barcode="",
            quantity=1,
            unit_price=_bag(fee.total, currency),
            taxable=fee.tax_status != "none",
            tax_code=fee.tax_class,
            tax_lines=_tax_lines((), rates=rates, net=fee.total, total_tax=fee.total_tax, currency=currency),
        )
        for fee in order.fee_lines
        if fee.total
    ]
    refunded = sum((refund.amount for refund in refunds), ZERO) or sum((-r.total for r in order.refunds), ZERO)
    created = order.date_created or EPOCH
    customer = None
    billing = order.billing
    if order.customer_id:
        customer = Customer(
            id=woo_gid("Customer", order.customer_id),
            first_name=billing.first_name if billing else "",
            last_name=billing.last_name if billing else "",
            email=billing.email if billing else "",
            phone=billing.phone if billing else "",
            default_address=_address(billing),
        )
    paid = _financial_status(order, refunded) in {"PAID", "PARTIALLY_REFUNDED", "REFUNDED"}
    transactions = (
        (
            Transaction(
                id=woo_gid("Payment", order.id),
                kind="SALE",
                status="SUCCESS",
                gateway=order.payment_method,
                amount=_bag(order.total, currency),
                created_at=order.date_paid or created,
            ),
        )
        if paid and order.payment_method
        else ()
    )
    return Order(
        id=woo_gid("Order", order.id),
        name=woo_order_name(order.number),
        created_at=created,
        updated_at=order.date_modified or created,
        test=False,
        financial_status=_financial_status(order, refunded),
        fulfillment_status="FULFILLED" if order.status == "completed" else "UNFULFILLED",
        currency=currency,
        presentment_currency=currency,
        email=billing.email if billing else "",
        phone=billing.phone if billing else "",
        customer=customer,
        billing_address=_address(order.billing),
        shipping_address=_address(order.shipping),
        line_items=tuple(line_items),
        shipping_lines=tuple(_shipping_line(line, rates=rates, currency=currency) for line in order.shipping_lines),
        discount_applications=tuple(
            DiscountApplication(
                index=index,
                kind="DiscountCodeApplication",
                title=coupon.code,
                target_type="LINE_ITEM",
                allocation_method="ACROSS",
                value_amount=Money(coupon.discount, currency),
            )
            for index, coupon in enumerate(order.coupon_lines)
        ),
        transactions=transactions,
        refunds=tuple(_refund(refund, order=order, currency=currency) for refund in refunds),
        total_price=_bag(order.total, currency),
        total_tax=_bag(order.total_tax, currency),
        subtotal=_bag(sum((line.subtotal for line in order.line_items), ZERO), currency),
        total_shipping=_bag(order.shipping_total + order.shipping_tax, currency),
        total_discounts=_bag(order.discount_total, currency),
        taxes_included=False,
        cancelled_at=(order.date_modified or created) if order.status == "cancelled" else None,
        note=order.customer_note,
        raw=order.raw,
    )


def woo_customer_translate(customer: WooCustomer) -> Customer:
    """A WooCommerce customer (a WordPress user) as the product's Customer; billing is its address."""
    billing = customer.billing
    return Customer(
        id=woo_gid("Customer", customer.id),
        first_name=customer.first_name or (billing.first_name if billing else ""),
        last_name=customer.last_name or (billing.last_name if billing else ""),
        email=customer.email or (billing.email if billing else ""),
        phone=billing.phone if billing else "",
        default_address=_address(billing or customer.shipping),
        updated_at=customer.date_modified,
    )


def woo_product_translate(product: WooProduct, variations: Iterable[WooVariation] = ()) -> Product:
    """A WooCommerce product as the product model: a simple product is its own one variant; a
    variable one has a variant per variation, its attribute values as selected options."""
    if product.is_variable:
        variants = tuple(
            ProductVariant(
                id=str(variation.id),
                sku=variation.sku,
                barcode="",
                price=variation.regular_price,
                inventory_item_id="",
                selected_options=tuple(SelectedOption(a.name, a.option) for a in variation.attributes),
            )
            for variation in variations
        )
    else:
        variants = (
            ProductVariant(
                id=str(product.id), sku=product.sku, barcode="", price=product.regular_price, inventory_item_id=""
            ),
        )
    return Product(id=str(product.id), title=product.name, status=product.status, variants=variants)
