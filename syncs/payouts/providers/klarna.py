"""Klarna through the Klarna Settlements connector (one connection per market's API credentials).

A Klarna payout is identified by its payment reference; its transactions are listed by that
reference. Klarna has no transaction id, so each transaction's id is a digest of its own fields
(plus its position among identical ones), stable across reads. The shop order a transaction
belongs to is ``merchant_reference1`` (what a shop's Klarna checkout sends as the order
reference), else ``merchant_reference2``; fees and holdbacks name none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from integrations.connectors.klarna import klarna_client
from integrations.crypto import reveal
from syncs.payouts.categories import Category, posting_type
from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

CATEGORY_BY_TYPE: dict[str, str] = {
    "SALE": Category.CHARGE,
    "RETURN": Category.REFUND,
    "REVERSAL": Category.DISPUTE,
    "REVERSAL_MERCHANT_PROTECTION": Category.DISPUTE_REVERSAL,
    "FEE": Category.FEE,
    "FEE_REFUND": Category.FEE_REFUND,
    "COMMISSION": Category.FEE,
    "COMISSION": Category.FEE,  # the 2020 SDK's spelling (reference enum transaction_type_sdk_2020)
    "TAX": Category.FEE,
    "CORRECTION": Category.ADJUSTMENT,
    "CHARGE": Category.ADJUSTMENT,
    "CREDIT": Category.ADJUSTMENT,
    "HOLDBACK": Category.RESERVE,
    "RELEASE": Category.RESERVE,
}
# A detailed type that says more than the type.
CATEGORY_BY_DETAILED_TYPE: dict[str, str] = {
    "CORRECTION_DISPUTE": Category.DISPUTE,
    "DISPUTE_FEE": Category.FEE,
    "DISPUTE_FEE_REFUND": Category.FEE_REFUND,
    "ROLLING_RESERVE": Category.RESERVE,
}
FIRST_RUN = dt.timedelta(days=30)


def category_of(transaction_type: str, detailed_type: str = "") -> str:
    detailed = CATEGORY_BY_DETAILED_TYPE.get(detailed_type.upper())
    return detailed or CATEGORY_BY_TYPE.get(transaction_type.upper(), Category.UNKNOWN)


@register_provider
class KlarnaProvider(PayoutProvider):
    name = "klarna"

    def __init__(self, client: Any, *, currency: str = "") -> None:
        self.client = client
        self.currency = currency

    @classmethod
    def for_connection(cls, connection: Any, *, client: Any = None) -> KlarnaProvider:
        if client is None:
            client = klarna_client(
                username=connection.username,
                password=reveal(connection.api_key),
                region=connection.region or "EU",
                environment=connection.environment or "production",
                api_root=settings.KLARNA_API_ROOT,
            )
        return cls(client, currency=connection.currencies[0] if connection.currencies else "")

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]:
        now = timezone.now()
        for payout in self.client.payouts_iter(start=since or now - FIRST_RUN, end=now, currency=self.currency):
            yield ProviderPayout(
                id=payout.payment_reference,
                # Klarna lists a payout once it is settled; its payout date is when the money is sent.
                status=PayoutStatus.PAID if payout.payout_date and payout.payout_date <= now else PayoutStatus.PENDING,
                currency=payout.currency,
                amount=payout.settlement_amount,
                arrival_date=payout.payout_date.date() if payout.payout_date else None,
                gross=payout.totals.get("sale_amount"),
                fees=payout.totals.get("fee_amount"),
                raw=payout.raw,
            )

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        seen: Counter[str] = Counter()
        rows = []
        for txn in self.client.transactions(payment_reference=payout.id):
            fields = {key: value for key, value in txn.raw.items() if key != "payout"}  # a link, host-dependent
            digest = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:20]
            seen[digest] += 1
            category = category_of(txn.type, txn.detailed_type)
            rows.append(
                ProviderTransaction(
                    id=f"k{digest}-{seen[digest]}",
                    raw_type=txn.type if not txn.detailed_type else f"{txn.type}/{txn.detailed_type}",
                    category=category,
                    mapped_type=posting_type(category),
                    amount=txn.amount,
                    fee=Decimal("0"),  # Klarna reports fees as their own transactions
                    net=txn.amount,
                    currency=txn.currency or payout.currency,
                    order_reference=self.order_reference(txn),
                    source_reference=txn.capture_id or txn.refund_id or txn.order_id,
                    raw=txn.raw,
                )
            )
        return rows

    def order_reference(self, raw_transaction: Any) -> str:
        if raw_transaction.type not in ("SALE", "RETURN", "REVERSAL", "REVERSAL_MERCHANT_PROTECTION"):
            return ""
        return raw_transaction.merchant_reference1 or raw_transaction.merchant_reference2
