"""HTTP discipline every vendor connector shares: request counting, retry policy, Retry-After.

Each connector keeps its own transport (what is retryable, which errors it raises); the policy,
the counters and the header parsing are the same for all of them.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3.exceptions
from django.conf import settings


@dataclass
class ClientStats:
    """What a client has sent: HTTP requests (each attempt) and operations (a BC $batch of 40 = 40)."""

    requests: int = 0
    operations: int = 0
    retries: int = 0
    throttled: int = 0
    by_method: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self, method: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_method[method] += 1

    def count_operations(self, n: int) -> None:
        with self._lock:
            self.operations += n

    def count_retry(self, *, throttled: bool) -> None:
        with self._lock:
            self.retries += 1
            self.throttled += int(throttled)

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "operations": self.operations,
                "retries": self.retries,
                "throttled": self.throttled,
                "by_method": dict(self.by_method),
            }


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    max_seconds: float = 300.0
    base_delay: float = 1.0
    max_delay: float = 60.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]."""
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])
        return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError)
    return False


def retry_policy_from_settings(prefix: str) -> RetryPolicy:
    """The policy from ``{prefix}_RETRY_MAX_ATTEMPTS``, ``_MAX_SECONDS`` and ``_BASE_DELAY`` settings."""
    return RetryPolicy(
        max_attempts=getattr(settings, f"{prefix}_RETRY_MAX_ATTEMPTS"),
        max_seconds=getattr(settings, f"{prefix}_RETRY_MAX_SECONDS"),
        base_delay=getattr(settings, f"{prefix}_RETRY_BASE_DELAY"),
    )
