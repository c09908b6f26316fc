"""Environment and company after sign-in, read from the BC simulator with the identity simulator's tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import BusinessCentralConnection, Integration
from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select, bc_environments_list
from integrations.services.onboarding.errors import CompanyAlreadyConnected, OnboardingError
from integrations.services.onboarding.signup import integration_create, merchant_signup
from tests.onboarding.conftest import microsoft_sign_in


@pytest.fixture
def signed_in(merchant_client, integration, identity_server, bc_world):
    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    return integration


def sandbox_company(integration):
    return bc_companies_list(integration=integration, environment_name="sandbox")[0]


class TestEnvironmentAndCompany:
    def test_environments_sandbox_first_and_companies_listed(self, signed_in):
        environments = bc_environments_list(integration=signed_in)

        assert [(e.name, e.type) for e in environments] == [("sandbox", "Sandbox"), ("production", "Production")]
        assert len(bc_companies_list(integration=signed_in, environment_name="sandbox")) == 2

    def test_user_without_an_admin_role_picks_an_environment(self, merchant_client, signed_in, bc_world):
        """The BC user needs no admin role: the admin center refuses them, /environments/v1.2 does not."""
        assert not bc_world.admin_principals
        page = merchant_client.get(reverse("merchant:bc_company", args=[signed_in.pk]))
        assert page.status_code == 200 and "production" in page.content.decode()
        company = bc_companies_list(integration=signed_in, environment_name="production")[0]

        response = merchant_client.post(
            reverse("merchant:bc_company", args=[signed_in.pk]), {"environment": "production", "company_id": company.id}
        )

        assert response.status_code == 302
        connection = BusinessCentralConnection.objects.get(integration=signed_in)
        assert (connection.environment_name, connection.environment_type) == ("production", "Production")
        assert bc_world.requests_to("GET", "/environments/v1.2") and not bc_world.requests_to("GET", "/admin/")
        (principal,) = {entry.principal for entry in bc_world.request_log}
        assert principal not in bc_world.admin_principals

    def test_page_lists_companies_and_selecting_connects(self, merchant_client, signed_in):
        page = merchant_client.get(reverse("merchant:bc_company", args=[signed_in.pk]))
        company = sandbox_company(signed_in)
        assert company.name in page.content.decode()

        response = merchant_client.post(
            reverse("merchant:bc_company", args=[signed_in.pk]), {"environment": "sandbox", "company_id": company.id}
        )

        assert response.status_code == 302
        connection = BusinessCentralConnection.objects.get(integration=signed_in)
        assert (connection.environment_name, connection.environment_type) == ("sandbox", "Sandbox")
        assert (connection.company_id, connection.company_name) == (company.id, company.name)
        assert connection.is_connected
        connect = merchant_client.get(response["Location"]).content.decode()
        assert "Connected" in connect and company.name in connect

    def test_unknown_company_is_refused(self, signed_in):
        with pytest.raises(OnboardingError):
            bc_company_select(integration=signed_in, environment_name="sandbox", company_id="nope")

    def test_a_second_shop_shares_the_company_with_a_prefix_and_a_warning(
        self, merchant_client, signed_in, identity_server
    ):
        """Several shops into one company: allowed for the merchant's own integrations, each with a
        document-number prefix of its own; the company step says who else uses the company."""
        company = sandbox_company(signed_in)
        bc_company_select(integration=signed_in, environment_name="sandbox", company_id=company.id)
        second = integration_create(tenant=signed_in.tenant, name="Shop DE")
        assert microsoft_sign_in(merchant_client, identity_server.sim, second).status_code == 302

        page = merchant_client.get(reverse("merchant:bc_company", args=[second.pk]), {"environment": "sandbox"})
        body = page.content.decode()
        assert page.status_code == 200
        assert f"{company.name}: used by {signed_in.name}" in body
        response = merchant_client.post(
            reverse("merchant:bc_company", args=[second.pk]),
            {"environment": "sandbox", "company_id": company.id},
            follow=True,
        )

        assert response.status_code == 200
        assert BusinessCentralConnection.objects.get(integration=second).company_id == company.id
        second.refresh_from_db()
        signed_in.refresh_from_db()
        assert (signed_in.document_number_prefix, second.document_number_prefix) == ("", "S2-")
        assert f"also used by {signed_in.name}" in response.content.decode()
        assert "S2-" in response.content.decode()

    def test_another_merchants_company_is_refused_without_naming_their_integration(
        self, signed_in, identity_server, client
    ):
        company = sandbox_company(signed_in)
        bc_company_select(integration=signed_in, environment_name="sandbox", company_id=company.id)
        other_user = merchant_signup(email="x@other.example", password="Other-pass-123", organisation_name="Other")
        other = integration_create(tenant=other_user.tenants.get(), name="Theirs")
        client.force_login(other_user)
        microsoft_sign_in(client, identity_server.sim, other)

        with pytest.raises(CompanyAlreadyConnected) as caught:
            bc_company_select(integration=other, environment_name="sandbox", company_id=company.id)

        assert "Shop → BC" not in str(caught.value) and "another Junipeer account" in str(caught.value)

    def test_user_without_bc_licence_gets_a_clear_message(
        self, merchant_client, integration, identity_server, bc_world
    ):
        microsoft_sign_in(merchant_client, identity_server.sim, integration, username="clerk@contoso.example")

        response = merchant_client.get(reverse("merchant:bc_company", args=[integration.pk]))

        assert response.status_code == 400
        assert "Business Central licence" in response.content.decode()

    def test_expired_sign_in_while_listing_is_explained_and_needs_reauth(
        self, merchant_client, integration, identity_server, bc_world
    ):
        identity_server.sim.access_token_lifetime = 60  # msal refreshes tokens with < 5 minutes left
        microsoft_sign_in(merchant_client, identity_server.sim, integration)
        identity_server.sim.errors.refresh_token_expired = True

        response = merchant_client.get(reverse("merchant:bc_company", args=[integration.pk]))

        assert response.status_code == 400
        assert "AUTH-005" in response.content.decode()
        integration.refresh_from_db()
        assert integration.status == Integration.Status.NEEDS_REAUTH
