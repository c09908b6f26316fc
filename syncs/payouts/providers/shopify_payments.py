"""Shopify Payments through the Shopify connector (payouts + balance transactions).

The order reference is the balance transaction's associated order name (``#1001``), the same
value the orders flow writes to the BC invoice's externalDocumentNumber.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import MappedType, PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

TYPE_MAP = {
    "CHARGE": MappedType.CHARGE,
    "REFUND": MappedType.REFUND,
    "ADJUSTMENT": MappedType.ADJUSTMENT,
    "TRANSFER": MappedType.PAYOUT,  # a payout in the balance transactions (2026-10 has no PAYOUT type)
}
STATUS_MAP = {
    "PAID": PayoutStatus.PAID,
    "SCHEDULED": PayoutStatus.PENDING,
    "IN_TRANSIT": PayoutStatus.PENDING,
    "FAILED": PayoutStatus.FAILED,
    "CANCELED": PayoutStatus.CANCELED,
}


@register_provider
class ShopifyPaymentsProvider(PayoutProvider):
    name = "shopify_payments"

    def __init__(self, client: Any, *, currency: str) -> None:
        self.client = client
        self.currency = currency

    @classmethod
    def for_connection(cls, connection: Any, *, client: Any = None) -> ShopifyPaymentsProvider:
        shop = connection.integration.shop_connection
        if client is None:
            from integrations.connectors.shopify.factory import client_for_connection

            client = client_for_connection(shop)
        return cls(client, currency=shop.shop_currency or connection.integration.base_currency)

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]:
        for payout in self.client.payouts_iter(since=since):
            yield ProviderPayout(
                id=payout.id,
                status=STATUS_MAP.get(payout.status.upper(), PayoutStatus.PENDING),
                currency=(payout.net.currency or self.currency).upper(),
                amount=payout.net.amount,
                arrival_date=payout.issued_at.date() if payout.issued_at else None,
                gross=payout.gross.amount if payout.gross else None,
                fees=payout.fees.amount if payout.fees else None,
                raw=payout.raw,
            )

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        return [
            ProviderTransaction(
                id=bt.id,
                raw_type=bt.type,
                mapped_type=TYPE_MAP.get(bt.type.upper(), MappedType.UNKNOWN),
                amount=bt.amount.amount,
                fee=bt.fee.amount if bt.fee else Decimal("0"),
                net=bt.net.amount,
                currency=(bt.amount.currency or payout.currency).upper(),
                order_reference=self.order_reference(bt),
                source_reference=bt.source_order_transaction_id or bt.source_id,
                raw=bt.raw,
            )
            for bt in self.client.payout_balance_transactions(payout.id)
        ]

    def order_reference(self, raw_transaction: Any) -> str:
        return raw_transaction.order_name or ""
