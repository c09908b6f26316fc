"""WooCommerce webhook deliveries: answer the ping, verify against the integration's webhook secret,
store a verified delivery once and queue its processing. Verifying and parsing are the platform's
(``ShopWebhookIntake``: integrations/connectors/woocommerce/intake.py), as is the run a delivery
becomes (an ``order.created`` or ``order.updated`` delivery, a refund arriving as ``order.updated``,
is an orders run for that order id; other topics need no processing).

Deduplication is per integration by ``X-WC-Webhook-Delivery-ID`` (a digest of the body when a proxy
dropped it). Processing itself is shared with Shopify's deliveries
(syncs.services.webhook_events.webhook_event_process).
"""

from __future__ import annotations

import logging

from integrations.commerce import ShopRefused
from integrations.commerce.webhooks import ShopWebhookDelivery
from integrations.crypto import reveal
from integrations.models import ShopConnection
from integrations.services.shop_clients import webhook_intake_for
from syncs.models import SourceSystem, WebhookEvent
from syncs.services.webhook_intake import IncomingDelivery, WebhookRefused, webhook_event_store

logger = logging.getLogger(__name__)


def woo_delivery_receive(*, integration_id: int, delivery: IncomingDelivery) -> None:
    """A delivery to the integration's address: a ping is answered, anything else is verified,
    stored once and queued. Raises WebhookRefused."""
    intake = webhook_intake_for(platform=ShopConnection.Platform.WOOCOMMERCE)
    body, headers = delivery.raw_body, delivery.headers
    if intake.webhook_ping(headers=headers, body=body):
        return
    connection = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.WOOCOMMERCE
    ).first()
    if connection is None:
        raise WebhookRefused(404)
    secret = reveal(connection.webhook_secret)
    if not intake.webhook_verified(headers=headers, body=body, secrets=(secret,)):
        logger.warning("Refused a WooCommerce webhook for integration %s: signature check failed.", integration_id)
        raise WebhookRefused(401)
    try:
        parsed = intake.webhook_delivery(headers=headers, body=body)
    except ShopRefused:
        logger.warning("Refused a WooCommerce webhook for integration %s: no topic or no JSON object.", integration_id)
        raise WebhookRefused(400) from None
    woo_webhook_receive(integration_id=integration_id, delivery=parsed, raw_body=body)


def woo_webhook_receive(
    *, integration_id: int, delivery: ShopWebhookDelivery, raw_body: bytes
) -> tuple[WebhookEvent, bool]:
    """Store a verified delivery once; enqueue processing only for a new one."""
    return webhook_event_store(
        integration_id=integration_id,
        source_system=SourceSystem.WOOCOMMERCE,
        webhook_id=delivery.delivery_id,
        topic=delivery.topic,
        payload=delivery.payload,
        raw_body=raw_body,
    )
