"""The simulator's clock: BC time can run faster than wall time so benchmarks finish sooner.

Limits (the 5-minute window) and latencies are measured in simulator seconds. With ``scale=60``
one wall second is one simulated minute: a 300 ms latency sleeps 5 ms of wall time and the
throttle window slides 60 times faster.
"""

from __future__ import annotations

import datetime as dt
import threading
import time


class SimClock:
    def __init__(self, scale: float = 1.0, start: dt.datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._scale = scale
        self._anchor_sim = start or dt.datetime.now(dt.UTC)
        self._anchor_wall = time.monotonic()

    @property
    def scale(self) -> float:
        return self._scale

    @scale.setter
    def scale(self, value: float) -> None:
        if value <= 0:
            raise ValueError("scale must be positive")
        with self._lock:
            self._anchor_sim = self._now_unlocked()
            self._anchor_wall = time.monotonic()
            self._scale = value

    def _now_unlocked(self) -> dt.datetime:
        elapsed = (time.monotonic() - self._anchor_wall) * self._scale
        return self._anchor_sim + dt.timedelta(seconds=elapsed)

    def now(self) -> dt.datetime:
        with self._lock:
            return self._now_unlocked()

    def today(self) -> dt.date:
        return self.now().date()

    def timestamp(self) -> float:
        """Simulated seconds, for windows and queues."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> None:
        """Jump forward (tests use this to let a throttle window slide without waiting)."""
        with self._lock:
            self._anchor_sim += dt.timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of simulated time."""
        if seconds > 0:
            time.sleep(seconds / self._scale)
