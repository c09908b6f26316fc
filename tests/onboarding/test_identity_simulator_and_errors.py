"""The identity simulator's protocol details, and the AADSTS -> product error mapping."""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests

from integrations.connectors.entra import AUTH_ERRORS
from integrations.connectors.entra.exceptions import (
    AccessDenied,
    AppMisconfigured,
    ConsentRequired,
    EntraError,
    IdentityUnavailable,
    InteractionRequired,
    MfaRequired,
    ReauthRequired,
    WrongAccountType,
    error_from_response,
)
from simulators.identity import CONTOSO_TENANT_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.onboarding.conftest import query


@pytest.fixture
def http(identity_server):
    session = requests.Session()
    session.trust_env = False
    session.verify = str(identity_server.cert_file)
    return session


def authorize(identity_server, challenge: str) -> str:
    url = (
        f"{identity_server.url}/organizations/oauth2/v2.0/authorize?client_id={DEFAULT_CLIENT_ID}&response_type=code"
        f"&redirect_uri=https://app.example/cb&scope=openid&state=s1&nonce=n1&code_challenge={challenge}"
        "&code_challenge_method=S256"
    )
    return query(identity_server.sim.sign_in(url, username="admin@contoso.example"))["code"]


class TestSimulatorProtocol:
    def test_discovery_for_aliases_and_the_tenant(self, http, identity_server):
        for tenant in ("organizations", "common", CONTOSO_TENANT_ID):
            config = http.get(f"{identity_server.url}/{tenant}/v2.0/.well-known/openid-configuration").json()
            assert config["token_endpoint"] == f"{identity_server.url}/{tenant}/oauth2/v2.0/token"
        assert http.get(f"{identity_server.url}/organizations/discovery/v2.0/keys").json()["keys"][0]["kty"] == "RSA"
        unknown = http.get(f"{identity_server.url}/not-a-tenant/v2.0/.well-known/openid-configuration")
        assert unknown.status_code == 400 and unknown.json()["error_codes"] == [90002]

    def test_pkce_verifier_must_match(self, http, identity_server):
        verifier = "v" * 43
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        token_url = f"{identity_server.url}/organizations/oauth2/v2.0/token"
        form = {
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "redirect_uri": "https://app.example/cb",
        }

        wrong = http.post(token_url, data=form | {"code": authorize(identity_server, challenge), "code_verifier": "x"})
        right = http.post(
            token_url, data=form | {"code": authorize(identity_server, challenge), "code_verifier": verifier}
        )

        assert wrong.status_code == 400 and wrong.json()["error_codes"] == [501481]
        assert right.status_code == 200 and right.json()["refresh_token"]

    def test_client_credentials_and_wrong_secret(self, http, identity_server):
        token_url = f"{identity_server.url}/{CONTOSO_TENANT_ID}/oauth2/v2.0/token"
        form = {
            "client_id": DEFAULT_CLIENT_ID,
            "grant_type": "client_credentials",
            "scope": "https://api.businesscentral.dynamics.com/.default",
        }

        ok = http.post(token_url, data=form | {"client_secret": DEFAULT_CLIENT_SECRET})
        bad = http.post(token_url, data=form | {"client_secret": "nope"})

        principal = identity_server.sim.validate_access_token(ok.json()["access_token"])
        assert principal.username is None and principal.app_id == DEFAULT_CLIENT_ID
        assert bad.status_code == 401 and bad.json()["error_codes"] == [7000215]

    def test_admin_consent_page_grants_for_the_tenant(self, http, identity_server):
        identity_server.sim.errors.consent_blocked = True
        response = http.post(
            f"{identity_server.url}/organizations/adminconsent",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": "https://app.example/done",
                "state": "z",
                "_username": "admin@contoso.example",
                "_password": "Passw0rd!",
            },
            allow_redirects=False,
        )

        assert response.status_code == 302
        assert query(response.headers["Location"]) == {
            "admin_consent": "True",
            "tenant": CONTOSO_TENANT_ID,
            "state": "z",
        }
        assert identity_server.sim.has_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID)

    def test_non_admin_cannot_grant_admin_consent(self, http, identity_server):
        response = http.post(
            f"{identity_server.url}/organizations/adminconsent",
            data={"client_id": DEFAULT_CLIENT_ID, "_username": "clerk@contoso.example", "_password": "Passw0rd!"},
        )

        assert response.status_code == 403


class TestErrorMapping:
    @pytest.mark.parametrize(
        ("answer", "expected", "code"),
        [
            ({"error": "invalid_grant", "error_codes": [65001]}, ConsentRequired, "AUTH-001"),
            (
                {"error": "consent_required", "error_description": "AADSTS65001: no consent"},
                ConsentRequired,
                "AUTH-001",
            ),
            ({"error": "access_denied", "error_description": "AADSTS65004: declined"}, AccessDenied, "AUTH-002"),
            ({"error": "invalid_grant", "error_codes": [50076]}, MfaRequired, "AUTH-003"),
            ({"error": "interaction_required", "error_codes": [50079]}, MfaRequired, "AUTH-003"),
            ({"error": "access_denied", "error_codes": [53003]}, MfaRequired, "AUTH-003"),
            ({"error": "invalid_request", "error_codes": [50020]}, EntraError, "AUTH-025"),
            ({"error": "invalid_request", "error_codes": [500200]}, WrongAccountType, "AUTH-004"),
            ({"error": "invalid_request", "error_codes": [9002331]}, AppMisconfigured, "AUTH-009"),
            ({"error": "invalid_grant", "error_codes": [700082]}, ReauthRequired, "AUTH-005"),
            ({"error": "invalid_grant", "error_codes": [70043]}, ReauthRequired, "AUTH-005"),
            ({"error": "interaction_required", "error_description": "AADSTS12345: x"}, InteractionRequired, "AUTH-006"),
            ({"error": "invalid_client", "error_codes": [7000215]}, AppMisconfigured, "AUTH-009"),
            ({"error": "server_error", "error_description": "AADSTS90033: busy"}, IdentityUnavailable, "AUTH-010"),
            ({"error": "temporarily_unavailable"}, IdentityUnavailable, "AUTH-010"),
            # The description is never read: only error_codes, or error_uri on the authorize redirect.
            ({"error": "invalid_request", "error_description": "AADSTS65001: no consent"}, EntraError, "AUTH-099"),
            (
                {"error": "access_denied", "error_uri": "https://login.microsoftonline.com/error?code=90095"},
                EntraError,
                "AUTH-014",
            ),
        ],
    )
    def test_aadsts_codes_map_to_product_codes(self, answer, expected, code):
        error = error_from_response(answer)

        assert type(error) is expected and error.code == code

    def test_unknown_invalid_grant_while_refreshing_needs_reauth(self):
        error = error_from_response({"error": "invalid_grant", "error_codes": [99999]}, refreshing=True)

        assert isinstance(error, ReauthRequired) and error.needs_reauth and error.aadsts == 99999

    def test_catalogue_entries_are_complete_and_unique(self):
        codes = [entry.code for entry in AUTH_ERRORS]
        assert len(codes) == len(set(codes))
        assert all(entry.title and entry.cause and entry.remedy for entry in AUTH_ERRORS)

    @pytest.mark.parametrize(
        "aadsts",
        [
            90093,
            90094,
            90095,
            900941,
            500011,
            650052,
            65005,
            650057,
            50105,
            50057,
            50053,
            50055,
            53000,
            53001,
            530032,
            530035,
            50078,
            90099,
            50194,
            54005,
            9002331,
            50020,
            65001,
        ],
    )
    def test_every_code_of_the_issue_has_its_own_answer(self, aadsts):
        error = error_from_response({"error": "invalid_request", "error_codes": [aadsts]})

        assert error.code not in ("AUTH-099", "AUTH-004"), aadsts
        assert error.entry.cause and error.entry.remedy
