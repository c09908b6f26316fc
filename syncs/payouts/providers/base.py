"""The interface every payment provider implements (one module per provider).

A provider turns its vendor's payouts into ``ProviderPayout`` / ``ProviderTransaction`` records.
It never drops a transaction: a type it does not know is returned with ``mapped_type="unknown"``
and its raw type, so staging keeps it and the report shows it. Each transaction also carries its
booking ``category`` (syncs/payouts/categories.py); ``mapped_type`` is that category's posting type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from syncs.models import Payout, PayoutTransaction

MappedType = PayoutTransaction.MappedType
Category = PayoutTransaction.Category
PayoutStatus = Payout.Status


@dataclass(frozen=True)
class ProviderTransaction:
    id: str
    raw_type: str
    mapped_type: str  # a PayoutTransaction.MappedType value
    amount: Decimal  # gross, signed as the provider reports it (refunds negative)
    fee: Decimal
    net: Decimal
    currency: str
    order_reference: str = ""  # the shop order name the money belongs to, "" when none
    source_reference: str = ""  # the charge / refund id at the provider
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    category: str = ""  # a PayoutTransaction.Category value; "" for providers that do not classify


@dataclass(frozen=True)
class ProviderPayout:
    id: str
    status: str  # a Payout.Status value
    currency: str
    amount: Decimal  # net paid out
    arrival_date: dt.date | None
    gross: Decimal | None = None
    fees: Decimal | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # False when the provider cannot list this payout's transactions completely yet (a Stripe payout
    # not yet reconciled, or a manual one): staged, but its transactions are not fetched or booked.
    complete: bool = True


class PayoutProvider(Protocol):
    """What the payouts flow asks of a payment provider. A provider module implements it (naming it
    as a base makes the checker hold the class to it) and registers with ``@register_provider``."""

    name: ClassVar[str] = ""
    # The connection's market ("" = one connection for every market); staged on each payout.
    market: str = ""

    @classmethod
    def for_connection(cls, connection: Any, *, client: object | None = None) -> PayoutProvider:
        """Build from a PaymentProviderConnection; ``client`` replaces the vendor client (tests)."""
        ...

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]: ...

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]: ...

    def order_reference(self, raw_transaction: Any) -> str:
        """The shop order name a transaction paid (or refunded); "" when it names none."""
        ...
