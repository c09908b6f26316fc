"""Money arithmetic the way BC rounds it (half away from zero, to the currency's precision)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def dec(value: object) -> Decimal:
    return Decimal(str(value or 0))


def money(value: Decimal | float | int, precision: str = "0.01") -> float:
    return float(Decimal(str(value)).quantize(Decimal(precision), rounding=ROUND_HALF_UP))
