"""Provider payouts -> Payout and PayoutTransaction rows (the staging the booking reads from).

Only paid payouts have their transactions fetched: a payout still in transit can change, and a
payout the provider marks incomplete (``ProviderPayout.complete``) is staged without them. A booked
payout is never re-staged, so what was booked stays what the report shows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from integrations.models import Integration
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.providers.base import PayoutProvider, ProviderPayout, ProviderTransaction

MappedType = PayoutTransaction.MappedType
FINAL_STATES = (Payout.BookingState.BOOKED, Payout.BookingState.POSTED)


@dataclass
class StageResult:
    seen: int = 0
    created: int = 0
    transactions: int = 0


def payout_fees(rows) -> Decimal:
    """Fees of a payout: each transaction's fee plus stand-alone fee transactions (negative amounts)."""
    total = Decimal("0")
    for row in rows:
        total += row.fee
        if row.mapped_type == MappedType.FEE:
            total -= row.amount
    return total


def payouts_stage(
    *, integration: Integration, provider: PayoutProvider, since: dt.datetime | None
) -> tuple[StageResult, list[Payout]]:
    """Stage every payout since ``since``; returns the paid payouts that still need booking."""
    result = StageResult()
    to_book: list[Payout] = []
    for found in provider.payouts_since(since):
        result.seen += 1
        payout, created = _payout_upsert(
            integration=integration, provider_name=provider.name, market=getattr(provider, "market", ""), found=found
        )
        result.created += int(created)
        if payout.status != Payout.Status.PAID or payout.booking_state in FINAL_STATES or not found.complete:
            continue
        transactions = provider.payout_transactions(found)
        result.transactions += len(transactions)
        transactions_stage(payout=payout, transactions=transactions)
        to_book.append(payout)
    return result, to_book


def _payout_upsert(
    *, integration: Integration, provider_name: str, market: str, found: ProviderPayout
) -> tuple[Payout, bool]:
    return Payout.objects.update_or_create(
        integration=integration,
        provider=provider_name,
        provider_payout_id=found.id,
        defaults={
            "market": (market or "").upper(),
            "status": found.status,
            "currency": found.currency.upper(),
            "amount": found.amount,
            "arrival_date": found.arrival_date,
            "raw": _jsonable(found.raw),
        },
    )


@transaction.atomic
def transactions_stage(*, payout: Payout, transactions: list[ProviderTransaction]) -> None:
    """Upsert the rows; match and booking state of a row already booked are left alone."""
    existing = {row.provider_transaction_id: row for row in payout.transactions.all()}
    for txn in transactions:
        values = {
            "raw_type": txn.raw_type,
            "mapped_type": txn.mapped_type,
            "category": txn.category,
            "amount": txn.amount,
            "fee": txn.fee,
            "net": txn.net,
            "currency": txn.currency.upper(),
            "order_reference": txn.order_reference[:100],
            "source_reference": txn.source_reference[:100],
            "raw": _jsonable(txn.raw),
        }
        row = existing.get(txn.id)
        if row is None:
            state = PayoutTransaction.MatchState.UNMATCHED
            if txn.mapped_type in (MappedType.PAYOUT, MappedType.FEE):
                state = PayoutTransaction.MatchState.NOT_APPLICABLE  # booked in the payout's own lines
            PayoutTransaction.objects.create(payout=payout, provider_transaction_id=txn.id, match_state=state, **values)
        elif row.match_state != PayoutTransaction.MatchState.BOOKED:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
    rows = list(payout.transactions.all())
    payout.gross = sum((row.amount for row in rows if row.mapped_type == MappedType.CHARGE), Decimal("0"))
    payout.fees = payout_fees(rows)
    payout.save(update_fields=["gross", "fees", "updated_at"])


def _jsonable(value):
    """Vendor payloads may hold Decimals or datetimes; the JSON column needs plain values."""

    return json.loads(json.dumps(value, default=str)) if value is not None else None
