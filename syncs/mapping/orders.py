"""A Shopify order -> the BC sales document draft (invoice, or sales order when configured)."""

from __future__ import annotations

from integrations.commerce import Order
from integrations.models import Integration

from . import codes
from .currency import bc_currency_code, money_pick, order_currency
from .customers import order_country
from .lines import ItemRef, order_lines_build
from .settings import MappingSettings
from .types import Address, DocumentDraft, DocumentKind, MappingError, Problem


def document_kind(settings: MappingSettings) -> DocumentKind:
    if settings.document_type == Integration.DocumentType.ORDER_SHIP_INVOICE:
        return DocumentKind.ORDER
    return DocumentKind.INVOICE


def order_is_fulfilled(order: Order) -> bool:
    return order.fulfillment_status.upper() == "FULFILLED"


def _ship_to(order: Order) -> Address | None:
    address = order.shipping_address
    if not address:
        return None
    return Address(
        line1=address.address1,
        line2=address.address2,
        city=address.city,
        postal_code=address.zip,
        country=address.country_code.upper(),
        name=address.company or f"{address.first_name} {address.last_name}".strip(),
    )


def order_document_build(
    *, order: Order, settings: MappingSettings, items: dict[str, ItemRef], customer_number: str = ""
) -> DocumentDraft:
    """Build the document or raise MappingError listing every problem of the order."""
    currency = order_currency(order=order, mode=settings.currency_mode)
    lines, problems = order_lines_build(order=order, settings=settings, items=items, currency=currency)
    if not lines and not problems:
        problems.append(Problem(codes.EMPTY_ORDER, {"order": order.name}))
    if problems:
        raise MappingError(problems)
    kind = document_kind(settings)
    shipping = next((settings.shipping_rule(s.code, s.title) for s in order.shipping_lines), None)
    return DocumentDraft(
        kind=kind,
        external_document_number=settings.external_number(order.name),
        document_date=order.created_at.date(),
        currency_code=bc_currency_code(currency, base_currency=settings.base_currency),
        lines=tuple(lines),
        expected_total=money_pick(order.total_price, settings.currency_mode),
        currency_mode=settings.currency_mode,
        customer_number=customer_number,
        email=order.email,
        ship_to=_ship_to(order),
        shipment_method_code=shipping.shipment_method_code if shipping else "",
        post=settings.document_type == Integration.DocumentType.INVOICE_POSTED,
        ship_and_invoice=kind == DocumentKind.ORDER and order_is_fulfilled(order),
        salesperson_code=settings.salesperson_code,
        dimensions=order_dimensions(order=order, settings=settings),
    )


def order_dimensions(*, order: Order, settings: MappingSettings) -> tuple[tuple[str, str], ...]:
    """The header dimensions the mappings give this order (sales channel, market/country, shop)."""
    chosen = settings.dimensions_for(sales_channel=order.sales_channel, country=order_country(order))
    return tuple(sorted(chosen.items()))
