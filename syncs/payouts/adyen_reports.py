"""Which Adyen settlement details reports a connection has to read, and the REPORT_AVAILABLE intake.

Adyen announces each closed batch with a REPORT_AVAILABLE notification (file name in
``pspReference``). Notifications are stored verified and raw (WebhookEvent); the payouts flow then
downloads each announced report whose payout is not booked yet. Webhooks are hints: the flow also
tries the batches after the last one it staged, until Adyen answers 404 (not closed yet).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from integrations.connectors.adyen import batch_of, notification_verify
from integrations.crypto import reveal
from integrations.models import PaymentProviderConnection
from syncs.models import Payout, SourceSystem, WebhookEvent

logger = logging.getLogger(__name__)
REPORT_AVAILABLE = "REPORT_AVAILABLE"
FINAL_STATES = (Payout.BookingState.BOOKED, Payout.BookingState.POSTED)


def adyen_payout_id(*, merchant_account: str, batch: int) -> str:
    return f"{merchant_account}-{batch}"


def adyen_reports_pending(*, connection: PaymentProviderConnection) -> list[str]:
    """Announced settlement report names of the connection's merchant account not booked yet, oldest first."""
    events = WebhookEvent.objects.filter(
        integration_id=connection.integration_id, source_system=SourceSystem.ADYEN, topic=REPORT_AVAILABLE
    ).order_by("received_at", "pk")
    booked = set(
        Payout.objects.filter(
            integration_id=connection.integration_id, provider="adyen", booking_state__in=FINAL_STATES
        ).values_list("provider_payout_id", flat=True)
    )
    names: list[str] = []
    for event in events:
        item = event.payload or {}
        name = item.get("pspReference") or ""
        batch = batch_of(name)
        if item.get("merchantAccountCode") != connection.account_id or batch is None:
            continue
        if adyen_payout_id(merchant_account=connection.account_id, batch=batch) not in booked and name not in names:
            names.append(name)
    return names


def adyen_last_batch(*, connection: PaymentProviderConnection) -> int:
    """The highest batch number staged for the connection's merchant account (0 when none)."""
    prefix = f"{connection.account_id}-"
    numbers = [
        int(tail)
        for value in Payout.objects.filter(
            integration_id=connection.integration_id, provider="adyen", provider_payout_id__startswith=prefix
        ).values_list("provider_payout_id", flat=True)
        if (tail := value.removeprefix(prefix)).isdigit()
    ]
    return max(numbers, default=0)


@dataclass(frozen=True)
class IntakeResult:
    status: int  # the HTTP status to answer Adyen with
    stored: int = 0
    reason: str = ""


def adyen_notifications_accept(*, integration_id: int, raw_body: bytes) -> IntakeResult:
    """Verify every item's HMAC with its merchant account's key, then store the REPORT_AVAILABLE ones.

    One item with a missing or wrong signature refuses the whole delivery (401): Adyen retries it,
    and nothing unverified is ever stored.
    """
    try:
        body = json.loads(raw_body)
        items = [entry["NotificationRequestItem"] for entry in body["notificationItems"]]
    except (ValueError, KeyError, TypeError):
        return IntakeResult(status=400, reason="not a notification")
    keys = {
        connection.account_id: reveal(connection.webhook_hmac_key)
        for connection in PaymentProviderConnection.objects.filter(
            integration_id=integration_id, provider=PaymentProviderConnection.Provider.ADYEN
        )
    }
    if not keys:
        return IntakeResult(status=404, reason="no Adyen connection")
    for item in items:
        key = keys.get((item or {}).get("merchantAccountCode") or "")
        if not key or not notification_verify(item, hmac_key_hex=key):
            logger.warning("Refused an Adyen notification for integration %s: signature check failed.", integration_id)
            return IntakeResult(status=401, reason="signature")
    stored = 0
    for item in items:
        if item.get("eventCode") != REPORT_AVAILABLE:
            continue
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    integration_id=integration_id,
                    source_system=SourceSystem.ADYEN,
                    webhook_id=f"{item.get('merchantAccountCode')}:{item.get('pspReference')}"[:100],
                    topic=REPORT_AVAILABLE,
                    payload=item,
                )
            stored += 1
        except IntegrityError:
            pass  # a redelivery: already stored
    return IntakeResult(status=200, stored=stored)
