"""Connect the demo merchant's integration end to end and go live, as a merchant would in the wizard.

Every step calls the same onboarding service the wizard's views call, over HTTP to the simulators,
so a newcomer who skips the wizard sees exactly what a finished wizard produces. The one thing a
person does by hand, the Microsoft sign-in page and Shopify's "Install app" page, is done by
``sign_in`` and ``install_app`` (given by the caller).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from integrations.models import (
    Integration,
    PaymentProviderConnection,
    ShippingMethodMapping,
)
from syncs.demo.config import (
    ADYEN_HMAC_KEY,
    ADYEN_MERCHANT_ACCOUNT,
    ADYEN_REPORT_PASSWORD,
    ADYEN_REPORT_USER,
    DEMO_INTERVAL_MINUTES,
    KLARNA_PASSWORD,
    KLARNA_USERNAME,
    PAYMENT_JOURNAL_BATCH,
    SHOP_DOMAIN,
    STRIPE_SECRET_KEY,
)

logger = logging.getLogger(__name__)

ENVIRONMENT = "sandbox"
COMPANY_NAME = "CRONUS Sverige AB"
# From the BC simulator's seed: VAT business posting group, collective customer and currency per
# country the shop sells to.
COUNTRIES = {
    "SE": ("DOMESTIC", "10000", ""),
    "DE": ("OSS-DE", "10010", "EUR"),
    "FI": ("OSS-FI", "10020", "EUR"),
    "DK": ("OSS-DK", "10030", "DKK"),
    "FR": ("OSS-FR", "10040", "EUR"),
    "NL": ("OSS-NL", "10050", "EUR"),
}
# The shop's shipping rates (Shopify simulator seed) -> BC shipment method, freight on G/L 3540.
SHIPPING_METHODS = {"postnord-standard": "PNORD", "dhl-express": "DHL"}
FREIGHT_ACCOUNT = "3540"
ROUNDING_ACCOUNT = "3740"  # Öres- och kronutjämning
PAYMENT_METHODS = {"shopify_payments": "SHOPIFY", "stripe": "STRIPE", "paypal": "CARD", "manual": "BANK"}
# provider -> (clearing G/L account, fee G/L account, BC bank account; BANK1 posts to G/L 1930) of the
# seed, and its customer payment batch, which balances against that clearing account: Shopify Payments
# in PAYMENT_JOURNAL_BATCH, Stripe in the seed's STRIPE batch. Fees and transfers of both go to the
# general journal batch PAYMENT_JOURNAL_BATCH (``sims.bc_payout_journal_ensure``).
PAYOUT_ACCOUNTS = {
    PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS.value: ("1581", "6064", "BANK1"),
    PaymentProviderConnection.Provider.STRIPE.value: ("1580", "6064", "BANK1"),
    PaymentProviderConnection.Provider.KLARNA.value: ("1582", "6064", "BANK1"),
    PaymentProviderConnection.Provider.ADYEN.value: ("1583", "6064", "BANK1"),
}
# The transfer lands on a bank account in the payout's currency (the seed's BANK2 holds EUR).
PAYOUT_BANKS = {"EUR": "BANK2"}
# Klarna and Adyen (market SE, SEK) are connected as support would in the admin; each provider's
# payout configuration has its own customer payment batch of the seed, balancing on its clearing account.
PAYOUT_BATCHES = {
    PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS.value: PAYMENT_JOURNAL_BATCH,
    PaymentProviderConnection.Provider.STRIPE.value: "STRIPE",
    PaymentProviderConnection.Provider.KLARNA.value: "KLARNA",
    PaymentProviderConnection.Provider.ADYEN.value: "ADYEN",
}
MARKET = "SE"
TEST_ORDER = "#1001"
# The organisation that owns the demo's Business Central (the identity simulator's Contoso tenant).
BC_ORGANISATION = "contoso.example"


def demo_autopilot(
    *, integration_id: int, sign_in: Callable[[str], str], install_app: Callable[[str], str]
) -> Integration:
    """``sign_in(auth_uri) -> redirect URL`` signs in on Microsoft's page; ``install_app(authorize_url)
    -> redirect URL`` presses "Install app" on Shopify's. Idempotent: live stays live."""
    from integrations.services import payment_providers
    from integrations.services.bc_auth import bc_signin_complete, bc_signin_start
    from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select
    from integrations.services.onboarding.flows import integration_flows_save
    from integrations.services.onboarding.go_live import integration_go_live
    from integrations.services.onboarding.real_order import integration_test_order
    from integrations.services.onboarding.stripe_account import stripe_connect
    from integrations.services.onboarding.wizard_settings import integration_settings_save
    from integrations.services.payout_configurations import PayoutConfiguration, payout_rows
    from integrations.services.shopify_install import shop_install_complete, shop_install_start

    integration = Integration.objects.get(pk=integration_id)
    if integration.status == Integration.Status.LIVE:
        return integration

    session: dict = {}
    redirect_uri = settings.SITE_URL.rstrip("/") + reverse("merchant:bc_callback")
    auth_uri = bc_signin_start(
        integration=integration, redirect_uri=redirect_uri, session=session, organisation=BC_ORGANISATION
    )
    answer = dict(parse_qsl(urlsplit(sign_in(auth_uri)).query))
    bc_signin_complete(integration=integration, request_params=answer, session=session)

    companies = bc_companies_list(integration=integration, environment_name=ENVIRONMENT)
    company = next(c for c in companies if c.name == COMPANY_NAME)
    bc_company_select(integration=integration, environment_name=ENVIRONMENT, company_id=company.id)
    # Shopify: the app install, as the wizard's "Connect Shopify" (expiring token, webhooks registered).
    shop_session: dict = {}
    authorize_url = shop_install_start(integration=integration, shop_domain=SHOP_DOMAIN, session=shop_session)
    answer = dict(parse_qsl(urlsplit(install_app(authorize_url)).query))
    shop_install_complete(integration=integration, params=answer, session=shop_session)
    stripe_connect(integration=integration, api_key=STRIPE_SECRET_KEY)
    payment_providers.klarna_connect(
        integration=integration,
        market=MARKET,
        username=KLARNA_USERNAME,
        password=KLARNA_PASSWORD,
        region="EU",
        environment="playground",
        currency="SEK",
    )
    payment_providers.adyen_connect(
        integration=integration,
        market=MARKET,
        merchant_account=ADYEN_MERCHANT_ACCOUNT,
        hmac_key=ADYEN_HMAC_KEY,
        username=ADYEN_REPORT_USER,
        password=ADYEN_REPORT_PASSWORD,
        environment="test",
        currency="SEK",
    )
    # The wizard connects the shop but not its Shopify Payments account (support adds it in the admin,
    # "Payment provider connections"): the payouts flow reads Shopify Payments payouts only with it.
    shop_currency = integration.shop_connection.shop_currency or integration.base_currency
    PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS,
        defaults={"currencies": [shop_currency], "verified_at": timezone.now()},
    )

    integration_flows_save(
        integration=integration,
        flows={"orders_enabled": True, "refunds_enabled": True, "customers_enabled": True, "payouts_enabled": True},
    )
    integration.refresh_from_db()
    payout_accounts = [
        PayoutConfiguration(
            row.provider,
            row.currency,
            *PAYOUT_ACCOUNTS[row.provider][:2],
            bank_account=PAYOUT_BANKS.get(row.currency.upper(), PAYOUT_ACCOUNTS[row.provider][2]),
            market=row.market,
            journal_template="CASHRCPT",
            journal_batch=PAYOUT_BATCHES[row.provider],
            general_journal_batch=PAYMENT_JOURNAL_BATCH,
        )
        for row in payout_rows(integration=integration)
        if row.provider in PAYOUT_ACCOUNTS
    ]
    integration_settings_save(
        integration=integration,
        customer_strategy=Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY,
        document_type=Integration.DocumentType.INVOICE_POSTED,
        payment_journal_template="CASHRCPT",
        payment_journal_batch=PAYMENT_JOURNAL_BATCH,
        payment_methods=PAYMENT_METHODS,
        shipment_method="PNORD",
        freight_account=FREIGHT_ACCOUNT,
        countries={code: group for code, (group, _customer, _currency) in COUNTRIES.items()},
        payout_accounts=payout_accounts,
    )
    # Payouts are booked and posted at once, the transfer to the bank included, so an invoice turns Paid
    # and the clearing account is back at zero within a payouts run (support sets these in the admin;
    # the wizard does not ask).
    payout_settings = {
        "post_payment_journal": True,
        "book_payout_transfer": True,
        "payouts_interval_minutes": DEMO_INTERVAL_MINUTES,
        "rounding_gl_account": ROUNDING_ACCOUNT,  # a charge a cent off its invoice (VAT rounded per line)
    }
    known = {f.name for f in Integration._meta.get_fields()}
    Integration.objects.filter(pk=integration.pk).update(**{k: v for k, v in payout_settings.items() if k in known})
    integration.refresh_from_db()
    # The wizard maps one default rate; the shop's named rates are added as support would in the admin.
    for shop_code, bc_code in SHIPPING_METHODS.items():
        ShippingMethodMapping.objects.update_or_create(
            integration=integration,
            shop_shipping_code=shop_code,
            defaults={
                "bc_shipment_method_code": bc_code,
                "line_type": ShippingMethodMapping.LineType.ACCOUNT,
                "line_number": FREIGHT_ACCOUNT,
                "vat_product_group": "STANDARD",
            },
        )
    for mapping in integration.country_mappings.all():
        _group, customer, currency = COUNTRIES[mapping.country_code]
        mapping.collective_customer_number, mapping.currency_code = customer, currency
        mapping.save(update_fields=["collective_customer_number", "currency_code"])

    try:
        integration_test_order(integration=integration, order_name=TEST_ORDER)
    except Exception:  # the preview is a courtesy here: going live does not depend on it
        logger.exception("The demo's test order preview failed")
    integration.refresh_from_db()
    return integration_go_live(integration=integration)
