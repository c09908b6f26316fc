"""An installed app end to end: the shop connected through the install, the token expired, a
webhook signed with the app's client secret, and the order booked in BC with a refreshed token."""

from __future__ import annotations

from integrations.models import ShopConnection
from integrations.services.shopify_tokens import shop_client_for
from syncs.models import EntityType, RecordLink, SyncRun
from tests.fixtures.clients import StaticClients
from tests.fixtures.shopify import APP_CLIENT_ID, APP_CLIENT_SECRET
from tests.shopify_app.conftest import install


def test_a_webhook_to_an_installed_app_is_booked_with_a_refreshed_token(
    shop, bc_client, shopify_server, settings, sim_bc
):
    settings.SITE_URL = "https://junipeer.example"
    settings.SHOPIFY_API_ROOT = shopify_server.url
    settings.SHOPIFY_CLIENT_ID, settings.SHOPIFY_CLIENT_SECRET = APP_CLIENT_ID, APP_CLIENT_SECRET
    connection = install(shop.integration, shopify_server)
    # The flow gets the product's own Shopify client: the factory with the refreshing token provider.
    settings.SYNC_CLIENT_FACTORY = StaticClients(
        bc_client=bc_client, shop_for=lambda integration: shop_client_for(connection=integration.shop_connection)
    )
    shopify_server.sim.app.expire_access_tokens()
    ShopConnection.objects.filter(pk=connection.pk).update(access_token_expires_at=connection.installed_at)
    order = shop.order("#1001")
    body, headers = shop.sim.webhooks.build(
        "orders/create", shop.sim.webhooks.order_payload(order["id"]), APP_CLIENT_SECRET
    )
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}

    with shop.on_commit(execute=True):
        response = shop.client.post(
            f"/hooks/shopify/{shop.integration.pk}/", data=body, content_type="application/json", **extra
        )

    assert response.status_code == 200
    run = SyncRun.objects.get(integration=shop.integration, trigger=SyncRun.Trigger.WEBHOOK)
    assert run.status == SyncRun.Status.SUCCEEDED, run.error_message
    link = RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference="#1001")
    assert link.state == RecordLink.State.SYNCED and link.target_number
    invoices = [d for d in sim_bc.company().rows("salesInvoices") if d.get("externalDocumentNumber") == "#1001"]
    assert [d["number"] for d in invoices] == [link.target_number]
    assert shopify_server.sim.stats["token_refreshes"] == 1
    assert ShopConnection.objects.get(pk=connection.pk).access_token.reveal() != connection.access_token.reveal()
