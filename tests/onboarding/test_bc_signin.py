"""Microsoft sign-in for Business Central through the real msal flow against the identity simulator."""

from __future__ import annotations

import json

from django.db import connection as connection_db
from django.urls import reverse

from integrations.models import BusinessCentralConnection
from integrations.services.bc_auth import SESSION_KEY
from simulators.identity import CONTOSO_TENANT_ID, DEFAULT_CLIENT_ID
from tests.onboarding.conftest import microsoft_sign_in, query


class TestSignIn:
    def test_success_stores_tenant_principal_and_encrypted_cache(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        response = microsoft_sign_in(merchant_client, identity_server.sim, integration)

        assert response.status_code == 302
        assert response["Location"] == reverse("merchant:bc_company", args=[integration.pk])
        connection = BusinessCentralConnection.objects.get(integration=integration)
        assert connection.entra_tenant_id == CONTOSO_TENANT_ID
        assert connection.user_principal == "admin@contoso.example"
        assert connection.home_account_id.endswith(f".{CONTOSO_TENANT_ID}")
        assert json.loads(connection.token_cache.reveal())["RefreshToken"]
        with connection_db.cursor() as cursor:
            cursor.execute(
                f"SELECT token_cache FROM {BusinessCentralConnection._meta.db_table} WHERE id = %s", [connection.pk]
            )
            assert "RefreshToken" not in cursor.fetchone()[0]  # ciphertext at rest
        assert SESSION_KEY not in merchant_client.session

    def test_authorize_url_carries_pkce_state_nonce_and_bc_scope(self, merchant_client, integration, entra_settings):
        start = merchant_client.post(
            reverse("merchant:bc_signin", args=[integration.pk]),
            {"organisation": "contoso.example", "login_hint": "anna@contoso.example"},
        )
        params = query(start["Location"])

        # The named organisation (a domain) is the authority, resolved to its tenant id by discovery.
        assert start["Location"].startswith(
            f"{entra_settings.ENTRA_AUTHORITY_HOST}/{CONTOSO_TENANT_ID}/oauth2/v2.0/authorize"
        )
        assert params["login_hint"] == "anna@contoso.example"
        assert params["client_id"] == DEFAULT_CLIENT_ID
        assert params["code_challenge_method"] == "S256" and params["code_challenge"]
        assert params["state"] and params["nonce"]
        assert entra_settings.BC_API_SCOPE in params["scope"].split()
        assert merchant_client.session[SESSION_KEY]["flow"]["state"] == params["state"]

    def test_the_form_is_prefilled_with_the_users_own_organisation(self, merchant_client, integration, entra_settings):
        page = merchant_client.get(reverse("merchant:bc_signin", args=[integration.pk]))

        assert page.status_code == 200
        form = page.context["form"]
        assert form["organisation"].value() == "shop.example" and form["login_hint"].value() == "owner@shop.example"

    def test_aliases_and_nonsense_are_not_an_organisation(self, merchant_client, integration, entra_settings):
        for value in ("organizations", "common", "not a domain"):
            page = merchant_client.post(reverse("merchant:bc_signin", args=[integration.pk]), {"organisation": value})
            assert page.status_code == 400 and "tenant id" in page.content.decode()

    def test_unknown_organisation_is_explained(self, merchant_client, integration, entra_settings):
        page = merchant_client.post(
            reverse("merchant:bc_signin", args=[integration.pk]), {"organisation": "nobody.example"}
        )

        assert page.status_code == 400 and "AUTH-012" in page.content.decode()

    def test_state_mismatch_restarts_the_flow(self, merchant_client, integration, identity_server, entra_settings):
        start = merchant_client.post(
            reverse("merchant:bc_signin", args=[integration.pk]), {"organisation": CONTOSO_TENANT_ID}
        )
        back = identity_server.sim.sign_in(start["Location"], username="admin@contoso.example")
        forged = query(back) | {"state": "someone-elses-state"}

        response = merchant_client.get(reverse("merchant:bc_callback"), forged)

        assert response.status_code == 302
        assert response["Location"] == reverse("merchant:bc_signin", args=[integration.pk])
        assert not BusinessCentralConnection.objects.filter(integration=integration).exclude(token_cache="").exists()
        restarted = merchant_client.get(response["Location"])
        assert restarted.status_code == 200 and restarted.context["form"]["organisation"].value()

    def test_lost_session_is_a_message_not_a_server_error(self, merchant_client, integration, entra_settings):
        response = merchant_client.get(reverse("merchant:bc_callback"), {"code": "x", "state": "y"}, follow=True)

        assert response.status_code == 200
        assert "sign-in session expired" in response.content.decode()

    def test_consent_blocked_shows_admin_message_with_the_organisations_admin_consent_link(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        identity_server.sim.errors.consent_blocked = True

        response = microsoft_sign_in(
            merchant_client, identity_server.sim, integration, username="bookkeeper@contoso.example"
        )

        body = response.content.decode().replace("&amp;", "&")
        assert response.status_code == 400
        assert "AUTH-013" in body and "AADSTS90094" in body
        link = f"{identity_server.url}/{CONTOSO_TENANT_ID}/v2.0/adminconsent?client_id={DEFAULT_CLIENT_ID}"
        assert link in body
        assert "Continue the sign-in" in body

    def test_after_admin_consent_the_same_sign_in_succeeds(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        identity_server.sim.errors.consent_blocked = True
        identity_server.sim.grant_admin_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID)

        response = microsoft_sign_in(
            merchant_client, identity_server.sim, integration, username="bookkeeper@contoso.example"
        )

        assert response.status_code == 302

    def test_mfa_required(self, merchant_client, integration, identity_server, entra_settings):
        identity_server.sim.errors.mfa_required = True

        response = microsoft_sign_in(merchant_client, identity_server.sim, integration)

        assert response.status_code == 400
        assert "AUTH-003" in response.content.decode()

    def test_access_denied_when_the_user_cancels(self, merchant_client, integration, identity_server, entra_settings):
        response = microsoft_sign_in(merchant_client, identity_server.sim, integration, action="cancel")

        body = response.content.decode()
        assert response.status_code == 400
        assert "AUTH-002" in body and "Sign in with Microsoft again" in body

    def test_personal_account_is_refused(self, merchant_client, integration, identity_server, entra_settings):
        response = microsoft_sign_in(
            merchant_client, identity_server.sim, integration, username="someone@outlook.example"
        )

        assert response.status_code == 400
        assert "AUTH-025" in response.content.decode()
        assert not BusinessCentralConnection.objects.filter(integration=integration).exists()

    def test_reconnect_to_another_organisation_is_refused(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        BusinessCentralConnection.objects.create(
            integration=integration,
            entra_tenant_id="00000000-0000-0000-0000-000000000001",
            environment_name="production",
            company_id="c-1",
            company_name="Other",
        )

        response = merchant_client.post(
            reverse("merchant:bc_signin", args=[integration.pk]), {"organisation": "contoso.example"}
        )

        assert response.status_code == 400
        assert "AUTH-007" in response.content.decode()
        assert BusinessCentralConnection.objects.get(integration=integration).entra_tenant_id.endswith("0001")

    def test_reconnect_link_starts_at_the_connected_organisation(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302

        start = merchant_client.get(reverse("merchant:reconnect", args=[integration.pk]))

        assert start.status_code == 302
        assert start["Location"].startswith(f"{entra_settings.ENTRA_AUTHORITY_HOST}/{CONTOSO_TENANT_ID}/oauth2/")
        assert query(start["Location"])["login_hint"] == "admin@contoso.example"

    def test_reconnect_without_a_connection_asks_for_the_organisation(self, merchant_client, integration):
        start = merchant_client.get(reverse("merchant:reconnect", args=[integration.pk]))

        assert start.status_code == 302 and start["Location"] == reverse("merchant:bc_signin", args=[integration.pk])


class TestBackSafeCallback:
    """Back after the Microsoft sign-in, or reloading the callback, returns to the wizard step."""

    @staticmethod
    def _signed_in(client, identity_sim, integration):
        from urllib.parse import urlsplit

        start = client.post(
            reverse("merchant:bc_signin", args=[integration.pk]),
            {"organisation": "contoso.example", "login_hint": "admin@contoso.example"},
        )
        back = identity_sim.sign_in(start["Location"], username="admin@contoso.example", action="accept")
        path = urlsplit(back).path
        assert client.get(path, query(back)).status_code == 302
        return path, query(back)

    def test_reloading_the_callback_continues_at_the_company_choice(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        path, params = self._signed_in(merchant_client, identity_server.sim, integration)

        again = merchant_client.get(path, params)

        assert again.status_code == 302
        assert again["Location"] == reverse("merchant:bc_company", args=[integration.pk])
        page = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk])).content.decode()
        assert "already signed in with Microsoft" in page

    def test_after_the_company_is_chosen_it_returns_to_the_wizard(
        self, merchant_client, integration, identity_server, entra_settings
    ):
        path, params = self._signed_in(merchant_client, identity_server.sim, integration)
        BusinessCentralConnection.objects.filter(integration=integration).update(company_id="c1", company_name="C")

        again = merchant_client.get(path, params)

        assert again["Location"] == reverse("merchant:wizard", args=[integration.pk])

    def test_without_a_sign_in_in_this_browser_it_is_a_message(self, merchant_client, integration, entra_settings):
        response = merchant_client.get(reverse("merchant:bc_callback"), {"code": "x", "state": str(integration.pk)})

        assert response["Location"] == reverse("merchant:home")
