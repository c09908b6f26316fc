"""Shopify's leaky bucket for GraphQL query cost.

A query is charged its *requested* cost up front (refused with THROTTLED when the bucket holds
less), then refunded the difference to its *actual* cost once executed, as Shopify does. The
bucket refills at ``restore_rate`` points per simulated second up to ``maximum``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from simulators.shopify.clock import SimClock

# A single query may not request more than 1,000 points, whatever the plan (shopify.dev, "Shopify
# API limits" and "GraphQL Admin API rate limits").
MAX_SINGLE_QUERY_COST = 1000


@dataclass(frozen=True)
class PlanBudget:
    restore_rate: float  # points per second: shopify.dev, GraphQL Admin API rate limits, by plan
    maximum: float  # bucket size: 20 s of restore [assumption: shopify.dev gives only the rate]


# Restore rates as shopify.dev lists them per plan; the bucket sizes are an assumption (see above).
PLANS = {
    "standard": PlanBudget(restore_rate=100.0, maximum=2000.0),
    "advanced": PlanBudget(restore_rate=200.0, maximum=4000.0),
    "plus": PlanBudget(restore_rate=1000.0, maximum=20000.0),
}


class CostBucket:
    def __init__(self, *, clock: SimClock, maximum: float = 1000.0, restore_rate: float = 50.0) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.maximum = maximum
        self.restore_rate = restore_rate
        self._level = maximum
        self._at = clock.timestamp()

    def _refill(self) -> None:
        now = self._clock.timestamp()
        self._level = min(self.maximum, self._level + max(0.0, now - self._at) * self.restore_rate)
        self._at = now

    def configure(self, *, maximum: float | None = None, restore_rate: float | None = None) -> None:
        with self._lock:
            self._refill()
            if maximum is not None:
                self.maximum = maximum
                self._level = min(self._level, maximum)
            if restore_rate is not None:
                self.restore_rate = restore_rate

    def try_charge(self, cost: float) -> bool:
        with self._lock:
            self._refill()
            if cost > self._level:
                return False
            self._level -= cost
            return True

    def empty(self) -> None:
        """No points left: the state of a long read that has used up its burst (steady state)."""
        with self._lock:
            self._refill()
            self._level = 0.0

    def refund(self, points: float) -> None:
        with self._lock:
            self._refill()
            self._level = min(self.maximum, self._level + max(0.0, points))

    def status(self) -> dict:
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": int(self._level),
                "restoreRate": self.restore_rate,
            }
