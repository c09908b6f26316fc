"""The simulator's clock. Shopify time can run faster than wall time (``scale``) or be moved by
hand (``advance``), so throttle waits and bulk operations cost no real time in tests."""

from __future__ import annotations

import datetime as dt
import threading
import time

DEFAULT_START = dt.datetime(2025, 4, 1, 8, 0, tzinfo=dt.UTC)


class SimClock:
    def __init__(self, *, scale: float = 1.0, start: dt.datetime = DEFAULT_START) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self._lock = threading.Lock()
        self._scale = scale
        self._anchor_sim = start
        self._anchor_wall = time.monotonic()

    def _now(self) -> dt.datetime:
        return self._anchor_sim + dt.timedelta(seconds=(time.monotonic() - self._anchor_wall) * self._scale)

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now()

    def timestamp(self) -> float:
        """Simulated seconds (for the cost bucket)."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._anchor_sim += dt.timedelta(seconds=max(0.0, seconds))

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of simulated time (wall time divided by the scale)."""
        if seconds > 0:
            time.sleep(seconds / self._scale)


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
