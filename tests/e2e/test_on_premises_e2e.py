"""An on-premises Business Central, end to end: the merchant connects a server instance with a user
name and web service access key, picks the company (environment "default", no admin center), the
health check passes, and a signed Shopify webhook becomes a posted invoice on that server.

Nothing is replaced: the product builds its own clients from the stored connection (the key
decrypted only for the request) and talks to both simulators over real HTTP on loopback.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.db import connection as db
from django.urls import reverse

from integrations.crypto import Secret
from integrations.models import BusinessCentralConnection
from integrations.services.bc_on_premises import bc_on_premises_connect
from integrations.services.onboarding.bc_company import bc_company_select, bc_environments_list
from integrations.services.onboarding.errors import OnboardingError
from syncs.models import EntityType, PreflightRun, RecordLink, SyncRun
from syncs.preflight.services import preflight_run
from tests.factories import SHOP_WEBHOOK_SECRET, oss_and_shipping_mappings_create
from tests.fixtures.shopify import ACCESS_TOKEN, SHOP_DOMAIN
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture

USER = "WEBSHOP"
KEY = "Qm1Lr5Tx9Vb2Wc7Yd4Ae6Gh0Jp8sUoReKtNiMZk3n8A="
COMPANY = "CRONUS Sverige AB"


@pytest.fixture
def sim_bc(bc_sim):
    """The BC simulator the shared integration fixture reads company ids from: the one served over HTTP."""
    return bc_sim


@pytest.fixture
def on_premises(bc_server, bc_integration, shopify_server, settings):  # noqa: F811
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.OUTBOUND_HOST_ALLOWLIST = ["127.0.0.1"]  # the merchant's own network, allowed by support
    settings.SHOPIFY_API_ROOT = shopify_server.url
    bc_server.sim.add_on_premises_instance("BC", environment="sandbox")
    bc_server.sim.add_access_key(USER, KEY)
    BusinessCentralConnection.objects.filter(integration=bc_integration).delete()
    shop = bc_integration.shop_connection
    shop.shop_domain = SHOP_DOMAIN
    shop.access_token = Secret(ACCESS_TOKEN)
    shop.save()
    oss_and_shipping_mappings_create(integration=bc_integration)
    return bc_server


def _connect(integration, bc_server, **overrides):
    values = {
        # What the Web Services page shows as the OData URL: cut back to the server instance.
        "server_url": f"{bc_server.base_url}/BC/ODataV4/Company('CRONUS%20Sverige%20AB')",
        "auth_method": BusinessCentralConnection.AuthMethod.ACCESS_KEY,
        "environment_type": BusinessCentralConnection.EnvironmentType.SANDBOX,
        "username": USER,
        "access_key": KEY,
    }
    return bc_on_premises_connect(integration=integration, **(values | overrides))


def _deliver(client, shopify_sim, integration, name, capture):
    order = next(o for o in shopify_sim.store.orders.values() if o["name"] == name)
    payload = shopify_sim.webhooks.order_payload(order["id"])
    body, headers = shopify_sim.webhooks.build("orders/create", payload, SHOP_WEBHOOK_SECRET)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    with capture(execute=True):
        return client.post(
            reverse("hooks:shopify", args=[integration.pk]), data=body, content_type="application/json", **extra
        ), order


def test_on_premises_integration_syncs_an_order(
    on_premises,
    bc_integration,  # noqa: F811
    shopify_server,
    client,
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    sim = on_premises.sim
    sim.reset_counters()

    connection = _connect(bc_integration, on_premises)
    (environment,) = bc_environments_list(integration=bc_integration)
    bc_company_select(
        integration=bc_integration, environment_name=environment.name, company_id=sim.company_id("sandbox", COMPANY)
    )

    connection.refresh_from_db()
    assert connection.is_on_premises and connection.is_connected
    assert connection.on_premises_root == f"{on_premises.base_url}/BC"
    assert (connection.environment_name, connection.company_name) == ("default", COMPANY)
    assert connection.environment_type == BusinessCentralConnection.EnvironmentType.SANDBOX
    with db.cursor() as cursor:  # encrypted at rest
        cursor.execute(
            "SELECT web_service_access_key FROM integrations_businesscentralconnection WHERE id = %s", [connection.pk]
        )
        (stored,) = cursor.fetchone()
    assert stored and KEY not in stored

    run = preflight_run(integration_id=bc_integration.pk, trigger=PreflightRun.Trigger.MANUAL)
    results = {r.check_name: r.status for r in run.results.all()}
    assert results["connection.token"] == "pass"
    assert results["connection.environment"] == "pass"
    assert results["connection.company"] == "pass"
    assert results["connection.permissions"] == "pass"

    response, order = _deliver(client, shopify_server.sim, bc_integration, "#1001", django_capture_on_commit_callbacks)

    assert response.status_code == 200
    link = RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference="#1001")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = [d for d in sim.company().rows("salesInvoices") if d.get("externalDocumentNumber") == "#1001"]
    assert invoice["status"] == "Open"  # posted
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == Decimal(order["totalPriceSet"]["shopMoney"]["amount"])
    assert link.target_id == invoice["id"]
    # Every BC request went to the on-premises shape with the access key: no online shape, no admin center.
    paths = [entry.path for entry in sim.request_log]
    assert paths and all(p.startswith(("/BC/api/v2.0/", "/BC/ODataV4/")) for p in paths), paths
    assert {entry.principal for entry in sim.request_log} == {USER}
    assert KEY not in caplog.text


def test_a_wrong_key_or_address_is_refused_with_its_code(on_premises, bc_integration, settings):  # noqa: F811
    with pytest.raises(OnboardingError, match="BC-751"):
        _connect(bc_integration, on_premises, access_key="WRONG" + KEY[5:])
    with pytest.raises(OnboardingError, match="BC-752"):
        _connect(bc_integration, on_premises, server_url=f"{on_premises.base_url}/NOINSTANCE")
    settings.OUTBOUND_HOST_ALLOWLIST = []
    with pytest.raises(OnboardingError, match="BC-753"):
        _connect(bc_integration, on_premises)
    assert (
        not BusinessCentralConnection.objects.filter(integration=bc_integration)
        .exclude(web_service_access_key="")
        .exists()
    )


def test_a_key_replaced_in_bc_fails_the_health_check_with_its_code(on_premises, bc_integration, caplog):  # noqa: F811
    _connect(bc_integration, on_premises)
    sim = on_premises.sim
    bc_company_select(
        integration=bc_integration, environment_name="default", company_id=sim.company_id("sandbox", COMPANY)
    )
    sim.access_keys.clear()  # the user's key was regenerated in Business Central
    sim.add_access_key(USER, "NEW" + KEY[3:])
    caplog.set_level(logging.INFO, logger="integrations.connectors.businesscentral")
    caplog.clear()

    run = preflight_run(integration_id=bc_integration.pk, trigger=PreflightRun.Trigger.MANUAL)

    token = run.results.get(check_name="connection.token")
    assert (token.status, token.error_code) == ("fail", "BC-751")
    # Nothing else is read with refused credentials: one request, answered 401.
    sent = [r.getMessage() for r in caplog.records if r.name == "integrations.connectors.businesscentral"]
    assert len(sent) == 1 and "GET /BC/api/v2.0/companies -> 401" in sent[0], sent


def test_an_order_after_the_key_was_replaced_fails_loudly_with_bc_751(
    on_premises,
    bc_integration,  # noqa: F811
    shopify_server,
    client,
    django_capture_on_commit_callbacks,
):
    sim = on_premises.sim
    _connect(bc_integration, on_premises)
    bc_company_select(
        integration=bc_integration, environment_name="default", company_id=sim.company_id("sandbox", COMPANY)
    )
    sim.access_keys.clear()
    sim.add_access_key(USER, "NEW" + KEY[3:])

    response, _order = _deliver(client, shopify_server.sim, bc_integration, "#1001", django_capture_on_commit_callbacks)

    assert response.status_code == 200  # the webhook is kept; the sync fails and says why
    run = SyncRun.objects.filter(integration=bc_integration).latest("pk")
    codes = {run.error_code} | set(
        RecordLink.objects.filter(entity_type=EntityType.ORDER).values_list("last_error_code", flat=True)
    )
    assert "BC-751" in codes, codes
    assert not [d for d in sim.company().rows("salesInvoices") if d.get("externalDocumentNumber") == "#1001"]
