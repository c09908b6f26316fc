"""Customer strategy: one collective customer per country, or match by e-mail then phone."""

from __future__ import annotations

import re

from integrations.commerce import Address, Customer, Order, id_tail
from integrations.models import Integration

from . import codes
from .settings import CountryDefaults, MappingSettings
from .types import CustomerDraft, CustomerPlan, Problem

_NON_DIGITS = re.compile(r"\D+")


def email_normalize(email: str) -> str:
    return (email or "").strip().lower()


def phone_normalize(phone: str) -> str:
    """Digits only, with a leading + kept: '+46 (0)70-123 45 67' and '+46701234567' must match."""
    phone = (phone or "").strip()
    digits = _NON_DIGITS.sub("", phone)
    return f"+{digits}" if phone.startswith("+") and digits else digits


def order_country(order: Order) -> str:
    """Where the goods go decides VAT (OSS); billing and the customer's address are fallbacks."""
    for address in (order.shipping_address, order.billing_address, order.customer and order.customer.default_address):
        if address and address.country_code:
            return address.country_code.upper()
    return ""


def _name(order: Order, address: Address | None) -> str:
    if address and (address.company or address.first_name or address.last_name):
        return address.company or f"{address.first_name} {address.last_name}".strip()
    if order.customer and order.customer.display_name:
        return order.customer.display_name
    return email_normalize(order.email) or order.name


def customer_plan(*, order: Order, settings: MappingSettings) -> CustomerPlan | Problem:
    """Decide how the order's customer is found in BC (no network: the flow does the lookups)."""
    country = order_country(order)
    if not country:
        return Problem(codes.ORDER_NO_COUNTRY, {"order": order.name})
    defaults = settings.country(country)
    if defaults is None:
        return Problem(codes.COUNTRY_NOT_MAPPED, {"country": country})
    email = email_normalize(order.email or (order.customer.email if order.customer else ""))
    phone = phone_normalize(order.phone or (order.customer.phone if order.customer else ""))
    if settings.customer_strategy == Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY or not (email or phone):
        if defaults.collective_customer_number:
            return CustomerPlan(number=defaults.collective_customer_number)
        if settings.customer_strategy == Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY:
            return Problem(codes.NO_COLLECTIVE_CUSTOMER, {"country": country})
        return Problem(codes.CUSTOMER_NO_CONTACT, {"order": order.name})
    address = order.billing_address or order.shipping_address
    draft = _draft(
        name=_name(order, address),
        email=email,
        phone=phone,
        country=country,
        defaults=defaults,
        address=address,
        settings=settings,
        customer=order.customer,
    )
    source_id = order.customer.id if order.customer else f"email:{email or phone}"
    return CustomerPlan(email=email, phone=phone, source_id=source_id, draft=draft)


def customer_number_manual(*, customer: Customer | None, settings: MappingSettings) -> str:
    """The shop's numeric customer id as the BC customer number, when numbering says so."""
    if customer is None or settings.customer_numbering != Integration.Numbering.SHOP_NUMBER:
        return ""
    return id_tail(customer.id)[:20]


def _draft(
    *,
    name: str,
    email: str,
    phone: str,
    country: str,
    defaults: CountryDefaults,
    address: Address | None,
    settings: MappingSettings,
    customer: Customer | None,
) -> CustomerDraft:
    return CustomerDraft(
        display_name=name,
        email=email,
        phone=phone,
        country=country,
        address_line1=address.address1 if address else "",
        address_line2=address.address2 if address else "",
        city=address.city if address else "",
        postal_code=address.zip if address else "",
        vat_business_group=defaults.vat_business_group,
        currency_code=defaults.currency_code,
        payment_terms_code=defaults.payment_terms_code,
        payment_method_code=defaults.payment_method_code,
        number=customer_number_manual(customer=customer, settings=settings),
    )


def shop_customer_plan(*, customer: Customer, settings: MappingSettings) -> CustomerPlan | Problem:
    """A shop customer (the customers flow) -> how its BC customer is matched or created."""
    address = customer.default_address
    country = (address.country_code if address else "").upper()
    reference = customer.email or customer.display_name or id_tail(customer.id)
    if not country:
        return Problem(codes.ORDER_NO_COUNTRY, {"order": reference})
    defaults = settings.country(country)
    if defaults is None:
        return Problem(codes.COUNTRY_NOT_MAPPED, {"country": country})
    email, phone = email_normalize(customer.email), phone_normalize(customer.phone)
    if not (email or phone):
        return Problem(codes.CUSTOMER_NO_CONTACT, {"order": reference})
    name = (address.company if address else "") or customer.display_name or email or phone
    draft = _draft(
        name=name,
        email=email,
        phone=phone,
        country=country,
        defaults=defaults,
        address=address,
        settings=settings,
        customer=customer,
    )
    return CustomerPlan(email=email, phone=phone, source_id=customer.id, draft=draft)
