"""Shopify GraphQL Admin API connector: the only code that speaks Shopify's wire protocol."""

from integrations.connectors.shopify.client import ShopifyClient
from integrations.connectors.shopify.exceptions import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyNotFound,
    ShopifyThrottled,
    ShopifyUserError,
)
from integrations.connectors.shopify.webhooks import webhook_signature, webhook_verify

__all__ = [
    "ShopifyAuthError",
    "ShopifyClient",
    "ShopifyError",
    "ShopifyNotFound",
    "ShopifyThrottled",
    "ShopifyUserError",
    "webhook_signature",
    "webhook_verify",
]
