"""Shopify's cost-based rate limit, seen from the client.

Every GraphQL response carries ``extensions.cost.throttleStatus`` (maximumAvailable,
currentlyAvailable, restoreRate per second). The bucket below remembers the last status and
projects it forward with the restore rate, so the client can wait *before* sending a query it
knows is more expensive than what is left, instead of burning a request on a THROTTLED answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class CostBucket:
    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0
    observed_at: float | None = None

    def observe(self, throttle_status: dict, *, now: float) -> None:
        self.maximum = float(throttle_status.get("maximumAvailable", self.maximum))
        self.available = float(throttle_status.get("currentlyAvailable", self.available))
        self.restore_rate = float(throttle_status.get("restoreRate", self.restore_rate)) or self.restore_rate
        self.observed_at = now

    def projected(self, *, now: float) -> float:
        if self.observed_at is None:
            return self.maximum
        return min(self.maximum, self.available + max(0.0, now - self.observed_at) * self.restore_rate)

    def wait_for(self, cost: float, *, now: float) -> float:
        """Seconds until ``cost`` points are available (0 when they already are)."""
        missing = min(cost, self.maximum) - self.projected(now=now)
        return max(0.0, missing / self.restore_rate) if missing > 0 else 0.0
