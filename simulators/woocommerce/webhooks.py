"""Webhook deliveries and pings as WooCommerce sends them (headers, signature, body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import requests

USER_AGENT = "WooCommerce/9.4.0 Hookshot (WordPress/6.7)"


class WebhookSender:
    def __init__(self, *, source: str) -> None:
        self.source = source.rstrip("/") + "/"
        self._delivery = 0

    def build(
        self, topic: str, payload: dict[str, Any], secret: str, *, webhook_id: int = 1, delivery_id: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of one delivery: JSON body, base64 HMAC-SHA256 of the exact bytes."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        self._delivery += 1
        resource, _, event = topic.partition(".")
        signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        return body, {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-WC-Webhook-Source": self.source,
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": signature,
            "X-WC-Webhook-ID": str(webhook_id),
            "X-WC-Webhook-Delivery-ID": delivery_id
            or hashlib.md5(f"{webhook_id}{self._delivery}".encode()).hexdigest(),  # noqa: S324
        }

    def ping(self, *, webhook_id: int) -> tuple[bytes, dict[str, str]]:
        """The unsigned ping sent when a webhook is saved: a form body, no X-WC headers."""
        return f"webhook_id={webhook_id}".encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": USER_AGENT,
        }

    def deliver(self, url: str, body: bytes, headers: dict[str, str], *, verify: Any = True) -> int:
        """POST to ``url`` the way WooCommerce does (no redirects followed); return the status."""
        response = requests.post(url, data=body, headers=headers, timeout=60, allow_redirects=False, verify=verify)
        return response.status_code

    @staticmethod
    def delivered(status: int) -> bool:
        """WooCommerce counts 200-302 as delivered; a ping needs exactly 200."""
        return 200 <= status <= 302
