"""Adyen notification intake (/hooks/adyen/<integration id>/): verify each item's HMAC, store, answer.

The view only hands the body to the service; Adyen wants any 2xx quickly (``[accepted]`` is what
older integrations answer), and retries a refused delivery.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from syncs.payouts.adyen_reports import adyen_notifications_accept

MAX_NOTIFICATION_BYTES = 1_000_000


@csrf_exempt
@require_POST
def adyen_webhook(request: HttpRequest, integration_id: int) -> HttpResponse:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_NOTIFICATION_BYTES:
        return HttpResponse(status=413)
    result = adyen_notifications_accept(integration_id=integration_id, raw_body=request.body)
    if result.status != 200:
        return HttpResponse(status=result.status)
    return HttpResponse("[accepted]", content_type="text/plain")
