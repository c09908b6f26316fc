"""The seams: the production factory builds each client from the stored connections, and both shop
platforms answer the shop Protocols the core types its shop client as."""

from __future__ import annotations

import pytest

from integrations.commerce import ShopError, ShopRefused
from integrations.commerce.platform import ShopCatalogue, ShopFulfilment, ShopPlatform, ShopWebhooks
from integrations.connectors.shopify import ShopifyPlatform, ShopifyUserError
from integrations.connectors.woocommerce import WooCommerceClient, WooCommerceShop
from integrations.connectors.woocommerce.exceptions import WooValidationError
from integrations.models import ShopConnection
from syncs.clients import ConnectionClients, client_factory_default
from tests.factories import PaymentProviderConnectionFactory, ShopConnectionFactory
from tests.fixtures.clients import StaticClients

pytestmark = pytest.mark.django_db

PROTOCOL_METHODS = {
    role: {name for name in vars(role) if not name.startswith("_") and name != "platform"}
    for role in (ShopPlatform, ShopCatalogue, ShopFulfilment, ShopWebhooks)
}


def _missing(client, *roles) -> list[str]:
    return sorted(name for role in roles for name in PROTOCOL_METHODS[role] if not hasattr(client, name))


def test_shopify_implements_every_shop_role():
    shop = ShopifyPlatform(shop_domain="shop.myshopify.com", access_token="token")

    assert isinstance(shop, ShopPlatform) and shop.platform == ShopConnection.Platform.SHOPIFY
    assert _missing(shop, ShopPlatform, ShopCatalogue, ShopFulfilment, ShopWebhooks) == []


def test_woocommerce_implements_the_shop_platform():
    shop = WooCommerceShop(
        client=WooCommerceClient(store_url="https://store.example", consumer_key="ck_1", consumer_secret="cs_1")
    )

    assert isinstance(shop, ShopPlatform) and shop.platform == ShopConnection.Platform.WOOCOMMERCE
    assert _missing(shop, ShopPlatform) == []


def test_shop_failures_share_the_commerce_base():
    assert issubclass(ShopifyUserError, ShopRefused) and issubclass(WooValidationError, ShopRefused)
    assert issubclass(ShopRefused, ShopError)


def test_the_production_factory_builds_from_the_stored_connections():
    shop_connection = ShopConnectionFactory()
    integration = shop_connection.integration
    PaymentProviderConnectionFactory(integration=integration)
    factory = ConnectionClients()

    shop = factory.shop(integration=integration)
    (provider,) = factory.payout_providers(integration=integration)

    assert isinstance(shop, ShopifyPlatform) and shop.shop_domain == shop_connection.shop_domain
    assert provider.name == "stripe"


def test_the_setting_names_the_default_factory(settings):
    settings.SYNC_CLIENT_FACTORY = "syncs.clients.ConnectionClients"
    assert isinstance(client_factory_default(), ConnectionClients)

    settings.SYNC_CLIENT_FACTORY = "tests.fixtures.clients.StaticClients"
    assert isinstance(client_factory_default(), StaticClients)

    given = StaticClients()
    settings.SYNC_CLIENT_FACTORY = given
    assert client_factory_default() is given
