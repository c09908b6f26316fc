"""The wizard's test with a real order: created in a Sandbox exactly once, refused in Production."""

from __future__ import annotations

from integrations.models import BusinessCentralConnection
from syncs.models import RecordLink, SyncRun
from syncs.services.order_test import TEST_WRITE_BUSY, TEST_WRITE_PRODUCTION, order_test_run
from tests.fixtures.clients import StaticClients

from . import builders as b


def _order(fake_shop, name="#4101"):
    line = b.line(sku="1000", price="149.00", tax_amount="29.80")
    fake_shop.orders = {name: b.order(name=name, lines=[line], total="198.00")}


def test_a_sandbox_test_creates_and_posts_the_document_once(bc_integration, bc_client, fake_shop, sim_bc):
    _order(fake_shop)
    clients = StaticClients(bc_client=bc_client, shop_client=fake_shop)
    before = len(sim_bc.company().rows("salesInvoices"))

    first = order_test_run(integration=bc_integration, order_name="#4101", clients=clients)
    again = order_test_run(integration=bc_integration, order_name="#4101", clients=clients)

    assert first.written and first.created and not first.errors
    assert first.document.number and first.document.bc_total == "198.00" and first.document.shop_total == "198.00"
    assert first.document.status == "Open"  # posted: the integration books posted invoices
    assert again.written and not again.created and again.document.number == first.document.number
    assert len(sim_bc.company().rows("salesInvoices")) == before + 1
    link = RecordLink.objects.get(integration=bc_integration, source_reference="#4101")
    assert link.state == RecordLink.State.SYNCED
    runs = SyncRun.objects.filter(integration=bc_integration, trigger=SyncRun.Trigger.TEST_ORDER)
    assert [run.status for run in runs] == [SyncRun.Status.SUCCEEDED] * 2


def test_the_document_links_to_bc_online(bc_integration, bc_client, fake_shop):
    _order(fake_shop)
    connection = bc_integration.bc_connection
    connection.api_root_override = ""
    connection.save()

    outcome = order_test_run(
        integration=bc_integration,
        order_name="#4101",
        clients=StaticClients(bc_client=bc_client, shop_client=fake_shop),
    )

    url = outcome.document.url
    assert url.startswith(f"https://businesscentral.dynamics.com/{connection.entra_tenant_id}/sandbox/?")
    assert "page=132" in url and "CRONUS%20Sverige%20AB" in url and outcome.document.number in url


def test_production_is_refused_with_a_code_and_writes_nothing(bc_integration, bc_client, fake_shop, sim_bc):
    _order(fake_shop)
    BusinessCentralConnection.objects.filter(integration=bc_integration).update(
        environment_type=BusinessCentralConnection.EnvironmentType.PRODUCTION
    )
    bc_integration.refresh_from_db()
    before = len(sim_bc.company().rows("salesInvoices"))

    outcome = order_test_run(
        integration=bc_integration,
        order_name="#4101",
        clients=StaticClients(bc_client=bc_client, shop_client=fake_shop),
    )

    assert outcome.preview.ok and not outcome.written
    assert [error["code"] for error in outcome.errors] == [TEST_WRITE_PRODUCTION]
    assert len(sim_bc.company().rows("salesInvoices")) == before
    assert not RecordLink.objects.exists()


def test_a_running_orders_flow_makes_the_test_wait(bc_integration, bc_client, fake_shop):
    from syncs.services.locks import flow_lock

    _order(fake_shop)
    with flow_lock(integration_id=bc_integration.pk, flow="orders", holder="worker", ttl_seconds=60):
        outcome = order_test_run(
            integration=bc_integration,
            order_name="#4101",
            clients=StaticClients(bc_client=bc_client, shop_client=fake_shop),
        )

    assert [error["code"] for error in outcome.errors] == [TEST_WRITE_BUSY]
    assert not RecordLink.objects.exists()
