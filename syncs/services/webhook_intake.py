"""What a shop's webhook address receives and how it refuses: shared by the Shopify and the
WooCommerce intake services (verification and parsing are the platform's ``ShopWebhookIntake``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django_q.tasks import async_task

from syncs.models import WebhookEvent


class WebhookRefused(Exception):
    """A delivery the product does not accept; ``status`` is the HTTP answer."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class IncomingDelivery:
    """One delivery as it came in: the raw body (within its limit) and the request's headers."""

    raw_body: bytes
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


def body_digest(raw_body: bytes) -> str:
    """A delivery id for a body that came without one (a proxy dropped the header)."""
    return f"sha256:{hashlib.sha256(raw_body).hexdigest()}"


def webhook_event_store(
    *, integration_id: int, source_system: str, webhook_id: str, topic: str, payload: dict, raw_body: bytes = b""
) -> tuple[WebhookEvent, bool]:
    """Store a verified delivery once per (integration, source system, delivery id); queue its
    processing only when it is new. A redelivery or a concurrent duplicate returns the stored event."""
    key = {
        "integration_id": integration_id,
        "source_system": source_system,
        "webhook_id": (webhook_id or body_digest(raw_body))[:100],
    }
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
