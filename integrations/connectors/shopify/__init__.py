"""Shopify GraphQL Admin API connector: the only code that speaks Shopify's wire protocol."""

from integrations.connectors.shopify.client import ShopifyClient
from integrations.connectors.shopify.exceptions import (
    ShopifyAmbiguousWriteError,
    ShopifyAuthError,
    ShopifyBulkOperationFailed,
    ShopifyError,
    ShopifyNotFound,
    ShopifyQueryRefused,
    ShopifyStockConflict,
    ShopifyThrottled,
    ShopifyTimeout,
    ShopifyUnavailable,
    ShopifyUserError,
)
from integrations.connectors.shopify.factory import client_for_connection
from integrations.connectors.shopify.platform import ShopifyPlatform
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from integrations.connectors.shopify.webhooks import order_edit_from_webhook, webhook_signature, webhook_verify

__all__ = [
    "SHOPIFY_API_VERSION",
    "ShopifyAmbiguousWriteError",
    "ShopifyAuthError",
    "ShopifyBulkOperationFailed",
    "ShopifyClient",
    "ShopifyError",
    "ShopifyNotFound",
    "ShopifyPlatform",
    "ShopifyQueryRefused",
    "ShopifyStockConflict",
    "ShopifyThrottled",
    "ShopifyTimeout",
    "ShopifyUnavailable",
    "ShopifyUserError",
    "client_for_connection",
    "order_edit_from_webhook",
    "webhook_signature",
    "webhook_verify",
]
