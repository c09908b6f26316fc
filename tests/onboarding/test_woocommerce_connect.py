"""The wizard connects a WooCommerce store: platform choice, store address and REST API key, a real
read, the integration's webhooks saved in the store (and their ping answered), coded refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection as db
from django.test import Client
from django.urls import reverse

from integrations.connectors.woocommerce import WooCommerceShop
from integrations.models import ShopConnection
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.onboarding.flows import integration_flows_save
from integrations.services.shop_usage import COUNTRY, CURRENCY, GATEWAY, SHIPPING, TAX, shop_usage_read
from integrations.services.woocommerce_connect import woo_store_connect, woo_store_url_normalise
from tests.factories import CountryMappingFactory, ShippingMethodMappingFactory
from tests.fixtures.woo_delivery import SITE_URL, woo_deliveries_to
from tests.fixtures.woocommerce import CONSUMER_KEY, CONSUMER_SECRET


@pytest.fixture
def store(woo_server, settings):
    settings.WOO_CA_BUNDLE = woo_server.ca_file
    settings.OUTBOUND_HOST_ALLOWLIST = ["localhost"]  # the simulator, allowed by support
    settings.SITE_URL = SITE_URL
    woo_server.sim.webhooks.post = woo_deliveries_to(Client())
    return woo_server


def _post(merchant_client, integration, store, **overrides):
    data = {"store_url": store.url, "consumer_key": CONSUMER_KEY, "consumer_secret": CONSUMER_SECRET} | overrides
    return merchant_client.post(reverse("merchant:woo_connect", args=[integration.pk]), data)


def test_the_wizard_offers_both_platforms(merchant_client, integration):
    url = reverse("merchant:wizard_connect", args=[integration.pk])

    shopify = merchant_client.get(url).content.decode()
    woo = merchant_client.get(url + "?platform=woocommerce").content.decode()

    assert "Shopify" in shopify and "?platform=woocommerce" in shopify and 'id="woo-form"' not in shopify
    assert 'id="woo-form"' in woo and "Consumer secret" in woo and 'name="shop_domain"' not in woo


def test_connecting_a_store_checks_the_key_and_saves_the_webhooks(merchant_client, integration, store):
    response = _post(merchant_client, integration, store)

    assert response.status_code == 302, response.content.decode()[:2000]
    shop = ShopConnection.objects.get(integration=integration)
    assert (shop.platform, shop.store_url, shop.shop_domain) == ("woocommerce", store.url, "localhost")
    assert shop.verified_at is not None
    address = f"{SITE_URL}/hooks/woocommerce/{integration.pk}/"
    saved = store.sim.webhooks.subscriptions
    assert sorted((w.topic, w.delivery_url) for w in saved.values()) == [
        ("order.created", address),
        ("order.updated", address),
    ]
    assert sorted(shop.store_webhook_ids) == sorted(saved)
    # WooCommerce pinged each new webhook and the intake answered 200 exactly.
    assert store.sim.webhooks.pings == [(webhook_id, 200) for webhook_id in sorted(saved)]
    assert all(not w.pending_delivery for w in saved.values())
    assert {w.secret for w in saved.values()} == {shop.webhook_secret.reveal()}
    with db.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT consumer_key, consumer_secret FROM integrations_shopconnection WHERE id = %s", [shop.pk])
        stored = cursor.fetchone()
    assert all(stored) and CONSUMER_KEY not in stored[0] and CONSUMER_SECRET not in stored[1]
    # Never shown back: the page names the store, not the key.
    page = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk])).content.decode()
    assert store.url in page and CONSUMER_KEY not in page and CONSUMER_SECRET not in page
    assert "Reconnect WooCommerce" in page


def test_connecting_again_replaces_the_webhooks(integration, store):
    first = woo_store_connect(
        integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
    )
    second = woo_store_connect(
        integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
    )

    assert set(first.connection.store_webhook_ids).isdisjoint(second.connection.store_webhook_ids)
    assert sorted(store.sim.webhooks.subscriptions) == sorted(second.connection.store_webhook_ids)
    assert second.webhooks == ("order.created", "order.updated")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"consumer_secret": "cs_wrong"}, "WOO-001"),
        ({"store_url": "http://localhost:8443"}, "WOO-007"),
        ({"store_url": "{url}/blog"}, "WOO-011"),  # no WordPress REST API at this address
    ],
)
def test_a_wrong_key_or_address_is_refused_with_its_code(merchant_client, integration, store, overrides, code):
    overrides = {k: v.format(url=store.url) for k, v in overrides.items()}

    response = _post(merchant_client, integration, store, **overrides)

    assert response.status_code == 400
    page = response.content.decode()
    assert code in page and CONSUMER_SECRET not in page
    assert not ShopConnection.objects.filter(integration=integration).exists()
    assert not store.sim.webhooks.subscriptions


def test_a_read_only_key_is_refused_before_anything_is_stored(merchant_client, integration, store):
    store.sim.permissions = "read"

    response = _post(merchant_client, integration, store)

    assert response.status_code == 400 and "WOO-010" in response.content.decode()
    assert not ShopConnection.objects.filter(integration=integration).exists()


def test_store_addresses_are_normalised(settings):
    settings.OUTBOUND_HOST_ALLOWLIST = []
    assert woo_store_url_normalise(" Shop.Example.com/wp-admin/ ") == "https://shop.example.com"
    assert woo_store_url_normalise("https://example.com/shop/") == "https://example.com/shop"
    with pytest.raises(OnboardingError, match="WOO-007"):
        woo_store_url_normalise("http://shop.example.com")
    with pytest.raises(OnboardingError):
        woo_store_url_normalise("https://192.168.1.10")


def test_the_stores_recent_orders_are_counted_for_proposals(woo_client):
    usage = shop_usage_read(client=WooCommerceShop(client=woo_client), now=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))

    assert usage.orders == 8 and not usage.truncated
    assert set(usage.values(COUNTRY)) == {"SE", "DE", "FI"}
    assert {"SEK", "EUR"} == set(usage.values(CURRENCY))
    assert {"flat_rate:1", "flat_rate:2"} <= set(usage.values(SHIPPING))
    assert "Moms 25%" in usage.values(TAX) and usage.values(GATEWAY)
    assert usage.orders_using(COUNTRY, "DE") == ["#1003"]


def test_the_settings_and_go_live_steps_read_the_woocommerce_store(merchant_client, integration, bc_connected, store):
    woo_store_connect(
        integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
    )

    settings_page = merchant_client.get(reverse("merchant:wizard_settings", args=[integration.pk]))
    live_page = merchant_client.get(reverse("merchant:wizard_live", args=[integration.pk]))

    countries = [c.strip() for c in settings_page.context["form"].initial["countries"].split(",")]
    assert {"SE", "DE", "FI"} <= set(countries)
    assert 'id="shop-usage"' in settings_page.content.decode()
    unmapped = {(use.kind, use.value) for use in live_page.context["unmapped"]}
    assert ("country", "DE") in unmapped


def test_the_stores_webhooks_follow_the_flows(integration, store, settings, django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    woo_store_connect(
        integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
    )
    before = dict(store.sim.webhooks.subscriptions)

    with django_capture_on_commit_callbacks(execute=True):
        integration_flows_save(integration=integration, flows={"stock_enabled": True})  # no orders, no refunds
    assert not store.sim.webhooks.subscriptions
    with django_capture_on_commit_callbacks(execute=True):
        integration_flows_save(integration=integration, flows={"orders_enabled": True})
    with django_capture_on_commit_callbacks(execute=True):
        integration_flows_save(integration=integration, flows={"orders_enabled": True, "refunds_enabled": True})

    saved = store.sim.webhooks.subscriptions
    assert sorted(w.topic for w in saved.values()) == ["order.created", "order.updated"]
    assert set(saved).isdisjoint(before)  # saved again after they were removed ...
    shop = ShopConnection.objects.get(integration=integration)
    assert sorted(shop.store_webhook_ids) == sorted(saved)  # ... and kept when the topics did not change
    assert {w.secret for w in saved.values()} == {shop.webhook_secret.reveal()}
    assert len(store.sim.webhooks.pings) == 4  # two at connect, two when orders came back on


def test_the_test_step_previews_a_real_order_of_the_store(merchant_client, integration, bc_connected, store):
    woo_store_connect(
        integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
    )
    CountryMappingFactory(
        integration=integration, country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    ShippingMethodMappingFactory(
        integration=integration,
        shop_shipping_code="flat_rate:1",
        bc_shipment_method_code="PNORD",
        line_type="Account",
        line_number="3540",
    )

    response = merchant_client.post(reverse("merchant:wizard_test", args=[integration.pk]), {"order_name": "#1001"})

    body = response.content.decode()
    assert "This order can be synced" in body, body[-3000:]
    assert "1896-S" in body and "3540" in body
    integration.refresh_from_db()
    assert integration.test_order_passed_at is not None


def test_an_unreachable_or_odd_store_is_reported_at_once(integration, store):
    store.sim.fail_next(503, times=10, path="/orders")
    with pytest.raises(OnboardingError, match="WOO-004"):
        woo_store_connect(
            integration=integration, store_url=store.url, consumer_key=CONSUMER_KEY, consumer_secret=CONSUMER_SECRET
        )
    assert len([r for r in store.sim.requests if r[1].endswith("/orders")]) == 2  # one retry, not minutes of them
    with pytest.raises(OnboardingError):
        woo_store_url_normalise("https://shop.example.com:abc")
    assert not ShopConnection.objects.filter(integration=integration).exists()
