"""Shopify webhook deliveries: verified, stored once per webhook id, queued; and the run each becomes.

An installed app's deliveries are signed with the app's client secret (the previous one is accepted
too while it is rotated); a custom app's with the webhook secret support stored for it.
Deduplication is per integration. The compliance topics (at /hooks/shopify/compliance/, the
app-level address, or the integration's own) are recorded and acted on by
syncs/services/compliance.py. Processing a stored event: syncs/services/webhook_events.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django_q.tasks import async_task

from integrations.connectors.shopify import order_edit_from_webhook, webhook_verify
from integrations.connectors.shopify.oauth import shop_domain_clean
from integrations.crypto import reveal
from integrations.models import ShopConnection
from syncs.models import SourceSystem, WebhookEvent
from syncs.services.compliance import compliance_request_receive

logger = logging.getLogger(__name__)

ORDER_TOPICS = {"orders/create", "orders/updated", "orders/paid", "orders/cancelled"}
# Its body is an order_edit (the order's id and the line additions and removals), not an order:
# the run re-reads the order by id.
ORDER_EDIT_TOPICS = {"orders/edited"}
REFUND_TOPICS = {"refunds/create"}
UNINSTALL_TOPICS = {"app/uninstalled"}
COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}


class WebhookRefused(Exception):
    """A delivery the product does not accept; ``status`` is the HTTP answer."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class ShopifyDelivery:
    """One delivery as it came in: the raw body and Shopify's X-Shopify-* headers."""

    raw_body: bytes
    hmac: str = ""
    shop_domain: str = ""
    topic: str = ""
    webhook_id: str = ""


def _app_secrets() -> tuple[str, ...]:
    return tuple(s for s in (settings.SHOPIFY_CLIENT_SECRET, settings.SHOPIFY_CLIENT_SECRET_PREVIOUS) if s)


def _connection_secrets(connection: ShopConnection) -> tuple[str, ...]:
    if connection.install_mode == ShopConnection.InstallMode.APP:
        return _app_secrets()
    return tuple(s for s in (reveal(connection.webhook_secret),) if s)


def _json_object(raw_body: bytes) -> dict | None:
    try:
        payload = json.loads(raw_body)
    except ValueError:
        return None
    # Shopify always sends an object; a list or a number would sit "received" forever.
    return payload if isinstance(payload, dict) else None


def _digest(raw_body: bytes) -> str:
    return f"sha256:{hashlib.sha256(raw_body).hexdigest()}"


def shopify_delivery_receive(*, integration_id: int, delivery: ShopifyDelivery) -> None:
    """A delivery to the integration's address: verified against its shop, then stored and queued
    (a compliance topic as a compliance request). Raises WebhookRefused."""
    connection = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.SHOPIFY
    ).first()
    if connection is None:  # no shop, or a WooCommerce store (its deliveries go to /hooks/woocommerce/)
        raise WebhookRefused(404)
    verified = webhook_verify(
        raw_body=delivery.raw_body, hmac_header=delivery.hmac, secrets=_connection_secrets(connection)
    )
    if not verified or (delivery.shop_domain and delivery.shop_domain != connection.shop_domain):
        # Never log the body, the header value or the secret: only that a delivery was refused.
        logger.warning("Refused a Shopify webhook for integration %s: signature check failed.", integration_id)
        raise WebhookRefused(401)
    payload = _json_object(delivery.raw_body)
    if payload is None:
        logger.warning("Refused a Shopify webhook for integration %s: the body is not a JSON object.", integration_id)
        raise WebhookRefused(400)
    if delivery.topic in COMPLIANCE_TOPICS:
        compliance_request_receive(
            shop_domain=connection.shop_domain,
            topic=delivery.topic,
            webhook_id=delivery.webhook_id or _digest(delivery.raw_body),
            payload=payload,
        )
        return
    webhook_event_receive(
        integration_id=integration_id,
        webhook_id=delivery.webhook_id,
        topic=delivery.topic,
        payload=payload,
        raw_body=delivery.raw_body,
    )


def shopify_compliance_delivery_receive(*, delivery: ShopifyDelivery) -> None:
    """A delivery to the app's compliance address (one for all shops), signed with the app's client
    secret: recorded as a compliance request. Raises WebhookRefused."""
    if not webhook_verify(raw_body=delivery.raw_body, hmac_header=delivery.hmac, secrets=_app_secrets()):
        logger.warning("Refused a Shopify compliance webhook: signature check failed.")
        raise WebhookRefused(401)
    payload = _json_object(delivery.raw_body)
    shop = shop_domain_clean(delivery.shop_domain or str((payload or {}).get("shop_domain")))
    if payload is None or delivery.topic not in COMPLIANCE_TOPICS or shop is None:
        raise WebhookRefused(400)
    compliance_request_receive(
        shop_domain=shop,
        topic=delivery.topic,
        webhook_id=delivery.webhook_id or _digest(delivery.raw_body),
        payload=payload,
    )


def webhook_event_receive(
    *, integration_id: int, webhook_id: str, topic: str, payload: dict, raw_body: bytes = b""
) -> tuple[WebhookEvent, bool]:
    """Store a verified event once per webhook id; enqueue processing only for a new one."""
    # Shopify always sends a webhook id; if a proxy drops it, the body's digest still dedupes.
    webhook_id = webhook_id or _digest(raw_body)
    key = {"integration_id": integration_id, "source_system": SourceSystem.SHOPIFY, "webhook_id": webhook_id[:100]}
    try:
        with transaction.atomic():
            event, created = WebhookEvent.objects.get_or_create(
                **key, defaults={"topic": topic[:100], "payload": payload}
            )
    except IntegrityError:  # a concurrent delivery of the same id won the insert
        return WebhookEvent.objects.get(**key), False
    if created:
        transaction.on_commit(partial(async_task, "syncs.tasks.webhook_event_process_task", event.pk))
    return event, created


def _order_gid(value) -> str:
    if not value:
        return ""
    value = str(value)
    return value if value.startswith("gid://") else f"gid://shopify/Order/{value}"


def _refund_gid(value) -> str:
    if not value:
        return ""
    value = str(value)
    return value if value.startswith("gid://") else f"gid://shopify/Refund/{value}"


def webhook_event_parameters(*, topic: str, payload: dict) -> dict | None:
    """The run parameters a webhook turns into, or None for a topic no flow handles."""
    if topic in ORDER_TOPICS:
        order_id = payload.get("admin_graphql_api_id") or _order_gid(payload.get("id"))
        return {"order_ids": [order_id] if order_id else [], "order_names": [payload.get("name") or ""]}
    if topic in ORDER_EDIT_TOPICS:
        edit = order_edit_from_webhook(payload)
        return {
            "order_ids": [edit.order_id],
            "order_edit": {
                "id": edit.id,
                "added": [line.line_item_id for line in edit.additions],
                "removed": [line.line_item_id for line in edit.removals],
            },
        }
    if topic in REFUND_TOPICS:
        refund_id = payload.get("admin_graphql_api_id") or _refund_gid(payload.get("id"))
        return {"order_ids": [_order_gid(payload.get("order_id"))], "refund_ids": [refund_id]}
    return None
