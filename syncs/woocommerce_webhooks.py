"""WooCommerce webhook intake (/hooks/woocommerce/<integration>/): answer the ping, verify, store,
queue. Thin: one service call (syncs/services/woocommerce_webhooks.py), the platform's intake behind it.

WooCommerce pings a webhook's address when it is saved (a form body ``webhook_id=<id>``, unsigned,
no X-WC headers) and needs HTTP 200 exactly; the ping carries nothing, so it is answered without
reading anything. A delivery must carry ``X-WC-Webhook-Signature``, the base64 HMAC-SHA256 of the
raw body keyed by the integration's webhook secret; anything else is refused with 401 and logged
without the body or the header value.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from syncs.services.webhook_intake import IncomingDelivery, WebhookRefused
from syncs.services.woocommerce_webhooks import woo_delivery_receive
from syncs.webhooks import MAX_ID, body_read


@csrf_exempt
@require_POST
def woocommerce_webhook(request: HttpRequest, integration_id: int) -> HttpResponse:
    if integration_id > MAX_ID:
        return HttpResponse(status=404)
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    try:
        woo_delivery_receive(
            integration_id=integration_id, delivery=IncomingDelivery(raw_body=raw_body, headers=request.headers)
        )
    except WebhookRefused as refusal:
        return HttpResponse(status=refusal.status)
    return HttpResponse(status=200)
