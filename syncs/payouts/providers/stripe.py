"""Stripe through the Stripe connector (the stripe SDK, pointed at settings.STRIPE_API_BASE).

The order a charge paid is read, first match wins, from:
  1. the charge's metadata ``order_name`` (also ``order_id`` / ``order``), as shop checkouts set it;
  2. the charge's PaymentIntent description;
  3. the charge's own description.
A refund uses its own metadata first, then its charge's (the same three places).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from integrations.crypto import reveal
from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import MappedType, PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

ORDER_METADATA_KEYS = ("order_name", "order_id", "order")
TYPE_MAP = {
    "charge": MappedType.CHARGE,
    "payment": MappedType.CHARGE,
    "refund": MappedType.REFUND,
    "payment_refund": MappedType.REFUND,
    "adjustment": MappedType.ADJUSTMENT,
    "stripe_fee": MappedType.FEE,
    "payout": MappedType.PAYOUT,
}
STATUS_MAP = {
    "paid": PayoutStatus.PAID,
    "pending": PayoutStatus.PENDING,
    "in_transit": PayoutStatus.PENDING,
    "failed": PayoutStatus.FAILED,
    "canceled": PayoutStatus.CANCELED,
}


class _ConnectorClient:
    """The connector's functions bound to one API key."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key

    def payouts_iter(self, *, created_since):
        from integrations.connectors.stripe import payouts_iter

        return payouts_iter(self.api_key, created_since=created_since)

    def payout_balance_transactions(self, payout_id: str):
        from integrations.connectors.stripe import payout_balance_transactions

        return payout_balance_transactions(self.api_key, payout_id)


@register_provider
class StripeProvider(PayoutProvider):
    name = "stripe"

    def __init__(self, client: Any) -> None:
        self.client = client

    @classmethod
    def for_connection(cls, connection: Any, *, client: Any = None) -> StripeProvider:
        return cls(client or _ConnectorClient(reveal(connection.api_key)))

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]:
        for payout in self.client.payouts_iter(created_since=since):
            yield ProviderPayout(
                id=payout.id,
                status=STATUS_MAP.get(payout.status, PayoutStatus.PENDING),
                currency=payout.currency,
                amount=payout.amount,
                arrival_date=payout.arrival_date,
                raw=payout.raw,
            )

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        return [
            ProviderTransaction(
                id=txn.id,
                raw_type=txn.type,
                mapped_type=TYPE_MAP.get(txn.type, MappedType.UNKNOWN),
                amount=txn.amount,
                fee=txn.fee,
                net=txn.net,
                currency=txn.currency or payout.currency,
                order_reference=self.order_reference(txn),
                source_reference=txn.source.id,
                raw=txn.raw,
            )
            for txn in self.client.payout_balance_transactions(payout.id)
        ]

    def order_reference(self, raw_transaction: Any) -> str:
        source = raw_transaction.source
        for metadata in (source.metadata, source.charge_metadata):
            for key in ORDER_METADATA_KEYS:
                if metadata.get(key):
                    return str(metadata[key])
        return source.payment_intent_description or source.description or source.charge_description or ""
