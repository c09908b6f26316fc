"""A BC simulator mounted in-process, and an integration configured against its seeded company."""

from __future__ import annotations

import pytest
import requests

from integrations.connectors.businesscentral import RetryPolicy, client_for_connection
from integrations.models import Integration, ShippingMethodMapping
from simulators.businesscentral.app import FIXED_TENANT_ID, BusinessCentralSimulator
from simulators.inprocess import WSGIAdapter
from tests.factories import (
    BusinessCentralConnectionFactory,
    CountryMappingFactory,
    IntegrationFactory,
    ShippingMethodMappingFactory,
    ShopConnectionFactory,
)

BC_ROOT = "http://bc.flows.test"


@pytest.fixture
def sim_bc() -> BusinessCentralSimulator:
    return BusinessCentralSimulator()


@pytest.fixture
def bc_client(sim_bc, bc_integration):
    session = requests.Session()
    session.trust_env = False
    session.mount(BC_ROOT, WSGIAdapter(sim_bc))
    return client_for_connection(
        bc_integration.bc_connection,
        token_provider=lambda: "test-token",
        session=session,
        sleep=lambda _seconds: None,
        retry_policy=RetryPolicy(),
    )


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
        line_type=ShippingMethodMapping.LineType.ACCOUNT,
        line_number="3540",
        vat_product_group="STANDARD",
    )
    return integration
