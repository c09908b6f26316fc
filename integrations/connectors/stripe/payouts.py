"""Stripe payouts and the balance transactions each payout settled, as typed records.

Amounts arrive in minor units and leave as Decimal in major units. The balance transactions are
fetched with their ``source`` expanded (and a refund's charge), so the order a charge paid can be
read without one request per charge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import stripe
from stripe.params import BalanceTransactionListParams, PayoutListParams

from integrations.connectors.stripe.client import StripeAuthError, StripeError, stripe_client

# Stripe's zero-decimal currencies: their amounts are already in major units.
ZERO_DECIMAL = frozenset(
    ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]
)
PAGE_SIZE = 100


@dataclass(frozen=True)
class StripePayout:
    id: str
    status: str  # paid / pending / in_transit / canceled / failed
    currency: str  # upper case
    amount: Decimal
    arrival_date: dt.date | None
    created: dt.datetime
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    automatic: bool = True  # False for a payout created through the API (manual)
    reconciliation_status: str = ""  # not_applicable / in_progress / completed


@dataclass(frozen=True)
class StripeSource:
    """The object a balance transaction moved money for (charge, refund, ...), flattened."""

    id: str = ""
    object: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    description: str = ""
    payment_intent_description: str = ""
    charge_id: str = ""  # a refund's charge
    charge_metadata: dict[str, str] = field(default_factory=dict)
    charge_description: str = ""


@dataclass(frozen=True)
class StripeBalanceTransaction:
    id: str
    type: str  # raw Stripe type: charge / payment / refund / adjustment / stripe_fee / payout / ...
    amount: Decimal
    fee: Decimal
    net: Decimal
    currency: str
    source: StripeSource
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    reporting_category: str = ""  # what an adjustment is: dispute, dispute_reversal, refund_failure, fee, ...


def to_decimal(minor: int | None, currency: str) -> Decimal:
    value = Decimal(int(minor or 0))
    return value if currency.lower() in ZERO_DECIMAL else value / 100


def payouts_iter(api_key: str, *, created_since: dt.datetime | None = None) -> Iterator[StripePayout]:
    params: PayoutListParams = {"limit": PAGE_SIZE}
    if created_since is not None:
        params["created"] = {"gte": int(created_since.timestamp())}
    with _errors():
        for payout in stripe_client(api_key).v1.payouts.list(params=params).auto_paging_iter():
            yield _payout(payout.to_dict())


def payout_balance_transactions(api_key: str, payout_id: str) -> list[StripeBalanceTransaction]:
    params: BalanceTransactionListParams = {
        "payout": payout_id,
        "limit": PAGE_SIZE,
        "expand": ["data.source", "data.source.charge", "data.source.payment_intent"],
    }
    with _errors():
        pages = stripe_client(api_key).v1.balance_transactions.list(params=params).auto_paging_iter()
        return [_balance_transaction(txn.to_dict()) for txn in pages]


class _errors:
    """Translate SDK errors into the connector's own (messages never contain the key)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> Literal[False]:  # never swallows: re-raises or translates
        if error is None or not isinstance(error, stripe.StripeError):
            return False
        if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
            raise StripeAuthError(error.user_message or "The API key was refused.") from None
        raise StripeError(error.user_message or type(error).__name__) from None


def _payout(data: dict) -> StripePayout:
    currency = (data.get("currency") or "").upper()
    arrival = data.get("arrival_date")
    return StripePayout(
        id=data["id"],
        status=data.get("status") or "",
        currency=currency,
        amount=to_decimal(data.get("amount"), currency),
        arrival_date=dt.datetime.fromtimestamp(arrival, dt.UTC).date() if arrival else None,
        created=dt.datetime.fromtimestamp(int(data.get("created") or 0), dt.UTC),
        raw=data,
        automatic=bool(data.get("automatic", True)),
        reconciliation_status=data.get("reconciliation_status") or "",
    )


def _source(data: Any) -> StripeSource:
    if not isinstance(data, dict):  # not expanded: only the id is known
        return StripeSource(id=str(data or ""))
    intent = data.get("payment_intent")
    charge = data.get("charge")
    return StripeSource(
        id=data.get("id") or "",
        object=data.get("object") or "",
        metadata=dict(data.get("metadata") or {}),
        description=data.get("description") or "",
        payment_intent_description=(intent.get("description") or "") if isinstance(intent, dict) else "",
        charge_id=(charge.get("id") if isinstance(charge, dict) else charge) or "",
        charge_metadata=dict(charge.get("metadata") or {}) if isinstance(charge, dict) else {},
        charge_description=(charge.get("description") or "") if isinstance(charge, dict) else "",
    )


def _balance_transaction(data: dict) -> StripeBalanceTransaction:
    currency = (data.get("currency") or "").upper()
    return StripeBalanceTransaction(
        id=data["id"],
        type=data.get("type") or "",
        amount=to_decimal(data.get("amount"), currency),
        fee=to_decimal(data.get("fee"), currency),
        net=to_decimal(data.get("net"), currency),
        currency=currency,
        source=_source(data.get("source")),
        raw=data,
        reporting_category=data.get("reporting_category") or "",
    )
