"""End to end: a signed webhook through the intake view, the worker (eager tasks), the Shopify
simulator over HTTP and the BC simulator, to a posted BC document."""

from __future__ import annotations

import pytest

from syncs.services import orders as orders_service
from tests.fixtures.shopify import SHOP_DOMAIN, shopify_client_for
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401, F811 - shared fixtures

# The Shopify simulator's catalogue, created as BC items so the SKU rule (item number) matches.
SHOP_SKUS = ["1896-S", "1900-S", "1906-S", "1908-S", "1928-S", "1972-S", "1980-S", "1988-S", "1996-S", "2000-S"]


@pytest.fixture
def e2e(bc_integration, bc_client, shopify_server, monkeypatch, settings):  # noqa: F811
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    for sku in SHOP_SKUS:
        bc_client.create_record(
            orders_service.entities.ITEMS,
            {"number": sku, "displayName": sku, "type": "Inventory", "taxGroupCode": "STANDARD"},
        )
    shop = bc_integration.shop_connection
    shop.shop_domain = SHOP_DOMAIN
    shop.save()
    shop_client = shopify_client_for(shopify_server)
    monkeypatch.setattr(
        orders_service,
        "flow_clients_build",
        lambda *, integration: orders_service.FlowClients(bc=bc_client, shop=shop_client),
    )
    from integrations.models import ShippingMethodMapping

    ShippingMethodMapping.objects.create(
        integration=bc_integration,
        shop_shipping_code="postnord-standard",
        line_type="Account",
        line_number="3540",
        vat_product_group="STANDARD",
    )
    return shopify_server.sim
