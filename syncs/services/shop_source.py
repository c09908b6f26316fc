"""Which shop platform a record read from an integration's shop came from.

Orders, refunds, customers and mark-as-paid payments are stored on RecordLink with the source
system of the connected shop, so a WooCommerce order is never labelled a Shopify one.
"""

from __future__ import annotations

from integrations.models import Integration, ShopConnection
from syncs.models import SourceSystem

_BY_PLATFORM: dict[str, str] = {
    ShopConnection.Platform.SHOPIFY: SourceSystem.SHOPIFY,
    ShopConnection.Platform.WOOCOMMERCE: SourceSystem.WOOCOMMERCE,
}


def shop_source_system(*, integration: Integration) -> str:
    """The RecordLink source system of the integration's shop (Shopify when none is connected yet)."""
    try:
        platform = integration.shop_connection.platform
    except ShopConnection.DoesNotExist:
        return SourceSystem.SHOPIFY
    return _BY_PLATFORM.get(platform, SourceSystem.SHOPIFY)
