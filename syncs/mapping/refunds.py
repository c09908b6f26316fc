"""A Shopify refund -> a BC credit memo applied to the order's posted invoice.

The currency mode, customer and invoice come from the order's snapshot (its RecordLink), never
from today's settings, so a refund is always in the invoice's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from integrations.commerce import Money, MoneyBag, Order, Refund, id_tail

from . import codes
from .currency import bc_currency_code, money_pick
from .lines import ItemRef, item_line_build, net_unit_and_discount, shipping_line_build
from .orders import order_dimensions
from .settings import MappingSettings
from .types import ZERO, DocumentDraft, DocumentKind, DocumentLine, MappingError, Problem

NON_RESTOCK = {"NO_RESTOCK", "CANCEL"}


@dataclass(frozen=True)
class InvoiceSnapshot:
    """What the order's sync recorded: the refund must follow the same choices."""

    invoice_id: str
    customer_number: str
    currency_mode: str
    currency: str  # the document currency (ISO code, LCY included)
    invoice_posted: bool = True  # False: a draft invoice ("left as draft"), which nothing can apply to


def refund_external_number(order: Order, refund: Refund) -> str:
    return f"{order.name}-R{id_tail(refund.id)}"[:35]


def refund_document_build(
    *,
    order: Order,
    refund: Refund,
    settings: MappingSettings,
    items: dict[str, ItemRef],
    snapshot: InvoiceSnapshot | None,
) -> DocumentDraft:
    if snapshot is None or not snapshot.invoice_id:
        raise MappingError([Problem(codes.REFUND_INVOICE_MISSING, {"order": order.name})])
    settings = replace(settings, currency_mode=snapshot.currency_mode)
    mode, currency = snapshot.currency_mode, snapshot.currency
    by_id = {line.id: line for line in order.line_items}
    lines: list[DocumentLine] = []
    problems: list[Problem] = []
    for refunded in refund.line_items:
        original = by_id.get(refunded.line_item_id)
        if original is None or refunded.quantity <= 0:
            continue
        quantity = Decimal(refunded.quantity)
        # A refund's subtotal includes VAT when the shop's prices do; total_tax is the VAT part.
        unit, discount = net_unit_and_discount(
            gross_unit=money_pick(refunded.subtotal, mode) / quantity,
            quantity=quantity,
            discount=ZERO,
            tax=money_pick(refunded.total_tax, mode),
            taxes_included=order.taxes_included,
            currency=currency,
        )
        result = item_line_build(
            original,
            order=order,
            settings=settings,
            items=items,
            currency=currency,
            quantity=quantity,
            unit_price=unit,
            discount=discount,
        )
        if isinstance(result, Problem):
            problems.append(result)
            continue
        if result.source == "item" and refunded.restock_type in NON_RESTOCK and settings.refund_gl_account:
            # Nothing comes back to stock: credit the refund account, not the item.
            result = replace(result, line_type="Account", number=settings.refund_gl_account, source="non_restock")
        lines.append(result)
    shipping_by_id = {line.id: line for line in order.shipping_lines}
    for refunded_shipping in refund.shipping_lines:
        shipping = shipping_by_id.get(refunded_shipping.shipping_line_id) or (
            order.shipping_lines[0] if order.shipping_lines else None
        )
        if shipping is None:
            continue
        # Shopify reports a shipping refund before tax; the tax is separate.
        gross = money_pick(refunded_shipping.subtotal, mode) + (
            money_pick(refunded_shipping.tax, mode) if order.taxes_included else 0
        )
        shipping_result = shipping_line_build(
            shipping,
            order=order,
            settings=settings,
            currency=currency,
            amount=_bag(refunded_shipping.subtotal, gross),
            tax=money_pick(refunded_shipping.tax, mode),
        )
        if isinstance(shipping_result, Problem):
            problems.append(shipping_result)
        elif shipping_result is not None:
            lines.append(shipping_result)
    if not lines and not problems and money_pick(refund.total_refunded, mode) > 0:
        # An amount-only refund (goodwill): one line on the refund account.
        if not settings.refund_gl_account:
            problems.append(Problem(codes.REFUND_ACCOUNT_MISSING, {"order": order.name}))
        else:
            amount = money_pick(refund.total_refunded, mode)
            lines.append(
                DocumentLine("Account", settings.refund_gl_account, refund.note or "Refund", Decimal(1), amount)
            )
    if problems:
        raise MappingError(problems)
    return DocumentDraft(
        kind=DocumentKind.CREDIT_MEMO,
        external_document_number=settings.external_number(refund_external_number(order, refund)),
        # A refund without a date of its own (Shopify allows it) is dated by the order's last change.
        document_date=(refund.created_at or order.updated_at).date(),
        currency_code=bc_currency_code(currency, base_currency=settings.base_currency),
        lines=tuple(lines),
        expected_total=money_pick(refund.total_refunded, mode),
        currency_mode=mode,
        customer_number=snapshot.customer_number,
        # BC applies a credit memo to a posted invoice only. While the invoice is a draft the credit
        # memo stays a draft too, unapplied: the accountant posts the invoice, then applies and posts it.
        applies_to_invoice_id=snapshot.invoice_id if snapshot.invoice_posted else "",
        post=snapshot.invoice_posted,
        salesperson_code=settings.salesperson_code,
        dimensions=order_dimensions(order=order, settings=settings),
    )


def _bag(template: MoneyBag, gross: Decimal) -> MoneyBag:
    """A MoneyBag whose chosen side carries ``gross`` (shipping_line_build picks by mode)."""
    return MoneyBag(shop=Money(gross, template.shop.currency), presentment=Money(gross, template.presentment.currency))
