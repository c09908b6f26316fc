"""The onboarding wizard's "test with a real order": the BC document an order would become, or its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from integrations.commerce import Order
from integrations.connectors.businesscentral import BCError, entities
from integrations.models import Integration
from syncs.clients import ClientFactory, client_factory_default
from syncs.errors import ClassifiedError, classify_exception, problems_error
from syncs.mapping.customers import customer_plan, order_country
from syncs.mapping.lines import order_item_keys
from syncs.mapping.orders import order_document_build
from syncs.mapping.types import DocumentKind, MappingError, Problem
from syncs.services.customers import customers_resolve
from syncs.services.orders.context import OrdersContext, orders_context
from syncs.services.orders.filters import order_skip_reason
from syncs.services.orders.header import draft_with_header_defaults, draft_with_shipment_method
from syncs.services.orders.items import items_resolve


@dataclass
class OrderPreview:
    order_name: str
    found: bool = True
    document_type: str = ""
    customer: dict = field(default_factory=dict)
    currency: str = ""
    lines: list[dict] = field(default_factory=list)
    shop_total: str = ""
    net_total: str = ""
    vat_business_group: str = ""
    existing_document: str = ""
    skip_reason: str = ""
    errors: list[dict] = field(default_factory=list)
    order: Order | None = field(default=None, repr=False, compare=False)  # the shop's order, when found

    @property
    def ok(self) -> bool:
        return self.found and not self.errors

    @property
    def document_type_label(self) -> str:
        try:
            return str(Integration.DocumentType(self.document_type).label)
        except ValueError:
            return self.document_type


def _error_dict(*, error: ClassifiedError) -> dict:
    return {
        "code": error.code,
        "title": str(error.entry.title),
        "message": error.message,
        "remedy": str(error.entry.remedy),
        "vendor_message": error.vendor_message,
    }


def order_preview(*, integration: Integration, order_name: str, clients: ClientFactory | None = None) -> OrderPreview:
    """The BC document the order would become (customer, lines, VAT groups, totals), or the exact
    errors. Reads from the shop and BC; writes nothing anywhere."""
    clients = clients or client_factory_default()
    preview = OrderPreview(order_name=order_name)
    try:
        orders = clients.shop(integration=integration).orders_by_names([order_name])
    except Exception as exc:  # a shop failure is shown to the merchant, coded
        preview.errors.append(_error_dict(error=classify_exception(exc)))
        return preview
    if not orders:
        preview.found = False
        return preview
    order = orders[0]
    preview.order = order
    ctx = orders_context(integration=integration, client=clients.bc(integration=integration))
    preview.skip_reason = order_skip_reason(order=order, integration=integration)
    try:
        items_resolve(ctx=ctx, keys=order_item_keys(order, sku_rule=ctx.settings.sku_rule))
        plan = customer_plan(order=order, settings=ctx.settings)
        customer_number = ""
        if isinstance(plan, Problem):
            preview.errors.append(_error_dict(error=problems_error([plan])))
        elif plan.is_fixed:
            customer_number = plan.number
            preview.customer = {"number": plan.number, "strategy": "collective"}
        else:
            existing = customers_resolve(
                integration=integration, client=ctx.client, plans=[plan], cache=ctx.customers, create=False
            ).get(plan.source_id)
            customer_number = existing if isinstance(existing, str) else ""
            preview.customer = (
                {"number": customer_number, "strategy": "matched"}
                if customer_number
                else {"strategy": "would create", **plan.draft.to_payload()}  # type: ignore[union-attr]  # not fixed: a draft
            )
        draft = order_document_build(
            order=order, settings=ctx.settings, items=ctx.items_found, customer_number=customer_number or "(new)"
        )
        draft = draft_with_shipment_method(ctx=ctx, draft=draft)
        draft = draft_with_header_defaults(ctx=ctx, draft=draft)
        number = draft.external_document_number
        entity: entities.EntitySet[Any] = (
            entities.SALES_INVOICES if draft.kind == DocumentKind.INVOICE else entities.SALES_ORDERS
        )
        found = ctx.client.find_by_external_document_numbers(entity, [number])
        if found.get(number):
            preview.existing_document = found[number][0].number
    except MappingError as exc:
        preview.errors += [_error_dict(error=problems_error([problem])) for problem in exc.problems]
        return preview
    except BCError as exc:
        preview.errors.append(_error_dict(error=classify_exception(exc)))
        return preview
    country = ctx.settings.country(order_country(order))
    preview.vat_business_group = country.vat_business_group if country else ""
    preview.document_type = ctx.settings.document_type
    preview.currency = draft.currency_code or ctx.settings.base_currency
    preview.shop_total = str(draft.expected_total)
    preview.net_total = str(draft.expected_net)
    preview.lines = [
        {
            "type": line.line_type,
            "number": line.number,
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price_excl_vat": str(line.unit_price),
            "discount": str(line.discount_amount),
            "vat_product_group": line.tax_code or _item_tax_group(ctx=ctx, key=line.sku),
            "net_amount": str(line.net_amount),
        }
        for line in draft.lines
    ]
    return preview


def _item_tax_group(*, ctx: OrdersContext, key: str) -> str:
    ref = ctx.items.get(key)
    return ref.tax_group_code if ref else ""
