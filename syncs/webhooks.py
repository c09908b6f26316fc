"""Shopify webhook intake: verify, store raw, deduplicate, answer 200 at once; a worker processes.

Webhooks are hints, the scheduled sweep is the truth: a lost or duplicate webhook costs nothing
but latency, so the view does the least possible and never calls Shopify or BC itself.

An installed app's deliveries are signed with the app's client secret (the previous one is accepted
too while it is rotated); a custom app's with the webhook secret support stored for it.
Deduplication is per integration. app/uninstalled pauses the integration; the compliance topics
(at /hooks/shopify/compliance/, the app-level address, or the integration's own) are recorded and
acted on by syncs/services/compliance.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_q.tasks import async_task

from integrations.connectors.shopify import ShopifyError, order_edit_from_webhook, webhook_verify
from integrations.connectors.shopify.oauth import shop_domain_clean
from integrations.connectors.shopify.webhooks import DEFAULT_MAX_BYTES
from integrations.crypto import reveal
from integrations.models import Flow, Integration, ShopConnection
from integrations.services.shopify_install import shop_app_uninstalled
from syncs.models import SourceSystem, SyncRun, WebhookEvent
from syncs.services.compliance import compliance_request_receive
from syncs.services.woocommerce_webhooks import woo_webhook_parameters

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = DEFAULT_MAX_BYTES
MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number in the URL overflows SQLite
ORDER_TOPICS = {"orders/create", "orders/updated", "orders/paid", "orders/cancelled"}
# Its body is an order_edit (the order's id and the line additions and removals), not an order:
# the run re-reads the order by id.
ORDER_EDIT_TOPICS = {"orders/edited"}
REFUND_TOPICS = {"refunds/create"}
UNINSTALL_TOPICS = {"app/uninstalled"}
COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}
NOTE_NO_ORDERS_FLOW = "The orders flow is not registered; the scheduled sweep will pick this order up."


# --- view -------------------------------------------------------------------------------------------


def body_read(request: HttpRequest) -> tuple[bytes | None, HttpResponse | None]:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):
        return None, HttpResponse(status=400)  # "²" passes isdigit() but is no length
    if int(declared) > MAX_WEBHOOK_BYTES:
        return None, HttpResponse(status=413)
    raw_body = request.body
    if len(raw_body) > MAX_WEBHOOK_BYTES:
        return None, HttpResponse(status=413)
    return raw_body, None


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


@csrf_exempt
@require_POST
def shopify_webhook(request: HttpRequest, integration_id: int) -> HttpResponse:
    if integration_id > MAX_ID:
        return HttpResponse(status=404)
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    connection = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.SHOPIFY
    ).first()
    if connection is None:  # no shop, or a WooCommerce store (its deliveries go to /hooks/woocommerce/)
        return HttpResponse(status=404)
    shop_header = request.headers.get("X-Shopify-Shop-Domain", "")
    verified = webhook_verify(
        raw_body=raw_body,
        hmac_header=request.headers.get("X-Shopify-Hmac-Sha256", ""),
        secrets=_connection_secrets(connection),
        max_bytes=MAX_WEBHOOK_BYTES,
    )
    if not verified or (shop_header and shop_header != connection.shop_domain):
        # Never log the body, the header value or the secret: only that a delivery was refused.
        logger.warning("Refused a Shopify webhook for integration %s: signature check failed.", integration_id)
        return HttpResponse(status=401)
    payload = _json_object(raw_body)
    if payload is None:
        logger.warning("Refused a Shopify webhook for integration %s: the body is not a JSON object.", integration_id)
        return HttpResponse(status=400)
    topic = request.headers.get("X-Shopify-Topic", "")
    webhook_id = request.headers.get("X-Shopify-Webhook-Id", "")
    if topic in COMPLIANCE_TOPICS:
        compliance_request_receive(
            shop_domain=connection.shop_domain, topic=topic, webhook_id=webhook_id or _digest(raw_body), payload=payload
        )
        return HttpResponse(status=200)
    webhook_event_receive(
        integration_id=integration_id, webhook_id=webhook_id, topic=topic, payload=payload, raw_body=raw_body
    )
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def shopify_compliance_webhook(request: HttpRequest) -> HttpResponse:
    """The app's compliance address (one for all shops): signed with the app's client secret."""
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    verified = webhook_verify(
        raw_body=raw_body,
        hmac_header=request.headers.get("X-Shopify-Hmac-Sha256", ""),
        secrets=_app_secrets(),
        max_bytes=MAX_WEBHOOK_BYTES,
    )
    if not verified:
        logger.warning("Refused a Shopify compliance webhook: signature check failed.")
        return HttpResponse(status=401)
    payload = _json_object(raw_body)
    topic = request.headers.get("X-Shopify-Topic", "")
    shop = shop_domain_clean(
        request.headers.get("X-Shopify-Shop-Domain", "") or str((payload or {}).get("shop_domain"))
    )
    if payload is None or topic not in COMPLIANCE_TOPICS or shop is None:
        return HttpResponse(status=400)
    compliance_request_receive(
        shop_domain=shop,
        topic=topic,
        webhook_id=request.headers.get("X-Shopify-Webhook-Id", "") or _digest(raw_body),
        payload=payload,
    )
    return HttpResponse(status=200)


def _digest(raw_body: bytes) -> str:
    return f"sha256:{hashlib.sha256(raw_body).hexdigest()}"


# --- services ---------------------------------------------------------------------------------------


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


def webhook_event_process(*, event_id: int) -> WebhookEvent:
    """Hand the event's order/refund ids to the orders (or refunds) flow as a webhook-triggered run."""
    from syncs.flows import flow_handler_get
    from syncs.services.dispatch import flow_enqueue

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
    flow = Flow.ORDERS
    if event.topic in REFUND_TOPICS and flow_handler_get(Flow.REFUNDS) is not None:
        flow = Flow.REFUNDS
    if flow_handler_get(flow) is None:
        _event_mark(event, state=WebhookEvent.State.RECEIVED, note=NOTE_NO_ORDERS_FLOW)
        return event
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
