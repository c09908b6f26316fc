"""Each kind of user who connects a shop to Business Central, end to end: the product's wizard,
msal over TLS, the identity simulator (tenants, guests, partners, consent policies) and Business
Central behind the token/tenant check. None of these ends as AUTH-099 or SYS-001."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from integrations.models import BusinessCentralConnection
from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select, bc_environments_list
from simulators.identity import (
    ADATUM_TENANT_ID,
    CONSENT_VERIFIED_ONLY,
    CONSENT_WORKFLOW,
    CONTOSO_TENANT_ID,
    DEFAULT_CLIENT_ID,
    FABRIKAM_TENANT_ID,
    LEDGER_TENANT_ID,
    NORTHWIND_TENANT_ID,
    PARTNER_TENANT_ID,
)
from tests.onboarding.conftest import microsoft_sign_in, query

pytestmark = pytest.mark.usefixtures("bc_front")


def connect_first_sandbox_company(integration) -> BusinessCentralConnection:
    company = bc_companies_list(integration=integration, environment_name="sandbox")[0]
    return bc_company_select(integration=integration, environment_name="sandbox", company_id=company.id)


def body(response) -> str:
    return response.content.decode().replace("&amp;", "&")


def assert_no_generic_code(response) -> None:
    assert "AUTH-099" not in body(response) and "SYS-001" not in body(response)


class TestUsersWhoConnect:
    def test_licensed_non_admin_consents_for_themselves(self, merchant_client, integration, identity_server):
        response = microsoft_sign_in(
            merchant_client, identity_server.sim, integration, username="bookkeeper@contoso.example"
        )

        assert response.status_code == 302, body(response)
        connection = connect_first_sandbox_company(integration)
        assert connection.entra_tenant_id == CONTOSO_TENANT_ID and connection.is_connected
        sim = identity_server.sim
        bookkeeper = sim.user("bookkeeper@contoso.example")
        assert sim.has_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID, oid=bookkeeper.oid)
        assert not sim.has_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID)  # per user only

    def test_external_accountant_connects_to_the_merchants_bc_as_a_guest(
        self, merchant_client, integration, identity_server, bc_front
    ):
        sim = identity_server.sim

        response = microsoft_sign_in(
            merchant_client, sim, integration, username="accountant@ledger.example", organisation="contoso.example"
        )

        assert response.status_code == 302, body(response)
        connection = connect_first_sandbox_company(integration)
        assert connection.entra_tenant_id == CONTOSO_TENANT_ID
        assert connection.user_principal == "accountant@ledger.example"
        assert connection.home_account_id.endswith(f".{LEDGER_TENANT_ID}")  # msal's account: the home tenant
        # The accountant's own tenant is never called: not at Microsoft, not at Business Central.
        assert {r["tenant"] for r in sim.authorize_requests} == {CONTOSO_TENANT_ID}
        assert all(e.principal == "accountant@ledger.example" for e in bc_front[CONTOSO_TENANT_ID].request_log)
        assert not bc_front.refusals

    def test_partner_with_gdap_connects_to_the_customers_bc(self, merchant_client, integration, identity_server):
        sim = identity_server.sim
        sim.grant_admin_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID)  # the customer approved

        response = microsoft_sign_in(
            merchant_client, sim, integration, username="consultant@csp-partner.example", organisation=CONTOSO_TENANT_ID
        )

        assert response.status_code == 302, body(response)
        connection = connect_first_sandbox_company(integration)
        assert connection.entra_tenant_id == CONTOSO_TENANT_ID
        assert PARTNER_TENANT_ID not in {r["tenant"] for r in sim.authorize_requests}

    def test_partner_in_a_customer_that_has_not_approved_the_app(self, merchant_client, integration, identity_server):
        response = microsoft_sign_in(
            merchant_client,
            identity_server.sim,
            integration,
            username="consultant@csp-partner.example",
            organisation="fabrikam.example",
        )

        assert response.status_code == 400
        assert "AUTH-024" in body(response) and "AADSTS90099" in body(response)
        assert f"/{FABRIKAM_TENANT_ID}/v2.0/adminconsent?client_id={DEFAULT_CLIENT_ID}" in body(response)
        assert_no_generic_code(response)

    def test_second_organisation_with_bc(self, merchant_client, integration, identity_server, bc_front):
        response = microsoft_sign_in(
            merchant_client,
            identity_server.sim,
            integration,
            username="admin@fabrikam.example",
            organisation="fabrikam.example",
        )

        assert response.status_code == 302, body(response)
        assert [e.name for e in bc_environments_list(integration=integration)] == ["sandbox", "production"]
        connection = connect_first_sandbox_company(integration)
        assert connection.entra_tenant_id == FABRIKAM_TENANT_ID
        assert bc_front[FABRIKAM_TENANT_ID].request_log and not bc_front[CONTOSO_TENANT_ID].request_log

    def test_organisation_without_business_central(self, merchant_client, integration, identity_server):
        response = microsoft_sign_in(
            merchant_client,
            identity_server.sim,
            integration,
            username="admin@northwind.example",
            organisation=NORTHWIND_TENANT_ID,
        )

        assert response.status_code == 400
        assert "AUTH-016" in body(response) and "AADSTS500011" in body(response)
        assert_no_generic_code(response)

    def test_account_that_is_not_in_the_named_organisation(self, merchant_client, integration, identity_server):
        response = microsoft_sign_in(
            merchant_client,
            identity_server.sim,
            integration,
            username="bookkeeper@contoso.example",
            organisation="fabrikam.example",
        )

        assert response.status_code == 400
        assert "AUTH-025" in body(response) and "guest" in body(response)
        assert_no_generic_code(response)

    def test_user_without_bc_licence_is_sent_to_bc_user_setup_not_to_reconnect(
        self, merchant_client, integration, identity_server, bc_front
    ):
        microsoft_sign_in(merchant_client, identity_server.sim, integration, username="clerk@contoso.example")

        response = merchant_client.get(reverse("merchant:bc_company", args=[integration.pk]))

        assert response.status_code == 400
        assert "BC-011" in body(response) and "Users" in body(response)
        assert "BC-002" not in body(response)
        assert [r["reason"] for r in bc_front.refusals] == ["user not entitled"]
        assert_no_generic_code(response)


class TestConsent:
    def test_blocked_user_consent_then_admin_approves_and_the_user_continues(
        self, client, merchant_client, integration, identity_server
    ):
        sim = identity_server.sim
        response = microsoft_sign_in(
            merchant_client, sim, integration, username="staff@adatum.example", organisation="adatum.example"
        )

        assert response.status_code == 400
        assert "AUTH-013" in body(response) and "AADSTS90094" in body(response)
        link = response.context["error"].admin_consent_url
        assert link.startswith(f"{identity_server.url}/{ADATUM_TENANT_ID}/v2.0/adminconsent?")
        assert query(link)["state"] == str(integration.pk)

        # The administrator opens the link (Entra's admin consent page) and approves.
        approved = sim_admin_consent(identity_server, link, username="admin@adatum.example")
        assert urlsplit(approved).path == reverse("merchant:bc_admin_consent")
        landing = merchant_client.get(urlsplit(approved).path, query(approved))
        assert landing.status_code == 200 and "approved" in body(landing)

        # The wizard remembers where the user was and continues there.
        wizard = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk]))
        assert "AUTH-013" in body(wizard) and "Continue the sign-in" in body(wizard)
        response = microsoft_sign_in(
            merchant_client, sim, integration, username="staff@adatum.example", organisation=ADATUM_TENANT_ID
        )
        assert response.status_code == 302 and response["Location"] == reverse(
            "merchant:bc_company", args=[integration.pk]
        )
        assert connect_first_sandbox_company(integration).entra_tenant_id == ADATUM_TENANT_ID

    def test_admin_consent_workflow_request_then_approval(self, merchant_client, integration, identity_server):
        sim = identity_server.sim
        sim.tenants[ADATUM_TENANT_ID].consent_policy = CONSENT_WORKFLOW

        response = microsoft_sign_in(
            merchant_client, sim, integration, username="staff@adatum.example", organisation="adatum.example"
        )

        assert response.status_code == 400
        assert "AUTH-014" in body(response) and "AADSTS90095" in body(response)
        assert [r["username"] for r in sim.consent_requests] == ["staff@adatum.example"]
        sim.consent_request_approve(tenant_id=ADATUM_TENANT_ID, client_id=DEFAULT_CLIENT_ID)
        again = microsoft_sign_in(
            merchant_client, sim, integration, username="staff@adatum.example", organisation=ADATUM_TENANT_ID
        )
        assert again.status_code == 302

    def test_unverified_publisher_policy(self, merchant_client, integration, identity_server):
        identity_server.sim.tenants[ADATUM_TENANT_ID].consent_policy = CONSENT_VERIFIED_ONLY

        response = microsoft_sign_in(
            merchant_client,
            identity_server.sim,
            integration,
            username="staff@adatum.example",
            organisation="adatum.example",
        )

        assert "AUTH-015" in body(response) and "adminconsent" in body(response)

    def test_consent_is_per_user_until_an_admin_consents_for_the_organisation(
        self, merchant_client, integration, identity_server
    ):
        sim = identity_server.sim

        def consents_given() -> list[str]:
            return [e["scope"] for e in sim.consent_events]

        microsoft_sign_in(merchant_client, sim, integration, username="bookkeeper@contoso.example")
        microsoft_sign_in(merchant_client, sim, integration, username="bookkeeper@contoso.example")
        assert consents_given() == ["user"]  # the same user is not asked twice
        microsoft_sign_in(merchant_client, sim, integration, username="clerk@contoso.example")
        assert consents_given() == ["user", "user"]  # the next user is asked again
        microsoft_sign_in(
            merchant_client, sim, integration, username="admin@contoso.example", consent_for_organisation=True
        )
        assert consents_given() == ["user", "user", "tenant"]
        microsoft_sign_in(merchant_client, sim, integration, username="accountant@ledger.example")
        assert consents_given() == ["user", "user", "tenant"]  # nobody is asked any more


class TestTenantChecks:
    def test_token_for_another_tenant_than_named_is_refused(self, merchant_client, integration, identity_server):
        identity_server.sim.errors.tokens_for_home_tenant = True  # an authority that ignores the tenant

        response = microsoft_sign_in(
            merchant_client, identity_server.sim, integration, username="accountant@ledger.example"
        )

        assert response.status_code == 400 and "AUTH-011" in body(response)
        assert not BusinessCentralConnection.objects.filter(integration=integration).exclude(token_cache="").exists()

    def test_bc_refuses_a_token_whose_tenant_is_not_the_urls(
        self, merchant_client, integration, identity_server, bc_front
    ):
        microsoft_sign_in(merchant_client, identity_server.sim, integration)
        BusinessCentralConnection.objects.filter(integration=integration).update(entra_tenant_id=FABRIKAM_TENANT_ID)

        response = merchant_client.get(reverse("merchant:bc_company", args=[integration.pk]) + "?environment=sandbox")

        assert response.status_code == 400 and "BC-002" in body(response)
        assert "token for another tenant" in [r["reason"] for r in bc_front.refusals]
        assert not bc_front[FABRIKAM_TENANT_ID].request_log


def sim_admin_consent(identity_server, link: str, *, username: str) -> str:
    """An administrator signs in on the admin consent page and approves; returns the redirect."""
    import requests

    session = requests.Session()
    session.trust_env = False
    session.verify = str(identity_server.cert_file)
    parts = urlsplit(link)
    answer = session.post(
        f"{parts.scheme}://{parts.netloc}{parts.path}",
        data={**query(link), "_username": username, "_password": "Passw0rd!"},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]
