"""End to end: a signed webhook through the intake view, the worker (eager tasks), the Shopify
simulator over HTTP and the BC simulator, to a posted BC document.

Both simulators start from their seeds: the shop's SKUs are BC item numbers (and its barcodes
the items' GTINs), so no test creates items. The integration maps SE, DE and FI to the seeded
collective customers and both seeded shipping methods to the freight account.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.factories import SHOP_WEBHOOK_SECRET, oss_and_shipping_mappings_create
from tests.fixtures.clients import StaticClients
from tests.fixtures.shopify import SHOP_DOMAIN, shopify_client_for
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401 - shared fixtures


@dataclass
class Shop:
    """The Shopify simulator plus the Django test client that plays Shopify's webhook sender."""

    sim: object
    client: object
    integration: object
    on_commit: object

    def order(self, name: str) -> dict:
        return next(o for o in self.sim.store.orders.values() if o["name"] == name)

    def post(self, topic: str, payload: dict, *, webhook_id: str | None = None):
        body, headers = self.sim.webhooks.build(topic, payload, SHOP_WEBHOOK_SECRET, webhook_id=webhook_id)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
        url = reverse("hooks:shopify", args=[self.integration.pk])
        # Commit callbacks run: the intake enqueues, the eager worker syncs, before this returns.
        with self.on_commit(execute=True):
            return self.client.post(url, data=body, content_type="application/json", **extra)

    def deliver(self, name: str, *, topic: str = "orders/create", webhook_id: str | None = None):
        return self.post(topic, self.sim.webhooks.order_payload(self.order(name)["id"]), webhook_id=webhook_id)


@pytest.fixture
def e2e(bc_integration, bc_client, shopify_server, settings):  # noqa: F811
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    shop = bc_integration.shop_connection
    shop.shop_domain = SHOP_DOMAIN
    shop.save()
    shop_client = shopify_client_for(shopify_server)
    # Every run the eager worker executes builds its clients here (the simulators).
    settings.SYNC_CLIENT_FACTORY = StaticClients(bc_client=bc_client, shop_client=shop_client)
    oss_and_shipping_mappings_create(integration=bc_integration)
    return shopify_server.sim


@pytest.fixture
def shop(e2e, client, bc_integration, django_capture_on_commit_callbacks) -> Shop:  # noqa: F811
    return Shop(sim=e2e, client=client, integration=bc_integration, on_commit=django_capture_on_commit_callbacks)
