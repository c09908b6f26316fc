"""A BC simulator mounted in-process, and an integration configured against its seeded company."""

from __future__ import annotations

import pytest

from integrations.models import Integration, ShippingMethodMapping
from simulators.businesscentral.app import FIXED_TENANT_ID, BusinessCentralSimulator
from tests.factories import (
    BusinessCentralConnectionFactory,
    CountryMappingFactory,
    IntegrationFactory,
    ShippingMethodMappingFactory,
    ShopConnectionFactory,
)
from tests.fixtures.bc import bc_inprocess_client
from tests.fixtures.clients import StaticClients

BC_ROOT = "http://bc.flows.test"


@pytest.fixture
def sim_bc() -> BusinessCentralSimulator:
    return BusinessCentralSimulator()


@pytest.fixture
def bc_client(sim_bc, bc_integration):
    return bc_inprocess_client(sim_bc, bc_integration.bc_connection, api_root=BC_ROOT)


@pytest.fixture
def bc_integration(db, sim_bc) -> Integration:
    integration = IntegrationFactory(
        status=Integration.Status.LIVE,
        allow_writes=True,
        base_currency="SEK",
        gift_card_gl_account="2420",
        refund_gl_account="3001",
    )
    BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id=FIXED_TENANT_ID,
        environment_name="sandbox",
        company_id=sim_bc.company_id(),
        company_name="CRONUS Sverige AB",
        api_root_override=BC_ROOT,
    )
    ShopConnectionFactory(integration=integration)
    CountryMappingFactory(
        integration=integration, country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    CountryMappingFactory(
        integration=integration,
        country_code="DE",
        vat_business_group="OSS-DE",
        collective_customer_number="10010",
        currency_code="EUR",
    )
    ShippingMethodMappingFactory(
        integration=integration,
        shop_shipping_code="standard",
        bc_shipment_method_code="PNORD",  # a seeded BC shipment method: documents carry its id
        line_type=ShippingMethodMapping.LineType.ACCOUNT,
        line_number="3540",
        vat_product_group="STANDARD",
    )
    return integration


class FakeShop:
    """The shop client surface the order flows use, over a list of order records."""

    def __init__(self, orders=()):
        self.orders = {order.name: order for order in orders}
        self.calls: list[tuple] = []
        self.count: int | None = None  # what orders_count answers

    def orders_iter(self, *, updated_since=None, created_since=None, query=None):
        self.calls.append(("orders_iter", updated_since, created_since, query))
        for order in self.orders.values():
            if updated_since and order.updated_at < updated_since:
                continue
            if created_since and order.created_at < created_since:
                continue
            yield order

    def orders_count(self, query=None, *, created_since=None, limit=None):
        """None, as a shop that cannot count: a date-range backfill then reads in bulk."""
        self.calls.append(("orders_count", query, created_since, limit))
        return self.count

    def bulk_orders(self, query=None, *, created_since=None, **_polling):
        self.calls.append(("bulk_orders", query, created_since))
        for order in self.orders.values():
            if created_since and order.created_at < created_since:
                continue
            yield order

    def orders_by_names(self, names):
        self.calls.append(("orders_by_names", tuple(names)))
        return [self.orders[name] for name in names if name in self.orders]

    def order_get(self, order_id):
        return next(order for order in self.orders.values() if order.id == order_id)


@pytest.fixture
def fake_shop(settings, bc_client):
    """The fake shop, and the factory every run uses (the executor reads SYNC_CLIENT_FACTORY)."""
    shop = FakeShop()
    settings.SYNC_CLIENT_FACTORY = StaticClients(bc_client=bc_client, shop_client=shop)
    return shop
