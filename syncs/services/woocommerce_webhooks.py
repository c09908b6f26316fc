"""WooCommerce webhook deliveries: store a verified delivery once, queue its processing, and say
which run it becomes.

Deduplication is per integration by ``X-WC-Webhook-Delivery-ID`` (a digest of the body when a proxy
dropped it). An ``order.created`` or ``order.updated`` delivery (a refund arrives as
``order.updated``) becomes an orders run for that order id; other topics need no processing.
Processing itself is shared with Shopify's deliveries (syncs.services.webhook_events.webhook_event_process).
"""

from __future__ import annotations

import hashlib
from functools import partial

from django.db import IntegrityError, transaction
from django_q.tasks import async_task

from integrations.connectors.woocommerce import WebhookDelivery
from integrations.connectors.woocommerce.commerce import woo_gid, woo_order_name
from syncs.models import SourceSystem, WebhookEvent

ORDER_TOPICS = {"order.created", "order.updated", "order.restored"}


def woo_webhook_receive(
    *, integration_id: int, delivery: WebhookDelivery, raw_body: bytes
) -> tuple[WebhookEvent, bool]:
    """Store a verified delivery once; enqueue processing only for a new one."""
    delivery_id = delivery.delivery_id or f"sha256:{hashlib.sha256(raw_body).hexdigest()}"
    key = {
        "integration_id": integration_id,
        "source_system": SourceSystem.WOOCOMMERCE,
        "webhook_id": delivery_id[:100],
    }
    try:
        with transaction.atomic():
            event, created = WebhookEvent.objects.get_or_create(
                **key, defaults={"topic": delivery.topic[:100], "payload": delivery.payload}
            )
    except IntegrityError:  # a concurrent delivery of the same id won the insert
        return WebhookEvent.objects.get(**key), False
    if created:
        transaction.on_commit(partial(async_task, "syncs.tasks.webhook_event_process_task", event.pk))
    return event, created


def woo_webhook_parameters(*, topic: str, payload: dict) -> dict | None:
    """The orders run a delivery turns into, or None for a topic no flow handles."""
    if topic not in ORDER_TOPICS:
        return None
    order_id = payload.get("id")
    if not isinstance(order_id, int) or order_id <= 0:
        return {"order_ids": [], "order_names": []}
    return {
        "order_ids": [woo_gid("Order", order_id)],
        "order_names": [woo_order_name(payload.get("number") or order_id)],
    }
