"""A stored webhook event (Shopify's or WooCommerce's) processed: its order or refund ids handed to
the orders (or refunds) flow as a webhook-triggered run; app/uninstalled pauses the integration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrations.connectors.shopify import ShopifyError
from integrations.models import Flow, Integration
from integrations.services.shopify_install import shop_app_uninstalled
from syncs.models import SourceSystem, SyncRun, WebhookEvent
from syncs.services.dispatch import flow_enqueue
from syncs.services.shopify_webhooks import REFUND_TOPICS, UNINSTALL_TOPICS, webhook_event_parameters
from syncs.services.woocommerce_webhooks import woo_webhook_parameters


def webhook_event_process(*, event_id: int) -> WebhookEvent:
    """Hand the event's order/refund ids to the orders (or refunds) flow as a webhook-triggered run."""
    event = WebhookEvent.objects.select_related("integration").get(pk=event_id)
    if event.state != WebhookEvent.State.RECEIVED:
        return event
    if not isinstance(event.payload, dict):
        _event_mark(event, state=WebhookEvent.State.FAILED, note="The body is not a JSON object: nothing to process.")
        return event
    if event.topic in UNINSTALL_TOPICS:
        recorded = shop_app_uninstalled(integration_id=event.integration_id)
        note = "The app was uninstalled: integration paused." if recorded else "Uninstall already recorded."
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note=note)
        return event
    try:
        if event.source_system == SourceSystem.WOOCOMMERCE:
            parameters = woo_webhook_parameters(topic=event.topic, payload=event.payload)
        else:
            parameters = webhook_event_parameters(topic=event.topic, payload=event.payload)
    except ShopifyError as error:
        _event_mark(event, state=WebhookEvent.State.FAILED, note=f"{error.code}: {error}")
        return event
    if parameters is None:
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note=f"Topic {event.topic} needs no processing.")
        return event
    flow = Flow.REFUNDS if event.topic in REFUND_TOPICS else Flow.ORDERS
    if event.integration.status in (Integration.Status.DISABLED,):
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note="Integration disabled: not synced.")
        return event
    with transaction.atomic():
        run = flow_enqueue(
            integration_id=event.integration_id,
            flow=flow,
            trigger=SyncRun.Trigger.WEBHOOK,
            parameters={**parameters, "webhook_event_id": event.pk},
        )
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note=f"Queued {flow} run #{run.pk}.")
    return event


def _event_mark(event: WebhookEvent, *, state: str, note: str) -> None:
    processed_at = timezone.now() if state == WebhookEvent.State.PROCESSED else None
    WebhookEvent.objects.filter(pk=event.pk).update(state=state, error_message=note, processed_at=processed_at)
    event.state, event.error_message, event.processed_at = state, note, processed_at
