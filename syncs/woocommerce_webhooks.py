"""WooCommerce webhook intake (/hooks/woocommerce/<integration>/): answer the ping, verify, store,
queue. Thin: the services are in syncs/services/woocommerce_webhooks.py.

WooCommerce pings a webhook's address when it is saved (a form body ``webhook_id=<id>``, unsigned,
no X-WC headers) and needs HTTP 200 exactly; the ping carries nothing, so it is answered without
reading anything. A delivery must carry ``X-WC-Webhook-Signature``, the base64 HMAC-SHA256 of the
raw body keyed by the integration's webhook secret; anything else is refused with 401 and logged
without the body or the header value.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.connectors.woocommerce import (
    WooValidationError,
    WooWebhookSignatureError,
    webhook_parse,
    webhook_ping,
)
from integrations.crypto import reveal
from integrations.models import ShopConnection
from syncs.services.woocommerce_webhooks import woo_webhook_receive
from syncs.webhooks import MAX_ID, body_read

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def woocommerce_webhook(request: HttpRequest, integration_id: int) -> HttpResponse:
    if integration_id > MAX_ID:
        return HttpResponse(status=404)
    raw_body, refused = body_read(request)
    if refused is not None:
        return refused
    if webhook_ping(headers=request.headers, body=raw_body) is not None:
        return HttpResponse(status=200)
    connection = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.WOOCOMMERCE
    ).first()
    if connection is None:
        return HttpResponse(status=404)
    try:
        delivery = webhook_parse(headers=request.headers, body=raw_body, secret=reveal(connection.webhook_secret))
    except WooWebhookSignatureError:
        logger.warning("Refused a WooCommerce webhook for integration %s: signature check failed.", integration_id)
        return HttpResponse(status=401)
    except WooValidationError:
        logger.warning("Refused a WooCommerce webhook for integration %s: no topic or no JSON object.", integration_id)
        return HttpResponse(status=400)
    woo_webhook_receive(integration_id=integration_id, delivery=delivery, raw_body=raw_body)
    return HttpResponse(status=200)
