"""Shopify webhook signature check: HMAC-SHA256 of the raw body with the app's secret, base64."""

from __future__ import annotations

import base64
import hashlib
import hmac

# Shopify's own payloads stay far below this; the cap bounds the work an attacker can cause.
DEFAULT_MAX_BYTES = 1_000_000


def webhook_signature(*, raw_body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_verify(*, raw_body: bytes, hmac_header: str, secret: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bool:
    """True when ``hmac_header`` is the signature of ``raw_body``.

    An oversized body is refused without hashing it (callers that want to answer 413 compare the
    length first). An empty secret never verifies: an unconfigured connection accepts nothing.
    """
    if len(raw_body) > max_bytes or not secret or not hmac_header:
        return False
    expected = webhook_signature(raw_body=raw_body, secret=secret)
    return hmac.compare_digest(expected.encode(), hmac_header.strip().encode())
