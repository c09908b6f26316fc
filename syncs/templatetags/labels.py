"""``{{ payout.provider|gateway_label }}``: a gateway's or provider's name instead of its code."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from integrations.labels import gateway_label as _gateway_label
from integrations.models import Integration
from syncs.selectors import DOCUMENT_KIND_OF_ENTITY, PREFLIGHT_CHECK_LABELS
from syncs.services.bc_links import bc_document_url as _bc_document_url

register = template.Library()


@register.filter
def gateway_label(code: str) -> str:
    return _gateway_label(code)


# An order's compared fields (syncs/mapping/digest.py), in the merchant's words.
_ORDER_FIELDS = {
    "currency": _("Currency"),
    "presentment_currency": _("Customer's currency"),
    "total_price": _("Total"),
    "total_tax": _("Total VAT"),
    "email": _("E-mail"),
    "country": _("Country"),
    "cancelled": _("Cancelled"),
}
_ORDER_FIELD_PREFIXES = {"line": _("Line %(name)s"), "shipping": _("Shipping %(name)s")}


@register.filter
def order_field_label(key: str) -> str:
    """``{{ change.field|order_field_label }}``: "Total" for total_price, "Line SOCK-1" for "line SOCK-1"."""
    if key in _ORDER_FIELDS:
        return str(_ORDER_FIELDS[key])
    prefix, _space, name = str(key).partition(" ")
    if prefix in _ORDER_FIELD_PREFIXES and name:
        return str(_ORDER_FIELD_PREFIXES[prefix]) % {"name": name}
    return str(key).replace("_", " ").replace(".", " ").capitalize()


@register.filter
def shop_reference(value: str) -> str:
    """A shop's own number instead of its API id: gid://shopify/ShopifyPaymentsPayout/901 -> 901."""
    value = str(value or "")
    return value.rsplit("/", 1)[-1] if value.startswith("gid://") else value


@register.filter
def words(value: str) -> str:
    """A provider's type code as words: adjustment_reversal -> adjustment reversal."""
    return str(value or "").replace("_", " ")


@register.filter
def check_label(name: str) -> str:
    """A health check's name as the health check page shows it: "Payment journal batch"."""
    return str(PREFLIGHT_CHECK_LABELS.get(name, name))


@register.simple_tag
def bc_document_url(link, integration) -> str:
    """BC online's page of a record's document, from the integration's settings (lists do not load a
    record's details): posted unless the integration leaves invoices as drafts."""
    kind = DOCUMENT_KIND_OF_ENTITY.get(link.entity_type)
    if not kind or not link.target_number:
        return ""
    if kind == "invoice" and integration.document_type == Integration.DocumentType.ORDER_SHIP_INVOICE:
        kind = "order"
    posted = integration.document_type != Integration.DocumentType.INVOICE_DRAFT
    connection = getattr(integration, "bc_connection", None)
    return _bc_document_url(connection=connection, kind=kind, posted=posted, number=link.target_number)


_LINE_TYPES = {"Item": _("Item"), "Account": _("G/L account"), "Comment": _("Comment")}


@register.filter
def line_type_label(value: str) -> str:
    """A document line's BC type (Item, Account) in the reader's language."""
    return str(_LINE_TYPES.get(str(value), value))


_SKIP_REASONS = {
    "created before the order exclusion date": _("it was placed before the integration went live"),
    "test order": _("it is a test order, and test orders are not synced"),
    "cancelled": _("it was cancelled"),
}


@register.filter
def skip_reason_label(reason: str) -> str:
    """Why an order is not synced (syncs.services.orders.filters.order_skip_reason), in the reader's words."""
    reason = str(reason or "")
    if reason in _SKIP_REASONS:
        return str(_SKIP_REASONS[reason])
    if reason.startswith("not paid"):
        return str(_("it is not paid yet"))
    return reason
