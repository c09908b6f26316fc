"""The HMAC signature of Adyen's classic notification items (REPORT_AVAILABLE among them).

Signing string: pspReference, originalReference, merchantAccountCode, merchantReference,
amount.value, amount.currency, eventCode, success, joined by ":" (a missing value is empty, the
separator stays); HMAC-SHA256 with the hex key decoded to bytes; base64 of the digest, compared in
constant time with ``additionalData.hmacSignature``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

FIELDS = ("pspReference", "originalReference", "merchantAccountCode", "merchantReference")


def signing_string(item: dict[str, Any]) -> str:
    amount = item.get("amount") or {}
    values = [*(item.get(name) for name in FIELDS), amount.get("value"), amount.get("currency")]
    values += [item.get("eventCode"), item.get("success")]
    return ":".join("" if value is None else str(value) for value in values)


def hmac_signature(item: dict[str, Any], *, hmac_key_hex: str) -> str:
    key = binascii.unhexlify(hmac_key_hex.strip())
    digest = hmac.new(key, signing_string(item).encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def notification_verify(item: dict[str, Any], *, hmac_key_hex: str) -> bool:
    """True when the item's ``additionalData.hmacSignature`` is right for ``hmac_key_hex``."""
    given = ((item.get("additionalData") or {}).get("hmacSignature") or "").strip()
    if not given or not hmac_key_hex:
        return False
    try:
        expected = hmac_signature(item, hmac_key_hex=hmac_key_hex)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
