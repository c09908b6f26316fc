"""The Shopify connector's exception hierarchy. Messages never carry tokens or secrets.

Every exception carries ``code``: the product's catalogue code for the condition
(syncs/errors/catalogue.py), so a failure is classified without guessing from its text.
"""

from __future__ import annotations

from integrations.commerce.errors import ShopAuthError, ShopError, ShopRefused, ShopStockConflict


class ShopifyError(ShopError):
    """Any failure talking to the Shopify Admin API."""

    code = "SHOP-099"
    shop = ""  # the shop's domain, set by the transport on everything it raises

    def __init__(self, message: str, *, status: int | None = None, errors: list | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


class ShopifyAuthError(ShopifyError, ShopAuthError):
    """401/403 or ACCESS_DENIED: the access token is invalid, revoked, or lacks a scope."""

    code = "SHOP-001"


class ShopifyNotFound(ShopifyError):
    """The requested object does not exist (or the shop domain is unknown: HTTP 404)."""

    code = "SHOP-002"


class ShopifyThrottled(ShopifyError):
    """429 or THROTTLED answers outlasted the retry budget."""

    code = "SHOP-003"


class ShopifyUnavailable(ShopifyError):
    """5xx answers or transport failures (refused, timed out, dropped) outlasted the retry budget."""

    code = "SHOP-005"


class ShopifyUnreachable(ShopifyUnavailable):
    """The connection to Shopify failed (refused, reset, name not resolved) on every attempt."""

    code = "SHOP-011"


class ShopifyTimeout(ShopifyUnavailable):
    """Shopify did not answer a read in time, on every attempt."""


class ShopifyAmbiguousWriteError(ShopifyError):
    """A mutation was sent but no clear answer came back: it may have been applied. Never resent."""

    code = "SHOP-008"


class ShopifyStockConflict(ShopifyError, ShopStockConflict):
    """inventorySetQuantities kept answering CHANGE_FROM_QUANTITY_STALE after re-reading the levels."""

    code = "SHOP-006"

    def __init__(self, message: str, *, inventory_item_ids: list[str], attempts: int) -> None:
        super().__init__(message)
        self.inventory_item_ids = inventory_item_ids
        self.attempts = attempts


class ShopifyBulkOperationFailed(ShopifyError):
    """A bulk operation ended FAILED, CANCELED or EXPIRED, or did not finish in time."""

    code = "SHOP-007"

    def __init__(self, message: str, *, operation_id: str = "", status: str = "", error_code: str = "") -> None:
        super().__init__(message)
        self.operation_id = operation_id
        self.bulk_status = status
        self.error_code = error_code


class ShopifyQueryRefused(ShopifyError):
    """Shopify refused the document itself (a GraphQL validation error or MAX_COST_EXCEEDED)."""

    code = "SHOP-009"


class ShopifyUserError(ShopifyError, ShopRefused):
    """A mutation answered with ``userErrors`` (validation of the input, not transport)."""

    def __init__(self, message: str, *, user_errors: list[dict], product_id: str = "") -> None:
        super().__init__(message, errors=user_errors)
        self.user_errors = user_errors
        # Set when a product create was half applied (product made, variants refused): update it
        # rather than create another one.
        self.product_id = product_id


class ShopifyOAuthError(ShopifyError):
    """The app installation could not be completed (a callback that fails its checks, a code
    Shopify will not exchange, an answer without a token)."""

    code = "SHOP-020"


class ShopifyRefreshRefused(ShopifyOAuthError):
    """Shopify refused the refresh token (revoked, expired, app uninstalled): only the merchant
    installing the app again gives a new one."""

    code = "SHOP-021"


def raise_user_errors(payload: dict, operation: str) -> None:
    """Raise ShopifyUserError when a mutation's answer carries ``userErrors``."""
    user_errors = payload.get("userErrors") or []
    if user_errors:
        message = "; ".join(
            f"{'.'.join(e.get('field') or []) or '-'}: {e.get('message', '')}".strip() for e in user_errors
        )
        raise ShopifyUserError(f"{operation} refused: {message}", user_errors=user_errors)
