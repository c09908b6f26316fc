"""The settings step proposes a mapping row for what the shop really used in its last 90 days
(countries, gateways, currencies, shipping methods, tax lines), with Business Central's choices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from integrations.services.mapping_proposals import propose_payment_method, propose_vat_group
from integrations.services.shop_usage import COUNTRY, CURRENCY, GATEWAY, SHIPPING, TAX, shop_usage_read
from integrations.services.shopify_install import shop_custom_app_attach
from simulators.shopify import ShopifySimulator
from simulators.shopify.clock import SimClock
from tests.fixtures.shopify import ACCESS_TOKEN, SHOP_DOMAIN, shopify_client_for

SEEDED_UNTIL = dt.datetime(2025, 4, 1, 8, 0, tzinfo=dt.UTC)  # the seed's orders are from March 2025
GROUPS = ["DOMESTIC", "EU", "EXPORT", "OSS-DE", "OSS-FI"]


def test_a_gateway_gets_the_bc_payment_method_named_after_it():
    methods = [("BANK", "Bank transfer"), ("KLARNA", "Klarna"), ("SHOPIFY", "Shopify Payments")]
    assert propose_payment_method("klarna", methods) == "KLARNA"
    assert propose_payment_method("shopify_payments", methods) == "SHOPIFY"
    assert propose_payment_method("gift_card", methods) == ""  # no guess is better than a wrong one


@pytest.mark.parametrize(
    ("country", "group"), [("DE", "OSS-DE"), ("SE", "DOMESTIC"), ("NL", "EU"), ("US", "EXPORT"), ("NO", "EXPORT")]
)
def test_a_country_gets_its_own_then_the_domestic_eu_or_export_group(country, group):
    assert propose_vat_group(country, home_country="SE", groups=GROUPS) == group


def test_the_shops_last_90_days_are_counted_with_example_orders(shopify_server):
    usage = shop_usage_read(client=shopify_client_for(shopify_server), now=SEEDED_UNTIL)

    assert usage.days == 90 and usage.orders >= 20 and not usage.truncated
    assert "SE" in usage.values(COUNTRY) and usage.values(CURRENCY)
    assert {"shopify_payments", "klarna"} <= set(usage.values(GATEWAY))
    assert usage.values(SHIPPING) and usage.values(TAX)
    assert usage.orders_using(GATEWAY, "klarna")[0].startswith("#")


@pytest.fixture
def shopify_sim() -> ShopifySimulator:
    # A shop whose clock is the real one, with recent orders: the page reads "the last 90 days" from now.
    sim = ShopifySimulator(
        shop_domain=SHOP_DOMAIN, access_token=ACCESS_TOKEN, seed=42, clock=SimClock(start=dt.datetime.now(dt.UTC))
    )
    sim.generate_orders(25, seed=7)
    return sim


def test_the_settings_step_proposes_a_row_for_each_country_and_gateway_seen(
    merchant_client, integration, bc_connected, settings, shopify_server
):
    settings.SHOPIFY_API_ROOT = shopify_server.url
    shop_custom_app_attach(
        integration=integration, shop_domain=SHOP_DOMAIN, access_token=ACCESS_TOKEN, webhook_secret="whsec-test"
    )

    response = merchant_client.get(reverse("merchant:wizard_settings", args=[integration.pk]))

    form = response.context["form"]
    body = response.content.decode()
    assert 'id="shop-usage"' in body and "last 90 days" in body
    # klarna is not among the usual four gateways: it is offered because the shop used it.
    assert form.initial.get("pm__klarna") == "KLARNA" and "pm__klarna" in form.fields
    assert form.initial.get("pm__shopify_payments") == "SHOPIFY"
    countries = [c.strip() for c in form.initial["countries"].split(",")]
    assert "SE" in countries and form.initial["vat__SE"] == "DOMESTIC"
    assert all(f"vat__{c}" in form.fields for c in countries)


def test_go_live_names_the_recent_orders_a_mapping_would_fail(
    merchant_client, integration, bc_connected, settings, shopify_server
):
    settings.SHOPIFY_API_ROOT = shopify_server.url
    shop_custom_app_attach(
        integration=integration, shop_domain=SHOP_DOMAIN, access_token=ACCESS_TOKEN, webhook_secret="whsec-test"
    )
    integration.country_mappings.create(country_code="SE", vat_business_group="DOMESTIC")
    integration.payment_method_mappings.create(shop_gateway="shopify_payments", bc_payment_method_code="SHOPIFY")

    response = merchant_client.get(reverse("merchant:wizard_live", args=[integration.pk]))

    unmapped = {(use.kind, use.value): use for use in response.context["unmapped"]}
    assert ("country", "SE") not in unmapped and ("gateway", "shopify_payments") not in unmapped
    assert ("gateway", "klarna") in unmapped and ("country", "DE") in unmapped
    body = response.content.decode()
    assert 'id="unmapped-orders"' in body and unmapped["gateway", "klarna"].examples[0] in body
    assert "MAP-013" in body and "MAP-002" in body


def test_gateways_are_named_as_the_merchant_knows_them():
    from integrations.labels import gateway_label

    assert gateway_label("shopify_payments") == "Shopify Payments"
    assert gateway_label("some_new_gateway") == "Some new gateway"
