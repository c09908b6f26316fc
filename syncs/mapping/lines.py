"""Order lines -> BC document lines: items by SKU rule, fallback G/L, shipping, gift cards.

Prices go to BC excluding VAT and BC adds VAT from its own posting setup (customer's VAT business
group x the line's VAT product group). The net amounts are derived from the shop's own tax lines,
so when BC's VAT setup agrees with the shop, BC's total equals the shop's total; when it does not,
the total check after creation shows both figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from integrations.commerce import LineItem, MoneyBag, Order, ShippingLine
from integrations.models import Integration, ShippingMethodMapping

from . import codes
from .currency import money_pick, money_round
from .settings import MappingSettings
from .types import ZERO, DocumentLine, Problem

UNIT_PRICE_PLACES = Decimal("0.00001")  # BC's default unit-amount rounding precision


@dataclass(frozen=True)
class ItemRef:
    """A BC item (and, for a variant SKU, its variant) found for a SKU key."""

    number: str
    id: str = ""
    tax_group_code: str = ""
    variant_id: str = ""
    variant_code: str = ""


def line_item_key(line: LineItem, *, sku_rule: str) -> str:
    """The value looked up in BC: the SKU as item number, or the barcode (else SKU) as GTIN."""
    if sku_rule == Integration.SkuRule.GTIN:
        return (line.barcode or line.sku).strip()
    return line.sku.strip()


def order_item_keys(order: Order, *, sku_rule: str) -> set[str]:
    return {
        key for line in order.line_items if not line.is_gift_card and (key := line_item_key(line, sku_rule=sku_rule))
    }


def _sum(bags, mode: str) -> Decimal:
    return sum((money_pick(bag, mode) for bag in bags), ZERO)


def net_unit_and_discount(
    *, gross_unit: Decimal, quantity: Decimal, discount: Decimal, tax: Decimal, taxes_included: bool, currency: str
) -> tuple[Decimal, Decimal]:
    """Unit price excl. VAT and line discount excl. VAT so that qty x price - discount is the shop's net."""
    if quantity <= 0:
        return ZERO, ZERO
    if not taxes_included:
        return gross_unit, discount
    after_discount = gross_unit * quantity - discount
    target_net = after_discount - tax
    if not discount:
        return (target_net / quantity).quantize(UNIT_PRICE_PLACES, rounding=ROUND_HALF_UP), ZERO
    ratio = (target_net / after_discount) if after_discount else Decimal(1)
    unit = (gross_unit * ratio).quantize(UNIT_PRICE_PLACES, rounding=ROUND_HALF_UP)
    net_discount = money_round(unit * quantity, currency) - money_round(target_net, currency)
    return unit, max(net_discount, ZERO)


def _line_net(line: LineItem, *, order: Order, mode: str, currency: str) -> tuple[Decimal, Decimal]:
    return net_unit_and_discount(
        gross_unit=money_pick(line.unit_price, mode),
        quantity=Decimal(line.quantity),
        discount=_sum((a.amount for a in line.discount_allocations), mode),
        tax=_sum((t.price for t in line.tax_lines), mode),
        taxes_included=order.taxes_included,
        currency=currency,
    )


def item_line_build(
    line: LineItem,
    *,
    order: Order,
    settings: MappingSettings,
    items: dict[str, ItemRef],
    currency: str,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    discount: Decimal | None = None,
) -> DocumentLine | Problem:
    """One product line: the BC item, the fallback G/L account, the gift-card account, or a problem."""
    mode = settings.currency_mode
    qty = Decimal(line.quantity) if quantity is None else quantity
    if unit_price is None:
        unit_price, discount = _line_net(line, order=order, mode=mode, currency=currency)
    discount = discount or ZERO
    if line.is_gift_card:
        # A sold gift card is a liability, not revenue: G/L account, the account's own VAT group.
        if not settings.gift_card_gl_account:
            return Problem(codes.GIFT_CARD_ACCOUNT_MISSING, {"title": line.title})
        return DocumentLine(
            "Account",
            settings.gift_card_gl_account,
            line.title or "Gift card",
            qty,
            unit_price,
            discount,
            source="gift_card",
        )
    key = line_item_key(line, sku_rule=settings.sku_rule)
    tax_code = settings.tax_classes.get(line.tax_code, "") if line.tax_code else ""
    item = items.get(key) if key else None
    if item is not None:
        return DocumentLine(
            "Item", item.number, line.title, qty, unit_price, discount, tax_code, "item", key, item.variant_id
        )
    if settings.fallback_gl_account:
        description = f"{key or '(no SKU)'} {line.title}".strip()
        return DocumentLine(
            "Account", settings.fallback_gl_account, description, qty, unit_price, discount, tax_code, "fallback", key
        )
    return Problem(codes.UNMAPPED_SKU, {"sku": key or "(empty)", "title": line.title, "rule": settings.sku_rule})


def shipping_line_build(
    line: ShippingLine,
    *,
    order: Order,
    settings: MappingSettings,
    currency: str,
    amount: MoneyBag | None = None,
    tax: Decimal | None = None,
) -> DocumentLine | Problem | None:
    """The freight line (item or G/L account with its VAT product group); None when free."""
    mode = settings.currency_mode
    price = amount or line.discounted_price or line.price
    gross = money_pick(price, mode)
    if gross == 0:
        return None
    rule = settings.shipping_rule(line.code, line.title)
    if rule is None:
        return Problem(codes.SHIPPING_NOT_MAPPED, {"code": line.code or line.title})
    tax_amount = _sum((t.price for t in line.tax_lines), mode) if tax is None else tax
    unit, _ = net_unit_and_discount(
        gross_unit=gross,
        quantity=Decimal(1),
        discount=ZERO,
        tax=tax_amount,
        taxes_included=order.taxes_included,
        currency=currency,
    )
    line_type = "Item" if rule.line_type == ShippingMethodMapping.LineType.ITEM else "Account"
    return DocumentLine(
        line_type,
        rule.line_number,
        line.title or "Shipping",
        Decimal(1),
        unit,
        ZERO,
        rule.vat_product_group,
        "shipping",
        line.code,
    )


def order_lines_build(
    *, order: Order, settings: MappingSettings, items: dict[str, ItemRef], currency: str
) -> tuple[list[DocumentLine], list[Problem]]:
    lines: list[DocumentLine] = []
    problems: list[Problem] = []
    results: list[DocumentLine | Problem | None] = [
        item_line_build(line, order=order, settings=settings, items=items, currency=currency)
        for line in order.line_items
        if line.quantity > 0
    ]
    results += [
        shipping_line_build(line, order=order, settings=settings, currency=currency) for line in order.shipping_lines
    ]
    for result in results:
        if isinstance(result, Problem):
            problems.append(result)
        elif result is not None:
            lines.append(result)
    return lines, problems
