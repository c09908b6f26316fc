"""The base currency is Business Central's own LCY (General Ledger Setup): read when the company is
chosen and on the settings step, shown there, never typed (not by the merchant, not in the admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import Integration
from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select
from tests.onboarding.conftest import microsoft_sign_in


@pytest.fixture
def signed_in(merchant_client, integration, identity_server, bc_world):
    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    return integration


def _company(integration):
    return next(c for c in bc_companies_list(integration=integration, environment_name="sandbox"))


def test_choosing_a_company_reads_its_local_currency(signed_in, bc_world):
    company = _company(signed_in)
    bc_world.company("sandbox", company.name).change_lcy("EUR")

    bc_company_select(integration=signed_in, environment_name="sandbox", company_id=company.id)

    assert Integration.objects.get(pk=signed_in.pk).base_currency == "EUR"


def test_the_settings_step_shows_bcs_local_currency_read_again(merchant_client, signed_in, bc_world):
    company = _company(signed_in)
    bc_company_select(integration=signed_in, environment_name="sandbox", company_id=company.id)
    bc_world.company("sandbox", company.name).change_lcy("NOK")  # changed in BC afterwards

    page = merchant_client.get(reverse("merchant:wizard_settings", args=[signed_in.pk])).content.decode()

    assert 'id="base-currency"' in page and "<strong>NOK</strong>" in page
    assert 'name="base_currency"' not in page  # shown, never typed
    assert Integration.objects.get(pk=signed_in.pk).base_currency == "NOK"


def test_support_cannot_type_the_base_currency_in_the_admin(admin_client, integration):
    page = admin_client.get(reverse("admin:integrations_integration_change", args=[integration.pk])).content.decode()

    assert 'name="base_currency"' not in page
