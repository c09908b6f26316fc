"""Shopify GraphQL JSON -> typed records. Pure functions: easy to test, no I/O."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from integrations import commerce
from integrations.connectors.shopify import types as t


def parse_datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return timestamp(value)


def timestamp(value: str) -> dt.datetime:
    """A non-null DateTime of the schema (``DateTime!``): read like ``data["id"]``, never defaulted."""
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def nodes(connection: dict | None) -> list[dict]:
    """The nodes of a connection (``edges { node }`` or ``nodes``), or a plain list as is."""
    if not connection:
        return []
    if isinstance(connection, list):
        return connection
    if "nodes" in connection:
        return connection["nodes"]
    return [edge["node"] for edge in connection.get("edges", [])]


def money(data: dict | None) -> commerce.Money:
    data = data or {}
    return commerce.Money(amount=_decimal(data.get("amount")), currency=data.get("currencyCode") or "")


def money_bag(data: dict | None) -> commerce.MoneyBag:
    data = data or {}
    return commerce.MoneyBag(shop=money(data.get("shopMoney")), presentment=money(data.get("presentmentMoney")))


def address(data: dict | None) -> commerce.Address | None:
    if not data:
        return None
    return commerce.Address(
        first_name=data.get("firstName") or "",
        last_name=data.get("lastName") or "",
        company=data.get("company") or "",
        address1=data.get("address1") or "",
        address2=data.get("address2") or "",
        city=data.get("city") or "",
        zip=data.get("zip") or "",
        province_code=data.get("provinceCode") or "",
        country_code=data.get("countryCodeV2") or "",
        phone=data.get("phone") or "",
    )


def customer(data: dict | None) -> commerce.Customer | None:
    if not data:
        return None
    return commerce.Customer(
        id=data["id"],
        first_name=data.get("firstName") or "",
        last_name=data.get("lastName") or "",
        email=(data.get("defaultEmailAddress") or {}).get("emailAddress") or data.get("email") or "",
        phone=(data.get("defaultPhoneNumber") or {}).get("phoneNumber") or data.get("phone") or "",
        tax_exempt=bool(data.get("taxExempt")),
        default_address=address(data.get("defaultAddress")),
        tags=tuple(data.get("tags") or ()),
        updated_at=parse_datetime(data.get("updatedAt")),
    )


def tax_lines(data: list | None) -> tuple[commerce.TaxLine, ...]:
    return tuple(
        commerce.TaxLine(
            title=line.get("title") or "", rate=_decimal(line.get("rate")), price=money_bag(line.get("priceSet"))
        )
        for line in data or ()
    )


def discount_allocations(data: list | None) -> tuple[commerce.DiscountAllocation, ...]:
    return tuple(
        commerce.DiscountAllocation(
            amount=money_bag(alloc.get("allocatedAmountSet")),
            application_index=(alloc.get("discountApplication") or {}).get("index"),
        )
        for alloc in data or ()
    )


def line_item(data: dict) -> commerce.LineItem:
    variant = data.get("variant") or {}
    return commerce.LineItem(
        id=data["id"],
        title=data.get("title") or "",
        sku=data.get("sku") or "",
        barcode=variant.get("barcode") or "",
        quantity=int(data.get("quantity") or 0),
        unit_price=money_bag(data.get("originalUnitPriceSet")),
        is_gift_card=bool(data.get("isGiftCard")),
        taxable=bool(data.get("taxable", True)),
        tax_code=variant.get("taxCode") or "",
        variant_id=variant.get("id") or "",
        discount_allocations=discount_allocations(data.get("discountAllocations")),
        tax_lines=tax_lines(data.get("taxLines")),
    )


def shipping_line(data: dict) -> commerce.ShippingLine:
    return commerce.ShippingLine(
        id=data.get("id") or "",
        title=data.get("title") or "",
        code=data.get("code") or "",
        price=money_bag(data.get("originalPriceSet")),
        discounted_price=money_bag(data["discountedPriceSet"]) if data.get("discountedPriceSet") else None,
        tax_lines=tax_lines(data.get("taxLines")),
        discount_allocations=discount_allocations(data.get("discountAllocations")),
    )


def discount_application(data: dict) -> commerce.DiscountApplication:
    value = data.get("value") or {}
    is_money = value.get("__typename") == "MoneyV2" or "amount" in value
    return commerce.DiscountApplication(
        index=int(data.get("index") or 0),
        kind=data.get("__typename") or "",
        title=data.get("code") or data.get("title") or "",
        target_type=data.get("targetType") or "",
        allocation_method=data.get("allocationMethod") or "",
        value_amount=money(value) if is_money else None,
        value_percentage=None if is_money else _decimal(value.get("percentage")),
    )


def transaction(data: dict) -> commerce.Transaction:
    return commerce.Transaction(
        id=data["id"],
        kind=data.get("kind") or "",
        status=data.get("status") or "",
        gateway=data.get("gateway") or "",
        amount=money_bag(data.get("amountSet")),
        created_at=parse_datetime(data.get("createdAt")),
        parent_id=(data.get("parentTransaction") or {}).get("id") or "",
        test=bool(data.get("test")),
    )


def refund(data: dict) -> commerce.Refund:
    return commerce.Refund(
        id=data["id"],
        created_at=parse_datetime(data.get("createdAt")),
        note=data.get("note") or "",
        total_refunded=money_bag(data.get("totalRefundedSet")),
        line_items=tuple(
            commerce.RefundLineItem(
                line_item_id=(node.get("lineItem") or {}).get("id") or "",
                sku=(node.get("lineItem") or {}).get("sku") or "",
                quantity=int(node.get("quantity") or 0),
                restock_type=node.get("restockType") or "",
                subtotal=money_bag(node.get("subtotalSet")),
                total_tax=money_bag(node.get("totalTaxSet")),
            )
            for node in nodes(data.get("refundLineItems"))
        ),
        shipping_lines=tuple(
            commerce.RefundShippingLine(
                shipping_line_id=(node.get("shippingLine") or {}).get("id") or "",
                subtotal=money_bag(node.get("subtotalAmountSet")),
                tax=money_bag(node.get("taxAmountSet")),
            )
            for node in nodes(data.get("refundShippingLines"))
        ),
        transactions=tuple(transaction(node) for node in nodes(data.get("transactions"))),
    )


def order(data: dict) -> commerce.Order:
    return commerce.Order(
        id=data["id"],
        name=data.get("name") or "",
        created_at=timestamp(data["createdAt"]),
        updated_at=timestamp(data["updatedAt"]),
        cancelled_at=parse_datetime(data.get("cancelledAt")),
        test=bool(data.get("test")),
        financial_status=data.get("displayFinancialStatus") or "",
        fulfillment_status=data.get("displayFulfillmentStatus") or "",
        currency=data.get("currencyCode") or "",
        presentment_currency=data.get("presentmentCurrencyCode") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        customer=customer(data.get("customer")),
        billing_address=address(data.get("billingAddress")),
        shipping_address=address(data.get("shippingAddress")),
        line_items=tuple(line_item(node) for node in nodes(data.get("lineItems"))),
        shipping_lines=tuple(shipping_line(node) for node in nodes(data.get("shippingLines"))),
        discount_applications=tuple(discount_application(node) for node in nodes(data.get("discountApplications"))),
        transactions=tuple(transaction(node) for node in nodes(data.get("transactions"))),
        refunds=tuple(refund(node) for node in nodes(data.get("refunds"))),
        total_price=money_bag(data.get("totalPriceSet")),
        total_tax=money_bag(data.get("totalTaxSet")),
        subtotal=money_bag(data.get("subtotalPriceSet")),
        total_shipping=money_bag(data.get("totalShippingPriceSet")),
        total_discounts=money_bag(data.get("totalDiscountsSet")),
        taxes_included=bool(data.get("taxesIncluded", True)),
        tags=tuple(data.get("tags") or ()),
        note=data.get("note") or "",
        source_name=data.get("sourceName") or "",
        app_name=(data.get("app") or {}).get("name") or "",
        risk_level=risk_level(data.get("risk")),
        raw=data,
    )


RISK_ORDER = ("NONE", "LOW", "PENDING", "MEDIUM", "HIGH")


def risk_level(risk: dict | None) -> str:
    """The highest level among the order's risk assessments ("" when Shopify assessed nothing)."""
    levels = [(a or {}).get("riskLevel") or "" for a in (risk or {}).get("assessments") or []]
    known = [level for level in levels if level in RISK_ORDER]
    return max(known, key=RISK_ORDER.index) if known else ""


def fulfillment_order(data: dict) -> t.FulfillmentOrder:
    return t.FulfillmentOrder(
        id=data["id"],
        status=data.get("status") or "",
        lines=tuple(
            t.FulfillmentOrderLine(
                id=node["id"],
                line_item_id=(node.get("lineItem") or {}).get("id") or "",
                sku=node.get("sku") or (node.get("lineItem") or {}).get("sku") or "",
                remaining_quantity=int(node.get("remainingQuantity") or 0),
            )
            for node in nodes(data.get("lineItems"))
        ),
    )


def variant(data: dict) -> commerce.ProductVariant:
    weight = ((data.get("inventoryItem") or {}).get("measurement") or {}).get("weight") or {}
    return commerce.ProductVariant(
        id=data["id"],
        title=data.get("title") or "",
        sku=data.get("sku") or "",
        barcode=data.get("barcode") or "",
        price=_decimal(data.get("price")),
        compare_at_price=_decimal(data["compareAtPrice"]) if data.get("compareAtPrice") else None,
        taxable=bool(data.get("taxable", True)),
        tax_code=data.get("taxCode") or "",
        inventory_item_id=(data.get("inventoryItem") or {}).get("id") or "",
        weight=_decimal(weight["value"]) if weight.get("value") is not None else None,
        weight_unit=weight.get("unit") or "",
        inventory_quantity=data.get("inventoryQuantity"),
        selected_options=tuple(
            commerce.SelectedOption(name=option.get("name") or "", value=option.get("value") or "")
            for option in data.get("selectedOptions") or ()
        ),
    )


def product(data: dict) -> commerce.Product:
    return commerce.Product(
        id=data["id"],
        title=data.get("title") or "",
        status=data.get("status") or "",
        handle=data.get("handle") or "",
        vendor=data.get("vendor") or "",
        product_type=data.get("productType") or "",
        tags=tuple(data.get("tags") or ()),
        updated_at=parse_datetime(data.get("updatedAt")),
        variants=tuple(variant(node) for node in nodes(data.get("variants"))),
        description_html=data.get("descriptionHtml") or "",
        options=tuple(
            commerce.ProductOption(name=option.get("name") or "", values=tuple(option.get("values") or ()))
            for option in data.get("options") or ()
        ),
    )


def location(data: dict) -> commerce.Location:
    return commerce.Location(
        id=data["id"],
        name=data.get("name") or "",
        is_active=bool(data.get("isActive", True)),
        country_code=(data.get("address") or {}).get("countryCode") or "",
    )


def inventory_level(data: dict) -> commerce.InventoryLevel:
    quantities = {q["name"]: q["quantity"] for q in data.get("quantities") or ()}
    return commerce.InventoryLevel(
        inventory_item_id=(data.get("item") or {}).get("id") or "",
        location_id=(data.get("location") or {}).get("id") or "",
        available=int(quantities.get("available") or 0),
        on_hand=quantities.get("on_hand"),
    )


def payout(data: dict) -> t.Payout:
    summary = data.get("summary") or {}
    gross = fees = None
    if summary:
        charges = money(summary.get("chargesGross"))
        fee = money(summary.get("chargesFee"))
        gross, fees = charges, fee
    return t.Payout(
        id=data["id"],
        status=data.get("status") or "",
        issued_at=timestamp(data["issuedAt"]),
        net=money(data.get("net")),
        gross=gross,
        fees=fees,
        raw=data,
    )


def balance_transaction(data: dict) -> t.BalanceTransaction:
    order_data = data.get("associatedOrder") or {}
    return t.BalanceTransaction(
        id=data["id"],
        type=data.get("type") or "",
        amount=money(data.get("amount")),
        fee=money(data.get("fee")),
        net=money(data.get("net")),
        transaction_date=timestamp(data["transactionDate"]),
        source_id=str(data.get("sourceId") or ""),
        source_type=data.get("sourceType") or "",
        source_order_transaction_id=str(data.get("sourceOrderTransactionId") or ""),
        order_id=order_data.get("id") or "",
        order_name=order_data.get("name") or "",
        payout_id=(data.get("associatedPayout") or {}).get("id") or "",
        test=bool(data.get("test")),
        raw=data,
    )


def order_usage(data: dict) -> commerce.OrderUsage:
    addresses = (data.get("shippingAddress") or {}, data.get("billingAddress") or {})
    country = next((a.get("countryCodeV2") for a in addresses if a.get("countryCodeV2")), "") or ""
    lines = nodes(data.get("lineItems"))
    return commerce.OrderUsage(
        name=data.get("name") or "",
        test=bool(data.get("test")),
        country=country.upper(),
        gateways=tuple(data.get("paymentGatewayNames") or ()),
        currencies=tuple(c for c in (data.get("currencyCode"), data.get("presentmentCurrencyCode")) if c),
        shipping_methods=tuple(s.get("code") or s.get("title") or "" for s in nodes(data.get("shippingLines"))),
        tax_lines=tuple(
            (x.get("title") or "", Decimal(str(x.get("rate") or 0)))
            for line in lines
            for x in line.get("taxLines") or ()
        ),
    )
