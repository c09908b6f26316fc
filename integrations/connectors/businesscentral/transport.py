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
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from integrations.connectors.businesscentral.credentials import (
    Authorization,
    BearerToken,
    CredentialsProvider,
    TokenProvider,
)
from integrations.connectors.businesscentral.exceptions import (
    BCAccessKeyRejected,
    BCAmbiguousWriteError,
    BCError,
    BCTimeout,
    BCTransportError,
    error_from_envelope,
)
from integrations.connectors.businesscentral.odata import encode_query
from integrations.connectors.http import (
    ClientStats,
    RetryPolicy,
    never_sent,
    parse_retry_after,
    retry_policy_from_settings,
)

logger = logging.getLogger("integrations.connectors.businesscentral")

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# Returned by BC before it starts processing (throttled, or queued out): safe to resend a write.
WRITE_SAFE_STATUSES = frozenset({429, 503})

__all__ = ["CredentialsProvider", "TokenProvider", "Transport", "default_session", "parse_json"]


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
    """One authenticated, retried, counted HTTP exchange at a time (thread-safe counters).

    Authenticated by ``credentials`` (a bearer token or an on-premises access key), or by
    ``token_provider`` as a shorthand for a bearer token.
    """

    def __init__(
        self,
        *,
        token_provider: TokenProvider | None = None,
        credentials: CredentialsProvider | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        if credentials is None:
            if token_provider is None:
                raise ValueError("Pass exactly one of token_provider and credentials.")
            credentials = BearerToken(token_provider)
        elif token_provider is not None:
            raise ValueError("Pass exactly one of token_provider and credentials.")
        self._credentials = credentials
        self.session = session or default_session()
        self.timeout = timeout or (settings.BC_HTTP_CONNECT_TIMEOUT, settings.BC_HTTP_READ_TIMEOUT)
        self.retry_policy = retry_policy or retry_policy_from_settings("BC")
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
            authorization = self._credentials()
            request_headers = {"Accept": "application/json", "Authorization": authorization.header}
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
                if is_write and not never_sent(exc):
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
                error = self._error(response, authorization)
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

    def _error(self, response: requests.Response, authorization: Authorization) -> BCError:
        error = error_from_envelope(
            status=response.status_code, body=parse_json(response), fallback_message=response.reason or ""
        )
        if response.status_code == 401 and authorization.is_access_key:
            error = BCAccessKeyRejected(
                error.message,
                code=error.code,
                status=error.status,
                correlation_id=error.correlation_id,
                raw_message=error.raw_message,
            )
        for secret in authorization.secrets:  # belt and braces: a token or key never travels in an exception
            if secret and secret in error.raw_message:
                error.raw_message = error.raw_message.replace(secret, "***")
                error.message = error.message.replace(secret, "***")
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
