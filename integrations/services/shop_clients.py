"""The shop client of a stored connection: the one place that chooses by shop platform.

Shopify gets its GraphQL client (ShopifyPlatform, with the installed app's refreshing token);
WooCommerce gets its REST client wrapped in WooCommerceShop. Both implement ``ShopPlatform``
(integrations/commerce/platform.py): orders by window, name and id, customers, order usage, in the
product's order model. A third platform plugs
in here and nowhere else in the flows.
"""

from __future__ import annotations

from integrations.commerce.platform import ShopPlatform
from integrations.connectors.woocommerce import WooCommerceClient, WooCommerceShop
from integrations.crypto import reveal
from integrations.models import ShopConnection
from integrations.services.shopify_tokens import shop_client_for


def woo_client_for(*, connection: ShopConnection, **options) -> WooCommerceClient:
    """The REST client of a WooCommerce connection; the key pair is decrypted only here."""
    return WooCommerceClient(
        store_url=connection.store_url,
        consumer_key=reveal(connection.consumer_key),
        consumer_secret=reveal(connection.consumer_secret),
        **options,
    )


def shop_client_build(*, connection: ShopConnection) -> ShopPlatform:
    """The platform switch: the client the flows read the shop through."""
    if connection.platform == ShopConnection.Platform.WOOCOMMERCE:
        return WooCommerceShop(client=woo_client_for(connection=connection))
    return shop_client_for(connection=connection)
