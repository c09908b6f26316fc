"""HTTP to Business Central: timeouts, retries, error mapping, request counting and logging.

Retry policy (docs/architecture.md, "Business Central client"):
- 429, 502, 503, 504 and transport failures are retried with exponential backoff and full
  jitter, honouring Retry-After, bounded by attempts and total seconds.
- A write (anything but GET, and a $batch holding a write) is retried only when BC cannot have
  applied it: a 429 or 503 (rejected or queued out before processing) or a connection that was
  never established. A read timeout, a dropped connection, a 502 or a 504 after a write was sent
  raise BCAmbiguousWriteError instead: the caller looks the document up before creating it again.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from django.conf import settings

from integrations.connectors.businesscentral.exceptions import (
    BCAmbiguousWriteError,
    BCError,
    BCTimeout,
    BCTransportError,
    error_from_envelope,
)
from integrations.connectors.businesscentral.odata import encode_query

logger = logging.getLogger("integrations.connectors.businesscentral")

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# Returned by BC before it starts processing (throttled, or queued out): safe to resend a write.
WRITE_SAFE_STATUSES = frozenset({429, 503})

TokenProvider = Callable[[], str]


@dataclass
class ClientStats:
    """What a client has sent: HTTP requests (each attempt) and BC operations (a $batch of 40 = 40)."""

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

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        return cls(
            max_attempts=settings.BC_RETRY_MAX_ATTEMPTS,
            max_seconds=settings.BC_RETRY_MAX_SECONDS,
            base_delay=settings.BC_RETRY_BASE_DELAY,
        )

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


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never established, so BC cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])
        return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError)
    return False


def parse_json(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError:
        return None


def default_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = True  # proxies and CA variables from the environment still apply
    if settings.BC_CA_BUNDLE:
        session.verify = settings.BC_CA_BUNDLE
    return session


class Transport:
    """One authenticated, retried, counted HTTP exchange at a time (thread-safe counters)."""

    def __init__(
        self,
        *,
        token_provider: TokenProvider,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._token_provider = token_provider
        self.session = session or default_session()
        self.timeout = timeout or (settings.BC_HTTP_CONNECT_TIMEOUT, settings.BC_HTTP_READ_TIMEOUT)
        self.retry_policy = retry_policy or RetryPolicy.from_settings()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.stats = ClientStats()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        write: bool | None = None,
        operations: int = 1,
    ) -> requests.Response:
        """Send with retries; return the 2xx response or raise a BCError subclass."""
        is_write = method != "GET" if write is None else write
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{encode_query(params)}"
        data = None if body is None else json.dumps(body, default=_json_default).encode()
        policy = self.retry_policy
        deadline = self._clock() + policy.max_seconds
        self.stats.count_operations(operations)
        attempt = 0
        while True:
            attempt += 1
            token = self._token_provider()
            request_headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
            if data is not None:
                request_headers["Content-Type"] = "application/json"
            request_headers.update(headers or {})
            retry_after: float | None = None
            started = self._clock()
            self.stats.count_request(method)
            try:
                response = self.session.request(
                    method, url, data=data, headers=request_headers, timeout=self.timeout, allow_redirects=False
                )
            except requests.RequestException as exc:
                self._log(method, url, None, started, attempt)
                if is_write and not _never_sent(exc):
                    raise BCAmbiguousWriteError(
                        f"No answer from Business Central to {method} {_path(url)}; the write may have been applied.",
                        code="Transport_" + type(exc).__name__,
                    ) from None
                error: BCError = (
                    BCTimeout(
                        f"Business Central did not answer {method} {_path(url)} in time.", code="Transport_Timeout"
                    )
                    if isinstance(exc, requests.Timeout)
                    else BCTransportError(
                        f"Could not reach Business Central for {method} {_path(url)}.", code="Transport_ConnectionError"
                    )
                )
            else:
                status = response.status_code
                self._log(method, url, status, started, attempt)
                if status < 400:
                    return response
                error = self._error(response, token)
                if status not in RETRYABLE_STATUSES:
                    raise error
                if is_write and status not in WRITE_SAFE_STATUSES:
                    raise BCAmbiguousWriteError(
                        error.message, code=error.code, status=status, correlation_id=error.correlation_id
                    ) from error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt >= policy.max_attempts:
                raise error
            delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if self._clock() + delay > deadline:
                raise error
            self.stats.count_retry(throttled=error.status == 429)
            logger.warning(
                "BC %s %s: %s, retry %d in %.2fs", method, _path(url), error.status or error.code, attempt, delay
            )
            self._sleep(delay)

    def _error(self, response: requests.Response, token: str) -> BCError:
        error = error_from_envelope(
            status=response.status_code, body=parse_json(response), fallback_message=response.reason or ""
        )
        if token and token in error.raw_message:  # belt and braces: a token never travels in an exception
            error.raw_message = error.raw_message.replace(token, "***")
            error.message = error.message.replace(token, "***")
            error.args = (str(error),)
        return error

    def _log(self, method: str, url: str, status: int | None, started: float, attempt: int) -> None:
        level = logging.DEBUG if status is not None and status < 400 else logging.INFO
        logger.log(
            level,
            "BC %s %s -> %s in %.0fms (attempt %d)",
            method,
            _path(url),
            status if status is not None else "no response",
            (self._clock() - started) * 1000,
            attempt,
        )


def _path(url: str) -> str:
    """The URL path only: query strings (filters with e-mail addresses, skip tokens) stay out of logs."""
    return urlsplit(url).path


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"Not JSON serialisable: {type(value).__name__}")
