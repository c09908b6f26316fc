"""A stored webhook event (Shopify's or WooCommerce's) processed: its order or refund ids handed to
the orders (or refunds) flow as a webhook-triggered run; app/uninstalled pauses the integration."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from integrations.commerce import ShopError
from integrations.models import Flow, Integration
from integrations.services.shop_clients import webhook_intake_for
from integrations.services.shopify_install import shop_app_uninstalled
from syncs.models import SyncRun, WebhookEvent
from syncs.services.dispatch import flow_enqueue


def webhook_event_process(*, event_id: int) -> WebhookEvent:
    """Hand the event's order/refund ids to the orders (or refunds) flow as a webhook-triggered run."""
    event = WebhookEvent.objects.select_related("integration").get(pk=event_id)
    if event.state != WebhookEvent.State.RECEIVED:
        return event
    if not isinstance(event.payload, dict):
        _event_mark(event, state=WebhookEvent.State.FAILED, note="The body is not a JSON object: nothing to process.")
        return event
    # The source system of a webhook event is its platform ("shopify", "woocommerce").
    intake = webhook_intake_for(platform=event.source_system)
    if intake.webhook_uninstalls(event.topic):
        recorded = shop_app_uninstalled(integration_id=event.integration_id)
        note = "The app was uninstalled: integration paused." if recorded else "Uninstall already recorded."
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note=note)
        return event
    try:
        parameters = intake.webhook_run_parameters(topic=event.topic, payload=event.payload)
    except ShopError as error:
        _event_mark(event, state=WebhookEvent.State.FAILED, note=f"{getattr(error, 'code', '')}: {error}")
        return event
    if parameters is None:
        _event_mark(event, state=WebhookEvent.State.PROCESSED, note=f"Topic {event.topic} needs no processing.")
        return event
    flow = Flow.REFUNDS if "refund_ids" in parameters else Flow.ORDERS
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
