"""factory-boy factories for every model of integrations and syncs.

Secrets use the fixed values below so tests can assert they never appear in a page or a log.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from integrations.models import (
    BusinessCentralConnection,
    CountryMapping,
    Flow,
    Integration,
    LocationMapping,
    PaymentMethodMapping,
    PaymentProviderConnection,
    PayoutAccountMapping,
    ShippingMethodMapping,
    ShopConnection,
    TaxClassMapping,
    Tenant,
    TenantMembership,
)
from syncs.models import (
    ComplianceRequest,
    EntityType,
    FlowLease,
    Payout,
    PayoutTransaction,
    PreflightCheckResult,
    PreflightRun,
    RecordLink,
    SourceSystem,
    SyncCursor,
    SyncLogEntry,
    SyncRun,
    WebhookEvent,
)

BC_TOKEN_CACHE = '{"AccessToken": {"k": {"secret": "factory-bc-access-token-5d1e"}}}'
SHOP_ACCESS_TOKEN = "shpat_factory_access_token_7f3a91"
SHOP_WEBHOOK_SECRET = "factory-webhook-secret-2b8c44"
PROVIDER_API_KEY = "sk_test_factory_api_key_9e6d02"
# Every plaintext secret the factories store; pages and logs must never contain any of them.
FACTORY_SECRETS = (BC_TOKEN_CACHE, SHOP_ACCESS_TOKEN, SHOP_WEBHOOK_SECRET, PROVIDER_API_KEY)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("password")


class StaffUserFactory(UserFactory):
    is_staff = True


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class TenantFactory(factory.django.DjangoModelFactory):
    """``TenantFactory(with_owner=True)`` also creates an owner membership (``tenant.memberships``)."""

    class Meta:
        model = Tenant
        skip_postgeneration_save = True

    class Params:
        with_owner = factory.Trait(
            owner=factory.RelatedFactory(
                "tests.factories.TenantMembershipFactory", factory_related_name="tenant", role="owner"
            )
        )

    name = factory.Sequence(lambda n: f"Merchant {n}")
    slug = factory.Sequence(lambda n: f"merchant-{n}")
    contact_email = factory.LazyAttribute(lambda o: f"finance@{o.slug}.example.com")


class TenantMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantMembership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = TenantMembership.Role.MEMBER


class IntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integration

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Webshop {n}")
    status = Integration.Status.TESTING


class BusinessCentralConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessCentralConnection

    integration = factory.SubFactory(IntegrationFactory)
    entra_tenant_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    user_principal = factory.Sequence(lambda n: f"admin{n}@contoso.example.com")
    environment_name = "Sandbox"
    environment_type = BusinessCentralConnection.EnvironmentType.SANDBOX
    company_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    company_name = factory.Sequence(lambda n: f"CRONUS {n}")
    token_cache = BC_TOKEN_CACHE
    connected_at = factory.LazyFunction(timezone.now)


class ShopConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShopConnection

    integration = factory.SubFactory(IntegrationFactory)
    platform = ShopConnection.Platform.SHOPIFY
    shop_domain = factory.Sequence(lambda n: f"shop-{n}.myshopify.com")
    access_token = SHOP_ACCESS_TOKEN
    webhook_secret = SHOP_WEBHOOK_SECRET
    shop_currency = "SEK"


class PaymentProviderConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentProviderConnection

    integration = factory.SubFactory(IntegrationFactory)
    provider = PaymentProviderConnection.Provider.STRIPE
    account_id = factory.Sequence(lambda n: f"acct_{n:08d}")
    api_key = PROVIDER_API_KEY
    currencies = factory.LazyFunction(lambda: ["SEK"])


class PaymentMethodMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentMethodMapping

    integration = factory.SubFactory(IntegrationFactory)
    shop_gateway = factory.Sequence(lambda n: f"gateway_{n}")
    bc_payment_method_code = "CARD"


class ShippingMethodMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethodMapping

    integration = factory.SubFactory(IntegrationFactory)
    shop_shipping_code = factory.Sequence(lambda n: f"standard-{n}")
    bc_shipment_method_code = "POST"
    line_type = ShippingMethodMapping.LineType.ACCOUNT
    line_number = "3010"


class CountryMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryMapping

    integration = factory.SubFactory(IntegrationFactory)
    country_code = factory.Iterator(["SE", "NO", "DK", "FI", "DE", "FR", "NL", "GB"])
    vat_business_group = "DOMESTIC"


class TaxClassMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxClassMapping

    integration = factory.SubFactory(IntegrationFactory)
    shop_tax_class = factory.Sequence(lambda n: f"tax-class-{n}")
    vat_product_group = "VAT25"


class PayoutAccountMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayoutAccountMapping

    integration = factory.SubFactory(IntegrationFactory)
    provider = PaymentProviderConnection.Provider.STRIPE
    currency = "SEK"
    clearing_account = "1960"
    fee_account = "6570"
    bank_account = "BANK1"


class LocationMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocationMapping

    integration = factory.SubFactory(IntegrationFactory)
    bc_location_code = factory.Sequence(lambda n: f"LOC{n}")
    shop_location_id = factory.Sequence(lambda n: f"gid://shopify/Location/{n}")


class RecordLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordLink

    integration = factory.SubFactory(IntegrationFactory)
    entity_type = EntityType.ORDER
    source_system = SourceSystem.SHOPIFY
    source_id = factory.Sequence(lambda n: f"gid://shopify/Order/{1000 + n}")
    source_reference = factory.Sequence(lambda n: f"#{1000 + n}")
    state = RecordLink.State.PENDING


class SyncCursorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncCursor

    integration = factory.SubFactory(IntegrationFactory)
    flow = Flow.ORDERS
    last_loaded_at = factory.LazyFunction(timezone.now)


class SyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRun

    integration = factory.SubFactory(IntegrationFactory)
    flow = Flow.ORDERS
    trigger = SyncRun.Trigger.MANUAL
    status = SyncRun.Status.QUEUED


class SyncLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncLogEntry

    integration = factory.SubFactory(IntegrationFactory)
    run = None
    flow = Flow.ORDERS
    level = SyncLogEntry.Level.INFO
    message = factory.Sequence(lambda n: f"Log message {n}")


class FlowLeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlowLease

    integration = factory.SubFactory(IntegrationFactory)
    flow = Flow.ORDERS


class WebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEvent

    integration = factory.SubFactory(IntegrationFactory)
    source_system = SourceSystem.SHOPIFY
    webhook_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    topic = "orders/create"
    payload = factory.LazyFunction(lambda: {"id": 1001, "name": "#1001"})


class ComplianceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceRequest

    integration = factory.SubFactory(IntegrationFactory)
    shop_domain = factory.Sequence(lambda n: f"compliance-{n}.myshopify.com")
    topic = ComplianceRequest.Topic.DATA_REQUEST
    webhook_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    customer_id = "7300000000001"
    customer_email = "customer@example.se"
    order_ids = factory.LazyFunction(lambda: ["5510000001001"])
    state = ComplianceRequest.State.DONE
    export = factory.LazyFunction(lambda: {"records": [{"business_central_number": "SI-1001"}]})


class PayoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payout

    integration = factory.SubFactory(IntegrationFactory)
    provider = PaymentProviderConnection.Provider.STRIPE
    provider_payout_id = factory.Sequence(lambda n: f"po_{n:010d}")
    status = Payout.Status.PAID
    currency = "SEK"
    amount = Decimal("970.00")
    gross = Decimal("1000.00")
    fees = Decimal("30.00")
    arrival_date = factory.LazyFunction(lambda: timezone.now().date())


class PayoutTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayoutTransaction

    payout = factory.SubFactory(PayoutFactory)
    provider_transaction_id = factory.Sequence(lambda n: f"txn_{n:010d}")
    raw_type = "charge"
    mapped_type = PayoutTransaction.MappedType.CHARGE
    amount = Decimal("1000.00")
    fee = Decimal("30.00")
    net = Decimal("970.00")
    currency = "SEK"
    order_reference = "#1001"
    source_reference = factory.Sequence(lambda n: f"ch_{n:010d}")


class PreflightRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreflightRun

    integration = factory.SubFactory(IntegrationFactory)
    trigger = PreflightRun.Trigger.MANUAL
    status = PreflightRun.Status.PASSED


class PreflightCheckResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreflightCheckResult

    run = factory.SubFactory(PreflightRunFactory)
    check_name = factory.Sequence(lambda n: f"check_{n}")
    status = PreflightCheckResult.Status.PASSED


def oss_and_shipping_mappings_create(
    *, integration: Integration, shipping_codes: tuple[str, str] = ("postnord-standard", "dhl-express")
) -> None:
    """The e2e scenarios' extra mappings: Finland as an OSS country in EUR, and two shipping methods
    (the shop's codes for PostNord and DHL) booked to account 3540."""
    CountryMappingFactory(
        integration=integration,
        country_code="FI",
        vat_business_group="OSS-FI",
        collective_customer_number="10020",
        currency_code="EUR",
    )
    for code, method in zip(shipping_codes, ("PNORD", "DHL"), strict=True):
        ShippingMethodMappingFactory(
            integration=integration,
            shop_shipping_code=code,
            bc_shipment_method_code=method,
            line_type=ShippingMethodMapping.LineType.ACCOUNT,
            line_number="3540",
            vat_product_group="STANDARD",
        )
