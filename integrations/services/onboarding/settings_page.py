"""Wizard step 3 as one page: what it shows (BC's lists, the shop's proposals, the stored settings)
and its one save (the required settings and the order options, both or neither)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from integrations.models import Integration
from integrations.services.mapping_proposals import MappingProposals, settings_proposals_get
from integrations.services.onboarding.order_options import ORDER_OPTION_FIELDS, integration_order_options_save
from integrations.services.onboarding.wizard_settings import (
    DEFAULT_SHIPPING_CODE,
    SHOP_GATEWAYS,
    SetupChoices,
    bc_setup_choices,
    integration_settings_save,
)
from integrations.services.oss_check import matched_customer_numbers, matched_customer_vat_mismatches
from integrations.services.payout_configurations import (
    PayoutConfiguration,
    PayoutRow,
    batch_initial,
    batch_value_split,
    payout_initial,
    payout_rows,
)


@dataclass
class SettingsPage:
    choices: SetupChoices
    proposals: MappingProposals
    payout_rows: list[PayoutRow]
    # The stored countries, else those the shop's recent orders went to.
    countries: list[str]
    # The stored settings, over the proposals where nothing is stored yet.
    initial: dict
    # Matched customers whose VAT group differs from their country's (OSS).
    vat_mismatches: list


def settings_page_get(
    *, integration: Integration, customer_search: str = "", customer_numbers: Iterable[str] = ()
) -> SettingsPage:
    """``customer_numbers``: collective customers the merchant just chose (kept in the lists like the
    stored ones, even when a search or the size limit would hide them). Raises OnboardingError when
    Business Central cannot be read."""
    mappings = list(integration.country_mappings.order_by("pk"))
    chosen = {m.collective_customer_number for m in mappings} | set(customer_numbers)
    chosen |= matched_customer_numbers(integration=integration)  # OSS: their VAT group is compared too
    choices = bc_setup_choices(integration=integration, customer_search=customer_search, customer_numbers=chosen)
    # Rows proposed from the shop's recent orders: every gateway it used, every country it shipped to.
    proposals = settings_proposals_get(
        integration=integration, choices=choices, now=timezone.now(), usual_gateways=SHOP_GATEWAYS
    )
    initial = {
        "customer_strategy": integration.customer_strategy,
        "document_type": integration.document_type,
        "payment_journal_batch": batch_initial(
            choices, integration.payment_journal_template, integration.payment_journal_batch
        ),
        **{name: getattr(integration, name) for name in ORDER_OPTION_FIELDS},
        **{f"vat__{m.country_code}": m.vat_business_group for m in mappings},
        **{f"collective__{m.country_code}": m.collective_customer_number for m in mappings},
        **{f"pm__{m.shop_gateway}": m.bc_payment_method_code for m in integration.payment_method_mappings.all()},
        **payout_initial(choices, integration.payout_account_mappings.all()),
    }
    proposed = {f"pm__{g}": code for g, code in proposals.payment_methods.items()}
    proposed |= {f"vat__{c}": group for c, group in proposals.vat_groups.items()}
    initial = {**{name: value for name, value in proposed.items() if value}, **initial}
    shipping = integration.shipping_method_mappings.filter(shop_shipping_code=DEFAULT_SHIPPING_CODE).first()
    if shipping:
        initial |= {"shipment_method": shipping.bc_shipment_method_code, "freight_account": shipping.line_number}
    countries = [m.country_code for m in mappings] or proposals.countries
    initial["countries"] = ", ".join(countries)
    return SettingsPage(
        choices=choices,
        proposals=proposals,
        payout_rows=payout_rows(integration=integration),
        countries=countries,
        initial=initial,
        vat_mismatches=matched_customer_vat_mismatches(
            integration=integration, customer_vat_groups=choices.customer_vat_groups
        ),
    )


@transaction.atomic
def wizard_settings_save(
    *,
    integration: Integration,
    data: Mapping[str, Any],  # the form's cleaned_data: values of several types
    gateways: Iterable[str],
    collective_customers: Mapping[str, str] | None,
    payout_accounts: Iterable[PayoutConfiguration],
) -> Integration:
    """The settings page's cleaned data saved: the required settings and the order options."""
    template, batch = batch_value_split(data["payment_journal_batch"])
    integration_settings_save(
        integration=integration,
        customer_strategy=data["customer_strategy"],
        document_type=data["document_type"],
        payment_journal_template=template,
        payment_journal_batch=batch,
        payment_methods={g: data.get(f"pm__{g}", "") for g in gateways},
        shipment_method=data["shipment_method"],
        freight_account=data["freight_account"],
        countries={code: data.get(f"vat__{code}", "") for code in data["countries"]},
        collective_customers=collective_customers,
        payout_accounts=payout_accounts,
    )
    return integration_order_options_save(
        integration=integration,
        options={name: data.get(name) for name in ORDER_OPTION_FIELDS},
        dimension_rules=data.get("dimension_rules") or [],
    )
