"""WooCommerce webhook deliveries: verify the signature, tell a ping from a delivery, parse.

A delivery is a JSON POST with ``X-WC-Webhook-Topic`` (``order.updated``), ``-Resource``,
``-Event``, ``-ID``, ``-Delivery-ID``, ``-Source`` and ``X-WC-Webhook-Signature``: base64 of the
HMAC-SHA256 of the exact body bytes, keyed by the webhook's secret. When a webhook is created
(or its URL changes) WooCommerce first sends a ping: a form body ``webhook_id=<id>``, unsigned
and without X-WC headers, which must be answered with HTTP 200 exactly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from integrations.connectors.woocommerce.exceptions import WooValidationError, WooWebhookSignatureError

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"
RESOURCE_HEADER = "X-WC-Webhook-Resource"
EVENT_HEADER = "X-WC-Webhook-Event"
ID_HEADER = "X-WC-Webhook-ID"
DELIVERY_HEADER = "X-WC-Webhook-Delivery-ID"
SOURCE_HEADER = "X-WC-Webhook-Source"


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == lowered), "")


def webhook_signature(*, secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(*, secret: str, body: bytes, signature: str) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(webhook_signature(secret=secret, body=body), signature.strip())


@dataclass(frozen=True, kw_only=True)
class WebhookPing:
    webhook_id: int


@dataclass(frozen=True, kw_only=True)
class WebhookDelivery:
    topic: str
    resource: str
    event: str
    webhook_id: int
    delivery_id: str
    source: str
    payload: dict[str, Any] = field(repr=False)

    @property
    def record_id(self) -> int:
        return int(self.payload.get("id") or 0)


def webhook_ping(*, headers: Mapping[str, str], body: bytes) -> WebhookPing | None:
    """The ping WooCommerce sends when a webhook is saved, or None for anything else."""
    if _header(headers, TOPIC_HEADER) or _header(headers, SIGNATURE_HEADER):
        return None
    values = parse_qs(body.decode("utf-8", "replace"), strict_parsing=False)
    raw = values.get("webhook_id", [""])[0]
    return WebhookPing(webhook_id=int(raw)) if raw.isdigit() else None


def webhook_verified(*, headers: Mapping[str, str], body: bytes, secrets: Sequence[str]) -> bool:
    signature = _header(headers, SIGNATURE_HEADER)
    return any(signature_valid(secret=secret, body=body, signature=signature) for secret in secrets)


def webhook_parse(*, headers: Mapping[str, str], body: bytes, secret: str) -> WebhookDelivery:
    """Verify and parse a delivery. Raises WooWebhookSignatureError or WooValidationError."""
    if not webhook_verified(headers=headers, body=body, secrets=(secret,)):
        raise WooWebhookSignatureError("The webhook signature does not match the body.", code="invalid_signature")
    return webhook_delivery_parse(headers=headers, body=body)


def webhook_delivery_parse(*, headers: Mapping[str, str], body: bytes) -> WebhookDelivery:
    """Parse a verified delivery. Raises WooValidationError."""
    topic = _header(headers, TOPIC_HEADER)
    resource, _, event = topic.partition(".")
    try:
        payload = json.loads(body)
    except ValueError:
        raise WooValidationError("The webhook body is not JSON.", code="invalid_webhook_body") from None
    if not isinstance(payload, dict) or not resource or not event:
        raise WooValidationError("The webhook has no topic or no JSON object.", code="invalid_webhook_body")
    webhook_id = _header(headers, ID_HEADER)
    return WebhookDelivery(
        topic=topic,
        resource=_header(headers, RESOURCE_HEADER) or resource,
        event=_header(headers, EVENT_HEADER) or event,
        webhook_id=int(webhook_id) if webhook_id.isdigit() else 0,
        delivery_id=_header(headers, DELIVERY_HEADER),
        source=_header(headers, SOURCE_HEADER),
        payload=payload,
    )
