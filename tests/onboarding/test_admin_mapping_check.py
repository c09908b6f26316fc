"""The admin checks mappings against the BC company's live choices, as the wizard does."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.models import CountryMapping, PayoutAccountMapping
from integrations.services.mapping_check import country_code_check, mapping_rows_check
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.onboarding.wizard_settings import bc_setup_choices
from tests import factories as f
from tests.admin.test_integration_form import post_data_from


def test_values_bc_does_not_offer_are_named(integration, bc_connected):
    choices = bc_setup_choices(integration=integration)
    good_vat, good_customer = choices.tax_areas[0][0], choices.customers[0][0]

    problems = mapping_rows_check(
        integration=integration,
        model=CountryMapping,
        rows=[
            {"country_code": "SE", "vat_business_group": good_vat, "collective_customer_number": good_customer},
            {"country_code": "DE", "vat_business_group": "NOPE", "collective_customer_number": "99999"},
        ],
    )

    assert problems[0] == {}
    assert problems[1] == {
        "vat_business_group": "Business Central has no VAT business posting group NOPE.",
        "collective_customer_number": "Business Central has no customer (not blocked) 99999.",
    }


def test_payout_configuration_journals_are_checked_too(integration, bc_connected):
    row = {"journal_template": "CASHRCPT", "journal_batch": "KLARNA", "general_journal_batch": "GENERAL",
           "clearing_account": "1582", "fee_account": "6064", "disputes_account": "6570"}  # fmt: skip

    problems = mapping_rows_check(
        integration=integration,
        model=PayoutAccountMapping,
        rows=[row, row | {"journal_template": "FREETEXT", "journal_batch": "NOPE", "general_journal_batch": "X"}],
    )

    assert problems[0] == {}
    assert problems[1] == {
        "journal_template": "Business Central has no Cash Receipts journal template FREETEXT.",
        "journal_batch": "Business Central has no customer payment journal batch NOPE.",
        "general_journal_batch": "Business Central has no general journal batch X.",
    }


@pytest.mark.parametrize("code", ["Ge", "ge", "GER", "G1", ""])
def test_country_codes_are_two_capital_letters(code):
    assert country_code_check(code)


def test_without_bc_the_check_says_so(db):
    integration = f.IntegrationFactory()
    with pytest.raises(OnboardingError):
        mapping_rows_check(integration=integration, model=CountryMapping, rows=[{"vat_business_group": "X"}])


def test_the_admin_refuses_a_mapping_bc_does_not_offer(integration, bc_connected):
    admin = Client()
    admin.force_login(f.SuperUserFactory())
    url = f"/admin/integrations/integration/{integration.pk}/change/"
    data = post_data_from(admin.get(url))
    data |= {
        "country_mappings-TOTAL_FORMS": "1",
        "country_mappings-0-integration": str(integration.pk),
        "country_mappings-0-country_code": "Ge",
        "country_mappings-0-vat_business_group": "NOPE",
        "country_mappings-0-collective_customer_number": "99999",
    }

    response = admin.post(url, data)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Business Central has no VAT business posting group NOPE." in text
    assert "Use the two-letter ISO country code in capitals" in text
    assert not CountryMapping.objects.filter(integration=integration).exists()
