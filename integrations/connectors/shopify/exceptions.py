"""The Shopify connector's exception hierarchy. Messages never carry tokens or secrets."""

from __future__ import annotations


class ShopifyError(Exception):
    """Any failure talking to the Shopify Admin API."""

    def __init__(self, message: str, *, status: int | None = None, errors: list | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or []


class ShopifyAuthError(ShopifyError):
    """401/403: the access token is invalid, revoked, or lacks a scope."""


class ShopifyThrottled(ShopifyError):
    """The cost bucket stayed empty after the retry budget was spent."""


class ShopifyNotFound(ShopifyError):
    """The requested object does not exist (or the shop domain is unknown)."""


class ShopifyUserError(ShopifyError):
    """A mutation answered with ``userErrors`` (validation of the input, not transport)."""

    def __init__(self, message: str, *, user_errors: list[dict], product_id: str = "") -> None:
        super().__init__(message, errors=user_errors)
        self.user_errors = user_errors
        # Set when a product create was half applied (product made, variants refused): update it
        # rather than create another one.
        self.product_id = product_id
