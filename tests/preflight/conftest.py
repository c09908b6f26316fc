"""A healthy integration configured against the BC simulator's seeded sandbox company."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from integrations.models import Integration, PaymentProviderConnection
from simulators.businesscentral.app import FIXED_TENANT_ID, BusinessCentralSimulator
from syncs.models import EntityType, SourceSystem
from tests.factories import (
    BusinessCentralConnectionFactory,
    CountryMappingFactory,
    IntegrationFactory,
    PaymentMethodMappingFactory,
    PaymentProviderConnectionFactory,
    PayoutAccountMappingFactory,
    RecordLinkFactory,
    ShippingMethodMappingFactory,
    ShopConnectionFactory,
    TaxClassMappingFactory,
    TenantFactory,
    TenantMembershipFactory,
    UserFactory,
)
from tests.fixtures.bc import bc_inprocess_client

BC_ROOT = "http://bc.preflight.test"
COMPANY = "CRONUS Sverige AB"


def shop_order(
    number: int, *, country: str = "SE", currency: str = "SEK", gateway: str = "shopify_payments",
    shipping: str = "Standard", skus: tuple[str, ...] = ("1000",),
) -> dict:  # fmt: skip
    """A Shopify GraphQL order payload, as the orders flow stores it in RecordLink.raw_source."""
    return {
        "id": f"gid://shopify/Order/{number}",
        "name": f"#{number}",
        "createdAt": "2026-01-05T10:00:00Z",  # DateTime! in the schema: every stored order has both
        "updatedAt": "2026-01-05T10:00:00Z",
        "currencyCode": "SEK",
        "presentmentCurrencyCode": currency,
        "shippingAddress": {"countryCodeV2": country},
        "lineItems": {"nodes": [{"id": f"gid://shopify/LineItem/{number}{i}", "sku": s} for i, s in enumerate(skus)]},
        "shippingLines": {"nodes": [{"id": f"gid://shopify/ShippingLine/{number}", "code": shipping}]},
        "transactions": [{"id": f"gid://shopify/Transaction/{number}", "gateway": gateway, "kind": "SALE"}],
    }


def add_order(integration: Integration, number: int, **kwargs) -> None:
    RecordLinkFactory(
        integration=integration,
        entity_type=EntityType.ORDER,
        source_system=SourceSystem.SHOPIFY,
        source_id=str(number),
        raw_source=shop_order(number, **kwargs),
    )


@pytest.fixture
def sim() -> BusinessCentralSimulator:
    return BusinessCentralSimulator()


@pytest.fixture
def company(sim):
    return sim.company("sandbox", COMPANY)


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@shop.example")


@pytest.fixture
def integration(db, sim, owner) -> Integration:
    tenant = TenantFactory()
    TenantMembershipFactory(tenant=tenant, user=owner, role="owner")
    integration = IntegrationFactory(
        tenant=tenant,
        base_currency="SEK",
        payouts_enabled=True,
        book_payout_transfer=True,
        payment_journal_template="CASHRCPT",
        payment_journal_batch="SHOPIFY",
    )
    BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id=FIXED_TENANT_ID,
        environment_name="sandbox",
        environment_type="Sandbox",
        company_id=sim.company_id("sandbox", COMPANY),
        company_name=COMPANY,
        api_root_override=BC_ROOT,
    )
    ShopConnectionFactory(integration=integration, shop_currency="SEK")
    PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS, currencies=["SEK"]
    )
    # Healthy for payouts: the batch SHOPIFY (template CASHRCPT) balances against the clearing account 1581,
    # fees and the transfer go to the general batch GENERAL, every account posts and the bank is in SEK.
    PayoutAccountMappingFactory(
        integration=integration,
        provider="shopify_payments",
        currency="SEK",
        journal_template="CASHRCPT",
        journal_batch="SHOPIFY",
        general_journal_batch="GENERAL",
        clearing_account="1581",
        fee_account="6064",
        bank_account="BANK1",
    )
    PaymentMethodMappingFactory(integration=integration, shop_gateway="shopify_payments")
    ShippingMethodMappingFactory(integration=integration, shop_shipping_code="Standard", vat_product_group="STANDARD")
    CountryMappingFactory(
        integration=integration, country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    CountryMappingFactory(
        integration=integration, country_code="DE", vat_business_group="OSS-DE", collective_customer_number="10010"
    )
    TaxClassMappingFactory(integration=integration, shop_tax_class="books", vat_product_group="LOW")
    add_order(integration, 1001)
    add_order(integration, 1002, country="DE", currency="EUR", skus=("1000", "1003"))
    return integration


def make_client(sim, integration):
    return bc_inprocess_client(sim, integration.bc_connection, api_root=BC_ROOT)


@pytest.fixture
def bc_client(sim, integration):
    return make_client(sim, integration)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
