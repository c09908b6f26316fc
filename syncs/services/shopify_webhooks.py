"""Shopify webhook deliveries: verified, stored once per webhook id, queued; and the run each becomes.

An installed app's deliveries are signed with the app's client secret (the previous one is accepted
too while it is rotated); a custom app's with the webhook secret support stored for it.
Deduplication is per integration. The compliance topics (at /hooks/shopify/compliance/, the
app-level address, or the integration's own) are recorded and acted on by
syncs/services/compliance.py. Processing a stored event: syncs/services/webhook_events.py.
"""

from __future__ import annotations

import logging

from django.conf import settings

from integrations.commerce import ShopRefused
from integrations.connectors.shopify.oauth import shop_domain_clean
from integrations.crypto import reveal
from integrations.models import ShopConnection
from integrations.services.shop_clients import webhook_intake_for
from syncs.models import SourceSystem, WebhookEvent
from syncs.services.compliance import compliance_request_receive
from syncs.services.webhook_intake import IncomingDelivery, WebhookRefused, body_digest, webhook_event_store

logger = logging.getLogger(__name__)

COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}


def _app_secrets() -> tuple[str, ...]:
    return tuple(s for s in (settings.SHOPIFY_CLIENT_SECRET, settings.SHOPIFY_CLIENT_SECRET_PREVIOUS) if s)


def _connection_secrets(connection: ShopConnection) -> tuple[str, ...]:
    if connection.install_mode == ShopConnection.InstallMode.APP:
        return _app_secrets()
    return tuple(s for s in (reveal(connection.webhook_secret),) if s)


def shopify_delivery_receive(*, integration_id: int, delivery: IncomingDelivery) -> None:
    """A delivery to the integration's address: verified against its shop, then stored and queued
    (a compliance topic as a compliance request). Raises WebhookRefused."""
    connection = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.SHOPIFY
    ).first()
    if connection is None:  # no shop, or a WooCommerce store (its deliveries go to /hooks/woocommerce/)
        raise WebhookRefused(404)
    intake = webhook_intake_for(platform=ShopConnection.Platform.SHOPIFY)
    body, headers = delivery.raw_body, delivery.headers
    verified = intake.webhook_verified(headers=headers, body=body, secrets=_connection_secrets(connection))
    try:
        parsed = intake.webhook_delivery(headers=headers, body=body) if verified else None
    except ShopRefused:
        logger.warning("Refused a Shopify webhook for integration %s: the body is not a JSON object.", integration_id)
        raise WebhookRefused(400) from None
    if parsed is None or (parsed.shop_domain and parsed.shop_domain != connection.shop_domain):
        # Never log the body, the header value or the secret: only that a delivery was refused.
        logger.warning("Refused a Shopify webhook for integration %s: signature check failed.", integration_id)
        raise WebhookRefused(401)
    if parsed.topic in COMPLIANCE_TOPICS:
        compliance_request_receive(
            shop_domain=connection.shop_domain,
            topic=parsed.topic,
            webhook_id=parsed.delivery_id or body_digest(body),
            payload=parsed.payload,
        )
        return
    webhook_event_receive(
        integration_id=integration_id,
        webhook_id=parsed.delivery_id,
        topic=parsed.topic,
        payload=parsed.payload,
        raw_body=body,
    )


def shopify_compliance_delivery_receive(*, delivery: IncomingDelivery) -> None:
    """A delivery to the app's compliance address (one for all shops), signed with the app's client
    secret: recorded as a compliance request. Raises WebhookRefused."""
    intake = webhook_intake_for(platform=ShopConnection.Platform.SHOPIFY)
    body, headers = delivery.raw_body, delivery.headers
    if not intake.webhook_verified(headers=headers, body=body, secrets=_app_secrets()):
        logger.warning("Refused a Shopify compliance webhook: signature check failed.")
        raise WebhookRefused(401)
    try:
        parsed = intake.webhook_delivery(headers=headers, body=body)
    except ShopRefused:
        raise WebhookRefused(400) from None
    shop = shop_domain_clean(parsed.shop_domain or str(parsed.payload.get("shop_domain")))
    if parsed.topic not in COMPLIANCE_TOPICS or shop is None:
        raise WebhookRefused(400)
    compliance_request_receive(
        shop_domain=shop,
        topic=parsed.topic,
        webhook_id=parsed.delivery_id or body_digest(body),
        payload=parsed.payload,
    )


def webhook_event_receive(
    *, integration_id: int, webhook_id: str, topic: str, payload: dict, raw_body: bytes = b""
) -> tuple[WebhookEvent, bool]:
    """Store a verified event once per webhook id; enqueue processing only for a new one.
    Shopify always sends a webhook id; if a proxy drops it, the body's digest still dedupes."""
    return webhook_event_store(
        integration_id=integration_id,
        source_system=SourceSystem.SHOPIFY,
        webhook_id=webhook_id,
        topic=topic,
        payload=payload,
        raw_body=raw_body,
    )
