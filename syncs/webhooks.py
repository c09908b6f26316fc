"""Shopify webhook intake (/hooks/shopify/<integration>/, /hooks/shopify/compliance/): read the body
within its limit, hand it to the service, answer at once. Thin: verify, store and queue are in
syncs/services/shopify_webhooks.py; a worker processes (syncs/services/webhook_events.py).

Webhooks are hints, the scheduled sweep is the truth: a lost or duplicate webhook costs nothing
but latency, so the view does the least possible and never calls Shopify or BC itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.connectors.shopify.webhooks import DEFAULT_MAX_BYTES
from syncs.services.shopify_webhooks import (
    ShopifyDelivery,
    WebhookRefused,
    shopify_compliance_delivery_receive,
    shopify_delivery_receive,
)

MAX_WEBHOOK_BYTES = DEFAULT_MAX_BYTES
MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number in the URL overflows SQLite


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


def _delivery(request: HttpRequest, raw_body: bytes) -> ShopifyDelivery:
    return ShopifyDelivery(
        raw_body=raw_body,
        hmac=request.headers.get("X-Shopify-Hmac-Sha256", ""),
        shop_domain=request.headers.get("X-Shopify-Shop-Domain", ""),
        topic=request.headers.get("X-Shopify-Topic", ""),
        webhook_id=request.headers.get("X-Shopify-Webhook-Id", ""),
    )


@csrf_exempt
@require_POST
def shopify_webhook(request: HttpRequest, integration_id: int) -> HttpResponse:
    if integration_id > MAX_ID:
        return HttpResponse(status=404)
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    try:
        shopify_delivery_receive(integration_id=integration_id, delivery=_delivery(request, raw_body))
    except WebhookRefused as refusal:
        return HttpResponse(status=refusal.status)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def shopify_compliance_webhook(request: HttpRequest) -> HttpResponse:
    """The app's compliance address (one for all shops)."""
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    try:
        shopify_compliance_delivery_receive(delivery=_delivery(request, raw_body))
    except WebhookRefused as refusal:
        return HttpResponse(status=refusal.status)
    return HttpResponse(status=200)
