"""Shopify GraphQL Admin API simulator (subset), with cost throttling, bulk operations and
signed webhooks. ``ShopifySimulator(shop_domain=..., access_token=..., seed=42)`` is a WSGI app.
"""

from simulators.shopify.app import ShopifySimulator

__all__ = ["ShopifySimulator"]
