"""The simulated store's data: products, variations, customers, orders and refunds as JSON dicts.

Money is kept as Decimal and rendered as two-decimal strings; timestamps are UTC. The store
is Swedish (SEK, prices entered including 25 % VAT, base location SE); an order in another
EU country keeps the net price and takes that country's VAT rate (OSS), as WooCommerce does
with "adjust non-base location prices" on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")
STORE_CURRENCY = "SEK"
BASE_RATE = Decimal("25")
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    return str(cents(value))


def stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


# The site's time zone (Stockholm in winter): the plain date fields are local time without offset.
SITE_OFFSET = dt.timedelta(hours=1)


def site_stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else stamp(value + SITE_OFFSET)


@dataclass(frozen=True)
class TaxRate:
    rate_id: int
    country: str
    percent: Decimal
    label: str

    @property
    def code(self) -> str:
        return f"{self.country}-{self.label.upper().replace(' ', '-')}-{self.rate_id}"


TAX_RATES = {
    "SE": TaxRate(1, "SE", Decimal("25"), "Moms"),
    "DE": TaxRate(2, "DE", Decimal("19"), "MwSt"),
    "FI": TaxRate(3, "FI", Decimal("25.5"), "ALV"),
    "DK": TaxRate(4, "DK", Decimal("25"), "Moms"),
}


class Clock:
    """The simulator's time: starts at START, moves only when told (tests sleep on it)."""

    def __init__(self, start: dt.datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += dt.timedelta(seconds=seconds)

    def timestamp(self) -> float:
        return self.now().timestamp()


@dataclass
class Store:
    clock: Clock = field(default_factory=Clock)
    lock: threading.RLock = field(default_factory=threading.RLock)
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    variations: dict[int, dict[str, Any]] = field(default_factory=dict)
    customers: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[int, dict[str, Any]] = field(default_factory=dict)  # refund id -> refund (with _order_id)
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)  # note id -> order note (with _order_id)
    prices_include_tax: bool = True  # the setting "Prices entered with tax"
    _ids: itertools.count = field(default_factory=lambda: itertools.count(2000))
    _item_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self._ids)

    def next_item_id(self) -> int:
        return next(self._item_ids)

    def sku_taken(self, sku: str, *, but: int = 0) -> bool:
        """Another product or variation already has this SKU (WooCommerce keeps SKUs unique)."""
        records = itertools.chain(self.variations.values(), self.products.values())
        return bool(sku) and any(record["sku"] == sku and record["id"] != but for record in records)

    def sellable(self, sku: str) -> dict[str, Any]:
        """The simple product or variation with this SKU."""
        for record in itertools.chain(self.variations.values(), self.products.values()):
            if record["sku"] == sku and record["type"] != "variable":
                return record
        raise KeyError(sku)
