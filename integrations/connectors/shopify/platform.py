"""Shopify as a shop platform: the GraphQL client plus what the platform Protocols ask beyond it.

``ShopifyPlatform`` is the ShopifyClient every flow gets (integrations/commerce/platform.py's
``ShopPlatform``, ``ShopCatalogue``, ``ShopFulfilment`` and ``ShopWebhooks``): it names its platform
and reads an order back from the JSON Shopify sent for it (``Order.raw``).
"""

from __future__ import annotations

from integrations.commerce import Order
from integrations.connectors.shopify import mappers
from integrations.connectors.shopify.client import ShopifyClient

PLATFORM = "shopify"  # ShopConnection.Platform.SHOPIFY


class ShopifyPlatform(ShopifyClient):
    platform = PLATFORM

    def order_from_raw(self, raw: dict) -> Order:
        return mappers.order(raw)
