"""WooCommerce connector (REST API v3, ``/wp-json/wc/v3``).

    client = WooCommerceClient(store_url="https://shop.example.se", consumer_key="ck_...",
                               consumer_secret="cs_...")
    for order in client.orders_iter(modified_after=since):
        ...

transport.py: basic auth over HTTPS, retries, errors; client.py: operations and paging;
records.py / payloads.py: what is read and written; webhooks.py: signature, ping, parsing;
commerce.py / platform.py: translation into the product's order model.
"""

from integrations.connectors.woocommerce.client import WooCommerceClient
from integrations.connectors.woocommerce.commerce import woo_order_translate, woo_product_translate
from integrations.connectors.woocommerce.exceptions import (
    WooAmbiguousWriteError,
    WooAuthError,
    WooError,
    WooInsecureStoreUrl,
    WooNotFound,
    WooPagingLimitExceeded,
    WooResponseError,
    WooServerError,
    WooThrottled,
    WooTimeout,
    WooTransportError,
    WooValidationError,
    WooWebhookSignatureError,
)
from integrations.connectors.woocommerce.payloads import ProductWrite, StockUpdate, VariationWrite, WebhookCreate
from integrations.connectors.woocommerce.platform import WooCommerceShop
from integrations.connectors.woocommerce.records import (
    VariationResult,
    WooOrderNote,
    WooProduct,
    WooVariation,
    WooWebhook,
)
from integrations.connectors.woocommerce.webhooks import (
    WebhookDelivery,
    WebhookPing,
    signature_valid,
    webhook_parse,
    webhook_ping,
    webhook_signature,
)

__all__ = [
    "ProductWrite",
    "VariationResult",
    "VariationWrite",
    "WooProduct",
    "WooVariation",
    "StockUpdate",
    "WebhookCreate",
    "WebhookDelivery",
    "WebhookPing",
    "WooAmbiguousWriteError",
    "WooAuthError",
    "WooCommerceClient",
    "WooCommerceShop",
    "WooError",
    "WooInsecureStoreUrl",
    "WooNotFound",
    "WooOrderNote",
    "WooPagingLimitExceeded",
    "WooResponseError",
    "WooServerError",
    "WooThrottled",
    "WooTimeout",
    "WooTransportError",
    "WooValidationError",
    "WooWebhook",
    "WooWebhookSignatureError",
    "signature_valid",
    "webhook_parse",
    "webhook_ping",
    "webhook_signature",
    "woo_order_translate",
    "woo_product_translate",
]
