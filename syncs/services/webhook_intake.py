"""What a shop's webhook address receives and how it refuses: shared by the Shopify and the
WooCommerce intake services (verification and parsing are the platform's ``ShopWebhookIntake``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
