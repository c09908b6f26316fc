"""Mapping values checked against the connected BC company's live choices, as the wizard does.

Support edits mappings in the admin; a code BC does not have (a VAT business posting group, a
customer, a payment method, an account) would only surface as a failed document later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from integrations.models import (
    CountryMapping,
    Integration,
    PaymentMethodMapping,
    PayoutAccountMapping,
    ShippingMethodMapping,
)
from integrations.services.onboarding.wizard_settings import SetupChoices, bc_setup_choices

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")

# Which SetupChoices list each mapping field's value must come from.
MAPPING_CHOICE_FIELDS: dict[type, dict[str, str]] = {
    CountryMapping: {
        "vat_business_group": "tax_areas",
        "collective_customer_number": "customers",
        "payment_method_code": "payment_methods",
    },
    PaymentMethodMapping: {"bc_payment_method_code": "payment_methods", "balancing_account": "accounts"},
    ShippingMethodMapping: {"bc_shipment_method_code": "shipment_methods"},
    PayoutAccountMapping: {
        "journal_template": "journal_templates",
        "journal_batch": "payment_batches",
        "general_journal_batch": "general_batches",
        "clearing_account": "accounts",
        "fee_account": "accounts",
        "disputes_account": "accounts",
        "bank_account": "bank_accounts",
    },
}
LABELS = {
    "tax_areas": "VAT business posting group",
    "customers": "customer (not blocked)",
    "payment_methods": "payment method",
    "accounts": "G/L posting account",
    "bank_accounts": "bank account",
    "shipment_methods": "shipment method",
    "journal_templates": "Cash Receipts journal template",
    "payment_batches": "customer payment journal batch",
    "general_batches": "general journal batch",
}


def mapping_rows_check(
    *, integration: Integration, model: type, rows: Iterable[Mapping[str, str]], choices: SetupChoices | None = None
) -> list[dict[str, str]]:
    """Per row, ``{field: message}`` for each value the BC company does not offer (empty = fine).

    Raises OnboardingError when BC is not connected or cannot be read (the caller shows it).
    """
    rows = list(rows)
    fields = MAPPING_CHOICE_FIELDS.get(model, {})
    if choices is None:
        customers = [row.get("collective_customer_number") or "" for row in rows]
        choices = bc_setup_choices(integration=integration, customer_numbers=[c for c in customers if c])
    problems = []
    for row in rows:
        found = {}
        for field, list_name in fields.items():
            value = (row.get(field) or "").strip()
            if value and value not in {code for code, _label in getattr(choices, list_name)}:
                found[field] = f"Business Central has no {LABELS[list_name]} {value}."
        problems.append(found)
    return problems


def country_code_check(value: str) -> str | None:
    """A message unless ``value`` is a two-letter ISO country code in capitals."""
    if not COUNTRY_CODE.match(value or ""):
        return "Use the two-letter ISO country code in capitals, for example SE or DE."
    return None
