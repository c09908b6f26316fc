"""Money in the commerce model: an amount and its currency, in the shop's and the buyer's currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class MoneyBag:
    """The same amount in the shop's currency and in the buyer's (presentment) currency."""

    shop: Money
    presentment: Money
