"""WooCommerce errors as typed exceptions.

WooCommerce (through the WordPress REST server) answers errors with
``{"code": "woocommerce_rest_...", "message": "...", "data": {"status": 404}}``. Every exception
keeps WooCommerce's code, its message, the HTTP status and the store URL; none ever carries a
request header or the consumer secret.
"""

from __future__ import annotations

from typing import Any

from integrations.commerce.errors import ShopAuthError, ShopError, ShopRefused


class WooError(ShopError):
    """Base of every WooCommerce client error."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None, store: str = "") -> None:
        self.code = code
        self.message = message
        self.status = status
        self.store = store
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = f"{self.code}: " if self.code else ""
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{prefix}{self.message}{status}"


class WooAuthError(WooError, ShopAuthError):
    """401/403: the consumer key or secret is wrong, revoked, or lacks read/write permission."""


class WooNotFound(WooError):
    """404: the store, the REST route (permalinks, plugin off) or the record does not exist."""


class WooValidationError(WooError, ShopRefused):
    """400/409/413/422: WooCommerce refused the data. Not retryable."""


class WooThrottled(WooError):
    """429 still returned after the retry budget was spent."""


class WooServerError(WooError):
    """5xx from WordPress, PHP or the host's gateway."""


class WooTransportError(WooError):
    """No HTTP answer: connection refused, DNS, TLS, or dropped."""


class WooTimeout(WooTransportError):
    """No HTTP answer within the (connect, read) timeout."""


class WooAmbiguousWriteError(WooError):
    """A write may or may not have been applied (timeout or dropped connection after sending, 502/504)."""


class WooPagingLimitExceeded(WooError):
    """A collection had more pages than the client's page cap; refused rather than truncated."""


class WooInsecureStoreUrl(WooError):
    """Consumer key and secret travel only over HTTPS (WooCommerce refuses basic auth on plain HTTP)."""


class WooResponseError(WooError):
    """A 2xx answer whose body is not the JSON the route documents (a cache or security plugin page)."""


class WooWebhookSignatureError(WooError):
    """X-WC-Webhook-Signature is missing or does not match the body."""


def error_class_for(*, status: int | None) -> type[WooError]:
    if status in (401, 403):
        return WooAuthError
    if status in (404, 410):
        return WooNotFound
    if status == 429:
        return WooThrottled
    if status is not None and status >= 500:
        return WooServerError
    if status is not None and 400 <= status < 500:
        return WooValidationError
    return WooError


def error_from_body(*, status: int | None, body: Any, store: str = "", fallback_message: str = "") -> WooError:
    """The typed exception for an error response (WordPress's error shape, or anything else)."""
    if isinstance(body, dict) and "code" in body:
        code = str(body.get("code") or "")
        message = str(body.get("message") or "") or fallback_message
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get("status"), int) and status is None:
            status = data["status"]
    else:
        code, message = "", fallback_message or f"HTTP {status}"
    return error_class_for(status=status)(message, code=code, status=status, store=store)
