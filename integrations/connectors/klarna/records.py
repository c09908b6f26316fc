"""Klarna settlement records as dataclasses: amounts in major units (Decimal), signed for the merchant.

Klarna reports every amount as a non-negative integer in minor units and lets the transaction
``type`` carry the direction (the settlement-amount table of its settlement reports): SALE, CREDIT,
RELEASE, FEE_REFUND and REVERSAL_MERCHANT_PROTECTION add to the payout; RETURN, REVERSAL, FEE,
TAX, CHARGE and HOLDBACK take from it. COMMISSION is counted with a plus sign in that table.
CORRECTION has no row there: its amount is taken as signed already (an assumption).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Klarna's zero-decimal currencies are not used in its markets; every settlement currency has 2 decimals.
MINOR = Decimal("100")
SIGN: dict[str, int] = {
    "SALE": 1,
    "RETURN": -1,
    "REVERSAL": -1,
    "REVERSAL_MERCHANT_PROTECTION": 1,
    "FEE": -1,
    "FEE_REFUND": 1,
    "COMMISSION": 1,
    "TAX": -1,
    "CHARGE": -1,
    "CREDIT": 1,
    "HOLDBACK": -1,
    "RELEASE": 1,
    "CORRECTION": 1,
}


def to_decimal(minor: int | None) -> Decimal:
    return Decimal(int(minor or 0)) / MINOR


def signed_amount(transaction_type: str, minor: int | None) -> Decimal:
    """The transaction's effect on the payout, in major units."""
    return to_decimal(minor) * SIGN.get(transaction_type.upper(), 1)


def parse_datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class KlarnaPayout:
    payment_reference: str
    payout_date: dt.datetime | None
    currency: str
    settlement_amount: Decimal
    merchant_id: str
    settlement_type: str  # GROSS / NET / GROSS_FEE
    totals: dict[str, Decimal] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> KlarnaPayout:
        totals = {key: to_decimal(value) for key, value in (data.get("totals") or {}).items()}
        return cls(
            payment_reference=data["payment_reference"],
            payout_date=parse_datetime(data.get("payout_date")),
            currency=(data.get("currency_code") or "").upper(),
            settlement_amount=totals.get("settlement_amount", Decimal("0")),
            merchant_id=data.get("merchant_id") or "",
            settlement_type=data.get("merchant_settlement_type") or "",
            totals=totals,
            raw=data,
        )


@dataclass(frozen=True)
class KlarnaTransaction:
    type: str
    detailed_type: str
    amount: Decimal  # signed: what it adds to (or takes from) the payout
    currency: str
    order_id: str
    capture_id: str = ""
    refund_id: str = ""
    short_order_id: str = ""
    merchant_reference1: str = ""
    merchant_reference2: str = ""
    payment_reference: str = ""
    sale_date: dt.datetime | None = None
    capture_date: dt.datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_api(cls, data: dict) -> KlarnaTransaction:
        kind = (data.get("type") or "").upper()
        return cls(
            type=kind,
            detailed_type=(data.get("detailed_type") or "").upper(),
            amount=signed_amount(kind, data.get("amount")),
            currency=(data.get("currency_code") or "").upper(),
            order_id=data.get("order_id") or "",
            capture_id=data.get("capture_id") or "",
            refund_id=data.get("refund_id") or "",
            short_order_id=data.get("short_order_id") or "",
            merchant_reference1=data.get("merchant_reference1") or "",
            merchant_reference2=data.get("merchant_reference2") or "",
            payment_reference=data.get("payment_reference") or "",
            sale_date=parse_datetime(data.get("sale_date")),
            capture_date=parse_datetime(data.get("capture_date")),
            raw=data,
        )
