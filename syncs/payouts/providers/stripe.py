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
from decimal import Decimal
from typing import Any

from integrations.connectors.stripe import payout_balance_transactions, payouts_iter
from integrations.crypto import reveal
from syncs.payouts.categories import Category, posting_type
from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

ORDER_METADATA_KEYS = ("order_name", "order_id", "order")
# Balance transaction ``type`` -> booking category. ``adjustment`` is told apart by its
# ``reporting_category`` (ADJUSTMENT_CATEGORIES); a fee-category adjustment that adds money is a fee refund.
CATEGORY_BY_TYPE: dict[str, str] = {
    "charge": Category.CHARGE,
    "payment": Category.CHARGE,
    "refund": Category.REFUND,
    "payment_refund": Category.REFUND,
    "payment_failure_refund": Category.REFUND,
    "refund_failure": Category.REFUND_FAILURE,
    "stripe_fee": Category.FEE,
    "tax_fee": Category.FEE,
    "application_fee": Category.FEE,
    "application_fee_refund": Category.FEE_REFUND,
    "stripe_fx_fee": Category.FX_FEE,
    "payout_minimum_balance_hold": Category.RESERVE,
    "payout_minimum_balance_release": Category.RESERVE,
    "reserve_transaction": Category.RESERVE,
    "reserved_funds": Category.RESERVE,
    "payment_network_reserve_hold": Category.RESERVE,
    "payment_network_reserve_release": Category.RESERVE,
    "payout": Category.TRANSFER,
    "payout_cancel": Category.PAYOUT_REVERSAL,
    "payout_failure": Category.PAYOUT_REVERSAL,
    "payment_reversal": Category.DISPUTE,
    # other money movements of the balance, booked as adjustments
    "advance": Category.ADJUSTMENT,
    "advance_funding": Category.ADJUSTMENT,
    "anticipation_repayment": Category.ADJUSTMENT,
    "climate_order_purchase": Category.ADJUSTMENT,
    "climate_order_refund": Category.ADJUSTMENT,
    "connect_collection_transfer": Category.ADJUSTMENT,
    "contribution": Category.ADJUSTMENT,
    "issuing_authorization_hold": Category.ADJUSTMENT,
    "issuing_authorization_release": Category.ADJUSTMENT,
    "issuing_dispute": Category.ADJUSTMENT,
    "issuing_transaction": Category.ADJUSTMENT,
    "obligation_outbound": Category.ADJUSTMENT,
    "obligation_reversal_inbound": Category.ADJUSTMENT,
    "payment_unreconciled": Category.ADJUSTMENT,
    "topup": Category.ADJUSTMENT,
    "topup_reversal": Category.ADJUSTMENT,
    "transfer": Category.ADJUSTMENT,
    "transfer_cancel": Category.ADJUSTMENT,
    "transfer_failure": Category.ADJUSTMENT,
    "transfer_refund": Category.ADJUSTMENT,
}
ADJUSTMENT_CATEGORIES: dict[str, str] = {
    "dispute": Category.DISPUTE,
    "dispute_reversal": Category.DISPUTE_REVERSAL,
    "refund_failure": Category.REFUND_FAILURE,
    "refund": Category.REFUND,
    "fee": Category.FEE,
    "payout_reversal": Category.PAYOUT_REVERSAL,
    "risk_reserved_funds": Category.RESERVE,
}


def category_of(transaction_type: str, reporting_category: str = "", amount: Decimal = Decimal("0")) -> str:
    """The booking category of a Stripe balance transaction (type, then reporting category)."""
    if transaction_type == "adjustment":
        category = ADJUSTMENT_CATEGORIES.get(reporting_category, Category.ADJUSTMENT)
    else:
        category = CATEGORY_BY_TYPE.get(transaction_type, Category.UNKNOWN)
    if category == Category.FEE and amount > 0:
        return Category.FEE_REFUND
    return category


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
        return payouts_iter(self.api_key, created_since=created_since)

    def payout_balance_transactions(self, payout_id: str):
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
                complete=self.payout_complete(payout),
            )

    @staticmethod
    def payout_complete(payout: Any) -> bool:
        """Stripe lists a payout's transactions (``payout=`` filter) only for automatic payouts, and
        the list is complete only once ``reconciliation_status`` is ``completed``."""
        return bool(payout.automatic) and payout.reconciliation_status == "completed"

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        rows = []
        for txn in self.client.payout_balance_transactions(payout.id):
            category = category_of(txn.type, txn.reporting_category, txn.amount)
            rows.append(self._transaction(txn, payout=payout, category=category))
        return rows

    def _transaction(self, txn: Any, *, payout: ProviderPayout, category: str) -> ProviderTransaction:
        return ProviderTransaction(
            id=txn.id,
            raw_type=txn.type,
            category=category,
            mapped_type=posting_type(category),
            amount=txn.amount,
            fee=txn.fee,
            net=txn.net,
            currency=txn.currency or payout.currency,
            order_reference=self.order_reference(txn),
            source_reference=txn.source.id,
            raw=txn.raw,
        )

    def order_reference(self, raw_transaction: Any) -> str:
        source = raw_transaction.source
        for metadata in (source.metadata, source.charge_metadata):
            for key in ORDER_METADATA_KEYS:
                if metadata.get(key):
                    return str(metadata[key])
        return source.payment_intent_description or source.description or source.charge_description or ""
