"""A shop's webhook delivery in the commerce model: what the intake keeps once a platform verified
and parsed it (integrations/commerce/platform.py ``ShopWebhookIntake``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ShopWebhookDelivery:
    topic: str  # the platform's topic ("orders/create", "order.updated")
    delivery_id: str  # the platform's id of this delivery; "" when a proxy dropped it
    payload: dict[str, Any] = field(repr=False)  # the body: always a JSON object
    shop_domain: str = ""  # the shop that says it sent it, when the platform names it
