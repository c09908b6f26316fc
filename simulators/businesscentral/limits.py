"""Switchable BC behaviours: per-user throttling, latency and fault injection.

All three default to OFF so functional tests see a plain, fast API. Times are simulator seconds
(see clock.py). Tests and benchmarks flip them on the simulator object, e.g.
``sim.throttle.configure(enabled=True, requests_per_window=10)``.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from .clock import SimClock
from .errors import BCError

# BC's body for throttling is not documented; this code/message is what BC online has been
# seen to return. [assumption]
TOO_MANY_REQUESTS = "Application_TooManyRequests"


class Throttle:
    """BC online's per-user limits: 6,000 requests per 5-minute sliding window and 5 concurrent
    requests processing, the rest queued (at most 95 waiting; a request queued longer than
    8 minutes gets 503)."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.enabled = False
        self.requests_per_window = 6000
        self.window_seconds = 300.0
        self.max_concurrent = 5
        self.max_queue = 95
        self.queue_timeout_seconds = 480.0
        self.retry_after_seconds: int | None = None  # BC sends none on 429; set one to test clients
        self._hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._slots: dict[str, threading.Semaphore] = {}
        self._waiting: dict[str, int] = collections.defaultdict(int)
        self.rejected = 0

    def configure(self, **settings) -> Throttle:
        for name, value in settings.items():
            if not hasattr(self, name) or name.startswith("_"):
                raise AttributeError(f"unknown throttle setting {name!r}")
            setattr(self, name, value)
        with self._lock:
            self._slots.clear()
        return self

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
            self.rejected = 0

    def _reject(self, message: str) -> BCError:
        self.rejected += 1
        return BCError(TOO_MANY_REQUESTS, message, status=429)

    def admit(self, principal: str) -> None:
        """Count one request against the sliding window; raise 429 when the window is full."""
        if not self.enabled:
            return
        now = self._clock.timestamp()
        with self._lock:
            hits = self._hits[principal]
            while hits and hits[0] <= now - self.window_seconds:
                hits.popleft()
            if len(hits) >= self.requests_per_window:
                raise self._reject(
                    f"Too many requests reached.  Actual ({len(hits) + 1}). Maximum ({self.requests_per_window})."
                )
            hits.append(now)

    @contextlib.contextmanager
    def slot(self, principal: str) -> Iterator[None]:
        """Hold one of the user's concurrent processing slots; queue (bounded) when all are busy."""
        if not self.enabled:
            yield
            return
        with self._lock:
            semaphore = self._slots.setdefault(principal, threading.Semaphore(self.max_concurrent))
            if self._waiting[principal] >= self.max_queue:
                raise self._reject(
                    f"Too many requests reached.  Actual ({self._waiting[principal] + 1}). Maximum ({self.max_queue})."
                )
            self._waiting[principal] += 1
        try:
            acquired = semaphore.acquire(timeout=self.queue_timeout_seconds / self._clock.scale)
        finally:
            with self._lock:
                self._waiting[principal] -= 1
        if not acquired:
            raise BCError("Internal_TenantUnavailable", "The request was queued for too long.", status=503)
        try:
            yield
        finally:
            semaphore.release()


class Latency:
    """Simulated processing time: ``per_request`` once per HTTP request, ``per_operation`` once per
    operation (a $batch of 40 operations costs 40 x per_operation)."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.per_request = 0.0
        self.per_operation = 0.0

    def configure(self, *, per_request: float | None = None, per_operation: float | None = None) -> Latency:
        if per_request is not None:
            self.per_request = per_request
        if per_operation is not None:
            self.per_operation = per_operation
        return self

    def request_delay(self) -> None:
        self._clock.sleep(self.per_request)

    def operation_delay(self) -> None:
        self._clock.sleep(self.per_operation)


@dataclass
class InjectedFault:
    kind: str  # "status" | "drop_after_commit"
    status: int = 503
    retry_after: int | None = None
    code: str = "Internal_TenantUnavailable"
    message: str = "The service is temporarily unavailable."


class Faults:
    """Scripted failures by request number (1-based, counted over all authenticated requests
    from the moment the fault is armed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scheduled: dict[int, InjectedFault] = {}
        self._seen = 0
        self.injected = 0

    def clear(self) -> None:
        with self._lock:
            self._scheduled.clear()
            self._seen = 0

    def _schedule(self, offsets: range, fault: InjectedFault) -> None:
        with self._lock:
            for offset in offsets:
                self._scheduled[self._seen + offset] = fault

    def fail_nth(self, n: int = 1, *, status: int = 503, retry_after: int | None = 5) -> Faults:
        """The n-th next request fails with ``status`` (503/502 carry Retry-After like BC)."""
        codes = {503: "Internal_TenantUnavailable", 502: "Internal_ServerError", 500: "Internal_ServerError"}
        fault = InjectedFault("status", status, retry_after, codes.get(status, "Internal_ServerError"))
        self._schedule(range(n, n + 1), fault)
        return self

    def gateway_timeout_nth(self, n: int = 1) -> Faults:
        """The n-th next request gets 504 (BC: the request ran over 10 minutes; split it)."""
        fault = InjectedFault("status", 504, None, "Internal_ServerError", "The operation has timed out.")
        self._schedule(range(n, n + 1), fault)
        return self

    def storm_429(self, count: int, *, retry_after: int | None = None) -> Faults:
        """The next ``count`` requests get 429."""
        fault = InjectedFault("status", 429, retry_after, TOO_MANY_REQUESTS, "Too many requests reached.")
        self._schedule(range(1, count + 1), fault)
        return self

    def drop_response_after_commit(self, n: int = 1) -> Faults:
        """The n-th next request is processed and committed, then its response is lost: the
        connection is aborted (real HTTP) or a 500 with an empty body is returned (in-process)."""
        self._schedule(range(n, n + 1), InjectedFault("drop_after_commit", 500))
        return self

    def next_fault(self) -> InjectedFault | None:
        with self._lock:
            self._seen += 1
            fault = self._scheduled.pop(self._seen, None)
            if fault is not None:
                self.injected += 1
            return fault
