"""Booking categories: what each provider transaction is, and how posting books it.

Providers classify their own types into a ``Category`` (charge, refund, fee, dispute, ...). Posting
reads the coarser ``MappedType``: charges and refunds are matched to BC documents, fees (fee
refunds and currency conversion fees included) go into the payout's fee line, the payout's own
transfer row is not booked (the transfer line books it), and every other category is an
adjustment line, so the clearing account still moves by exactly zero.
"""

from __future__ import annotations

from syncs.models import PayoutTransaction

Category = PayoutTransaction.Category
MappedType = PayoutTransaction.MappedType

POSTING_TYPE: dict[str, str] = {
    Category.CHARGE: MappedType.CHARGE,
    Category.REFUND: MappedType.REFUND,
    Category.REFUND_FAILURE: MappedType.ADJUSTMENT,
    Category.FEE: MappedType.FEE,
    Category.FEE_REFUND: MappedType.FEE,
    Category.FX_FEE: MappedType.FEE,
    Category.DISPUTE: MappedType.ADJUSTMENT,
    Category.DISPUTE_REVERSAL: MappedType.ADJUSTMENT,
    Category.RESERVE: MappedType.ADJUSTMENT,
    Category.TRANSFER: MappedType.PAYOUT,
    Category.PAYOUT_REVERSAL: MappedType.ADJUSTMENT,
    Category.ADJUSTMENT: MappedType.ADJUSTMENT,
    Category.UNKNOWN: MappedType.UNKNOWN,
}


def posting_type(category: str) -> str:
    """The MappedType posting books a category as (unknown stays unknown: kept, reported, not booked)."""
    return POSTING_TYPE.get(category, MappedType.UNKNOWN)
