"""Plain Shopify order records for mapping tests (no network, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from integrations.commerce import (
    Address,
    Customer,
    DiscountAllocation,
    LineItem,
    Money,
    MoneyBag,
    Order,
    Refund,
    RefundLineItem,
    RefundShippingLine,
    ShippingLine,
    TaxLine,
)

CREATED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def bag(amount, currency: str = "SEK", presentment=None, presentment_currency: str | None = None) -> MoneyBag:
    amount = Decimal(str(amount))
    other = Decimal(str(presentment)) if presentment is not None else amount
    return MoneyBag(Money(amount, currency), Money(other, presentment_currency or currency))


def tax(amount, rate="0.25", **kw) -> TaxLine:
    return TaxLine(title="VAT", rate=Decimal(rate), price=bag(amount, **kw))


def line(
    sku="1896-S", price="250.00", quantity=1, tax_amount="50.00", discount=None, gift=False, barcode="", **kw
) -> LineItem:
    allocations = (DiscountAllocation(amount=bag(discount, **kw)),) if discount else ()
    return LineItem(
        id=f"gid://shopify/LineItem/{sku or 'gift'}",
        title=f"Product {sku}" if sku else "Gift card",
        sku=sku,
        barcode=barcode,
        quantity=quantity,
        unit_price=bag(price, **kw),
        is_gift_card=gift,
        discount_allocations=allocations,
        tax_lines=(tax(tax_amount, **kw),) if tax_amount else (),
    )


def shipping(price="49.00", tax_amount="9.80", code="standard", **kw) -> ShippingLine:
    return ShippingLine(
        id="gid://shopify/ShippingLine/1",
        title="Standard",
        code=code,
        price=bag(price, **kw),
        tax_lines=(tax(tax_amount, **kw),) if tax_amount else (),
    )


def address(country="SE", **kw) -> Address:
    values = {
        "first_name": "Anna",
        "last_name": "Svensson",
        "address1": "Storgatan 1",
        "city": "Stockholm",
        "zip": "11122",
        "country_code": country,
    }
    values.update(kw)
    return Address(**values)


def order(
    *,
    name="#1001",
    lines=None,
    shipping_lines=None,
    total="299.00",
    country="SE",
    currency="SEK",
    presentment_currency=None,
    email="Anna@Example.com",
    phone="",
    fulfillment_status="UNFULFILLED",
    refunds=(),
    taxes_included=True,
    customer_id="gid://shopify/Customer/7",
    **kw,
) -> Order:
    lines = (line(),) if lines is None else tuple(lines)
    shipping_lines = (shipping(),) if shipping_lines is None else tuple(shipping_lines)
    customer = Customer(id=customer_id, first_name="Anna", last_name="Svensson", email=email) if customer_id else None
    values = dict(
        id=f"gid://shopify/Order/{name.lstrip('#')}",
        name=name,
        created_at=CREATED,
        updated_at=CREATED,
        test=False,
        financial_status="PAID",
        fulfillment_status=fulfillment_status,
        currency=currency,
        presentment_currency=presentment_currency or currency,
        email=email,
        phone=phone,
        customer=customer,
        billing_address=address(country),
        shipping_address=address(country),
        line_items=lines,
        shipping_lines=shipping_lines,
        discount_applications=(),
        transactions=(),
        refunds=tuple(refunds),
        total_price=bag(
            total, currency, presentment=kw.pop("presentment_total", None), presentment_currency=presentment_currency
        ),
        total_tax=bag("59.80", currency),
        subtotal=bag("250.00", currency),
        total_shipping=bag("49.00", currency),
        total_discounts=bag("0", currency),
        taxes_included=taxes_included,
    )
    values.update(kw)
    return Order(**values)


def refund(*, refund_id="501", line_items=(), shipping_lines=(), total="250.00", currency="SEK") -> Refund:
    return Refund(
        id=f"gid://shopify/Refund/{refund_id}",
        created_at=CREATED + dt.timedelta(days=3),
        note="Returned",
        total_refunded=bag(total, currency),
        line_items=tuple(line_items),
        shipping_lines=tuple(shipping_lines),
    )


def refund_line(sku="1896-S", quantity=1, subtotal="250.00", tax_amount="50.00", restock="RETURN") -> RefundLineItem:
    return RefundLineItem(
        line_item_id=f"gid://shopify/LineItem/{sku}",
        sku=sku,
        quantity=quantity,
        restock_type=restock,
        subtotal=bag(subtotal),
        total_tax=bag(tax_amount),
    )


def refund_shipping(subtotal="39.20", tax_amount="9.80") -> RefundShippingLine:
    return RefundShippingLine(
        shipping_line_id="gid://shopify/ShippingLine/1", subtotal=bag(subtotal), tax=bag(tax_amount)
    )
