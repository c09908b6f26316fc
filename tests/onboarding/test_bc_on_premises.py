"""The wizard's connect step offers Business Central on-premises: a server instance with a web service
access key, or with Microsoft sign-in at the named organisation; then the company (no environments)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import BusinessCentralConnection
from simulators.server import serve
from tests.onboarding.conftest import microsoft_sign_in

USER = "WEBSHOP"
KEY = "Lr5Tx9Vb2Wc7Yd4Ae6Gh0Jp8sUoReKtNiMZk3n8AQm1="


@pytest.fixture
def server(bc_world, settings):
    """Contoso's Business Central data served as an on-premises instance "BC" on its own loopback port."""
    bc_world.add_on_premises_instance("BC", environment="sandbox")
    bc_world.add_access_key(USER, KEY)
    running = serve(bc_world, host="127.0.0.1")
    settings.OUTBOUND_HOST_ALLOWLIST = ["127.0.0.1"]
    try:
        yield running.url + "/BC"
    finally:
        running.stop()


def _post(client, integration, **fields):
    return client.post(reverse("merchant:bc_on_premises", args=[integration.pk]), fields)


def test_connect_step_offers_on_premises(merchant_client, integration):
    page = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk])).content.decode()

    assert reverse("merchant:bc_on_premises", args=[integration.pk]) in page
    assert merchant_client.get(reverse("merchant:bc_on_premises", args=[integration.pk])).status_code == 200


def test_access_key_then_company_connects_without_environments(merchant_client, integration, server, bc_world):
    response = _post(
        merchant_client,
        integration,
        server_url=server + "/api/v2.0",
        environment_type="Production",
        auth_method="access_key",
        username=USER,
        access_key=KEY,
    )
    assert response.status_code == 302 and response["Location"] == reverse("merchant:bc_company", args=[integration.pk])

    page = merchant_client.get(response["Location"])
    assert page.status_code == 200 and "CRONUS Sverige AB" in page.content.decode()
    company = bc_world.company("sandbox", "CRONUS Sverige AB")
    chosen = merchant_client.post(
        reverse("merchant:bc_company", args=[integration.pk]), {"environment": "default", "company_id": company.id}
    )

    assert chosen.status_code == 302
    connection = BusinessCentralConnection.objects.get(integration=integration)
    assert connection.is_connected and connection.uses_access_key
    assert (connection.environment_name, connection.environment_type) == ("default", "Production")
    connect_page = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk])).content.decode()
    assert "CRONUS Sverige AB" in connect_page and server in connect_page and KEY not in connect_page
    detail = merchant_client.get(reverse("merchant:integration_detail", args=[integration.pk])).content.decode()
    assert server in detail and USER in detail and KEY not in detail
    assert not bc_world.requests_to("GET", "/environments") and not bc_world.requests_to("GET", "/admin")
    assert {e.principal for e in bc_world.request_log} == {USER}


def test_a_refused_key_is_explained_and_never_shown_again(merchant_client, integration, server):
    response = _post(
        merchant_client,
        integration,
        server_url=server,
        environment_type="Production",
        auth_method="access_key",
        username=USER,
        access_key="WRONG" + KEY[5:],
    )

    body = response.content.decode()
    assert response.status_code == 400 and "BC-751" in body
    assert "WRONG" not in body
    assert not BusinessCentralConnection.objects.filter(integration=integration).exists()


def test_access_key_fields_are_required_for_the_key_method(merchant_client, integration, server):
    response = _post(
        merchant_client, integration, server_url=server, environment_type="Production", auth_method="access_key"
    )

    assert response.status_code == 400
    assert not BusinessCentralConnection.objects.filter(integration=integration).exists()


def test_microsoft_sign_in_on_premises_uses_the_token_on_the_server(
    merchant_client, integration, server, identity_server, bc_world
):
    response = _post(merchant_client, integration, server_url=server, environment_type="Sandbox", auth_method="entra")
    assert response["Location"] == reverse("merchant:bc_signin", args=[integration.pk])

    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    page = merchant_client.get(reverse("merchant:bc_company", args=[integration.pk]))

    assert page.status_code == 200 and "CRONUS Sverige AB" in page.content.decode()
    connection = BusinessCentralConnection.objects.get(integration=integration)
    assert connection.is_on_premises and connection.has_credentials and not connection.web_service_access_key
    assert bc_world.requests_to("GET", "/BC/api/v2.0/companies") and not bc_world.requests_to("GET", "/environments")


def test_back_to_online_forgets_the_server_and_key(merchant_client, integration, server):
    _post(
        merchant_client,
        integration,
        server_url=server,
        environment_type="Production",
        auth_method="access_key",
        username=USER,
        access_key=KEY,
    )

    response = merchant_client.post(reverse("merchant:bc_online", args=[integration.pk]))

    assert response.status_code == 302
    connection = BusinessCentralConnection.objects.get(integration=integration)
    assert not connection.is_on_premises and not connection.web_service_access_key and not connection.on_premises_root


def test_another_merchant_cannot_open_the_page(client, integration, db):
    from integrations.services.onboarding.signup import merchant_signup

    other = merchant_signup(email="other@shop.example", password="correct-Horse-battery-9", organisation_name="Other")
    client.force_login(other)

    assert client.get(reverse("merchant:bc_on_premises", args=[integration.pk])).status_code == 404


def test_switching_to_an_access_key_forgets_the_microsoft_sign_in(
    merchant_client, integration, server, identity_server, bc_world
):
    _post(merchant_client, integration, server_url=server, environment_type="Sandbox", auth_method="entra")
    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    assert BusinessCentralConnection.objects.get(integration=integration).token_cache

    _post(
        merchant_client,
        integration,
        server_url=server,
        environment_type="Sandbox",
        auth_method="access_key",
        username=USER,
        access_key=KEY,
    )

    connection = BusinessCentralConnection.objects.get(integration=integration)
    assert connection.uses_access_key and connection.web_service_access_key and not connection.token_cache
