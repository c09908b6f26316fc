"""Webhook deliveries and pings as WooCommerce sends them (headers, signature, body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

USER_AGENT = "WooCommerce/9.4.0 Hookshot (WordPress/6.7)"
MAX_FAILURES = 5  # more consecutive failed deliveries than this disable the webhook


@dataclass
class Webhook:
    id: int
    topic: str
    delivery_url: str
    secret: str
    name: str = ""
    status: str = "active"
    failure_count: int = 0
    pending_delivery: bool = True
    queue: list[dict[str, Any]] = field(default_factory=list)


class WebhookRefused(Exception):
    """The delivery URL did not answer the ping with HTTP 200 (WooCommerce refuses to save it)."""


class WebhookSender:
    def __init__(self, *, source: str) -> None:
        self.source = source.rstrip("/") + "/"
        self._delivery = 0
        self.subscriptions: dict[int, Webhook] = {}
        self.verify: Any = True  # what deliveries trust (a CA file for a receiver over TLS)
        # How a POST reaches the receiver: (url, body, headers) -> HTTP status. Over HTTP by default;
        # a test may hand deliveries to its own client instead.
        self.post: Callable[[str, bytes, dict[str, str]], int] | None = None
        self._next_id = 1
        self.pings: list[tuple[int, int]] = []  # (webhook id, status the delivery URL answered)

    def _new(self, *, topic: str, delivery_url: str, secret: str, name: str = "") -> Webhook:
        webhook = Webhook(id=self._next_id, topic=topic, delivery_url=delivery_url, secret=secret, name=name)
        self._next_id += 1
        return webhook

    def _ping(self, webhook: Webhook) -> int:
        try:
            status = self.deliver(webhook.delivery_url, *self.ping(webhook_id=webhook.id), verify=self.verify)
        except requests.RequestException:
            status = 0
        self.pings.append((webhook.id, status))
        if status == 200:
            webhook.pending_delivery = False
        return status

    def add(self, *, topic: str, delivery_url: str, secret: str) -> Webhook:
        """Save an active webhook from the admin screen: the ping must answer HTTP 200 exactly."""
        webhook = self._new(topic=topic, delivery_url=delivery_url, secret=secret)
        status = self._ping(webhook)
        if status != 200:
            raise WebhookRefused(f"Delivery URL returned response code: {status}")
        self.subscriptions[webhook.id] = webhook
        return webhook

    def create(self, *, topic: str, delivery_url: str, secret: str, name: str = "") -> Webhook:
        """Save a webhook through the REST API: saved (and answered 201) first, then pinged; a failed
        ping leaves it saved with ``pending_delivery`` (WC_REST_Webhooks_V1_Controller::create_item)."""
        webhook = self._new(topic=topic, delivery_url=delivery_url, secret=secret, name=name)
        self.subscriptions[webhook.id] = webhook
        self._ping(webhook)
        return webhook

    def remove(self, webhook_id: int) -> Webhook | None:
        return self.subscriptions.pop(webhook_id, None)

    def fire(self, topic: str, payload: dict[str, Any]) -> None:
        """Queue ``payload`` for the active webhooks of ``topic`` (WooCommerce delivers later, async)."""
        for webhook in self.subscriptions.values():
            if webhook.status == "active" and webhook.topic == topic:
                webhook.queue.append(payload)

    def flush(self) -> list[int]:
        """Deliver what is queued (the Action Scheduler's run); return the HTTP statuses."""
        statuses = []
        for webhook in self.subscriptions.values():
            queue, webhook.queue = webhook.queue, []
            for payload in queue:
                body, headers = self.build(webhook.topic, payload, webhook.secret, webhook_id=webhook.id)
                try:
                    status = self.deliver(webhook.delivery_url, body, headers, verify=self.verify)
                except requests.RequestException:
                    status = 0
                statuses.append(status)
                webhook.failure_count = 0 if self.delivered(status) else webhook.failure_count + 1
                if webhook.failure_count > MAX_FAILURES:
                    webhook.status = "disabled"
        return statuses

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
        if self.post is not None:
            return self.post(url, body, headers)
        response = requests.post(url, data=body, headers=headers, timeout=60, allow_redirects=False, verify=verify)
        return response.status_code

    @staticmethod
    def delivered(status: int) -> bool:
        """WooCommerce counts 200-302 as delivered; a ping needs exactly 200."""
        return 200 <= status <= 302
