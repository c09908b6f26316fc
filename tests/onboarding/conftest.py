"""A merchant, and the identity + Business Central simulators wired the way production is."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select
from integrations.services.onboarding.signup import integration_create, merchant_signup
from simulators.businesscentral.tenancy import bc_tenants_build
from simulators.identity import ADATUM_TENANT_ID, CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID
from simulators.server import serve

PASSWORD = "correct-Horse-battery-9"


@pytest.fixture
def merchant(db):
    return merchant_signup(email="owner@shop.example", password=PASSWORD, organisation_name="Shop AB")


@pytest.fixture
def integration(merchant):
    return integration_create(tenant=merchant.tenants.get(), name="Shop → BC")


@pytest.fixture
def merchant_client(client, merchant):
    client.force_login(merchant)
    return client


@pytest.fixture
def bc_front(entra_settings, identity_server, settings):
    """BC online for the tenants with Business Central (Contoso, Fabrikam, Adatum), behind the
    token/tenant check; BC_API_ROOT points at it."""
    front = bc_tenants_build(
        identity=identity_server.sim, tenant_ids=(CONTOSO_TENANT_ID, FABRIKAM_TENANT_ID, ADATUM_TENANT_ID)
    )
    running = serve(front, host="127.0.0.1")
    settings.BC_API_ROOT = running.url
    try:
        yield front
    finally:
        running.stop()


@pytest.fixture
def bc_world(bc_front):
    """Contoso's Business Central (the tenant most tests connect to)."""
    return bc_front[CONTOSO_TENANT_ID]


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def microsoft_sign_in(
    client,
    identity_sim,
    integration,
    *,
    username="admin@contoso.example",
    action="accept",
    organisation="contoso.example",
    **at_microsoft,
):
    """Name the organisation in the wizard, act at the simulated Microsoft pages, return the callback
    response."""
    start = client.post(
        reverse("merchant:bc_signin", args=[integration.pk]), {"organisation": organisation, "login_hint": username}
    )
    assert start.status_code == 302, start.content
    back = identity_sim.sign_in(start["Location"], username=username, action=action, **at_microsoft)
    path = urlsplit(back).path
    assert path == reverse("merchant:bc_callback")
    return client.get(path, query(back))


@pytest.fixture
def stripe_server(settings):
    from simulators.stripe import StripeSimulator

    sim = StripeSimulator()
    running = serve(sim, host="127.0.0.1")
    settings.STRIPE_API_BASE = running.url
    try:
        yield sim
    finally:
        running.stop()


@pytest.fixture
def bc_connected(merchant_client, integration, identity_server, bc_world):
    """Signed in and the first sandbox company chosen."""

    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    company = bc_companies_list(integration=integration, environment_name="sandbox")[0]
    return bc_company_select(integration=integration, environment_name="sandbox", company_id=company.id)
