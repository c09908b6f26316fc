"""WooCommerce connector exceptions become WOO codes, keeping WooCommerce's code and message."""

from __future__ import annotations

import pytest

from integrations.connectors.woocommerce import (
    WooAuthError,
    WooError,
    WooInsecureStoreUrl,
    WooNotFound,
    WooResponseError,
    WooServerError,
    WooThrottled,
    WooTimeout,
    WooTransportError,
    WooValidationError,
    WooWebhookSignatureError,
)
from syncs.errors import classify_exception, get_error


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (
            WooAuthError("Consumer secret is invalid.", code="woocommerce_rest_authentication_error", status=401),
            "WOO-001",
        ),
        (WooNotFound("Invalid ID.", code="woocommerce_rest_shop_order_invalid_id", status=404), "WOO-002"),
        (WooThrottled("Too many requests", status=429), "WOO-003"),
        (WooServerError("Internal Server Error", status=503), "WOO-004"),
        (WooTransportError("Could not reach the store", code="transport_connection_error"), "WOO-004"),
        (WooTimeout("No answer in time", code="transport_timeout"), "WOO-004"),
        (WooValidationError("Invalid parameter(s): stock_quantity", code="rest_invalid_param", status=400), "WOO-005"),
        (WooWebhookSignatureError("The webhook signature does not match the body."), "WOO-006"),
        (WooInsecureStoreUrl("must start with https://"), "WOO-007"),
        (WooResponseError("not JSON", code="invalid_json", status=200), "WOO-008"),
        (WooError("redirected", status=302), "WOO-008"),
        (WooError("something else", code="odd"), "WOO-009"),
    ],
)
def test_woo_exceptions_map_to_their_codes(exc, code):
    exc.store = "https://shop.example.se"

    error = classify_exception(exc)

    assert error.code == code
    assert error.vendor_message == exc.message
    assert "https://shop.example.se" in error.message or "{store}" not in str(get_error(code).message)


def test_vendor_code_is_kept_and_retryability_follows_the_entry():
    error = classify_exception(WooThrottled("slow down", code="too_many", status=429, store="https://s.example"))

    assert (error.vendor_code, error.retryable) == ("too_many", True)
    assert not classify_exception(WooAuthError("no", status=401)).retryable
