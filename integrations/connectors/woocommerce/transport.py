"""HTTP to a WooCommerce store: basic auth over HTTPS, timeouts, retries, error mapping, counting.

- The consumer key and secret go as HTTP basic auth, which WooCommerce accepts over HTTPS only;
  a plain ``http://`` store URL is refused before anything is sent (WooInsecureStoreUrl).
- 429, 502, 503, 504 and transport failures are retried with exponential backoff and full jitter
  (integrations/connectors/http.py), honouring Retry-After, bounded by attempts and total seconds.
- A write is retried only when WooCommerce cannot have applied it (429, 503, a connection never
  established) or when it is idempotent (setting an absolute stock quantity); otherwise a timeout,
  a dropped connection, a 502 or a 504 after sending raises WooAmbiguousWriteError.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings

from integrations.connectors.http import (
    ClientStats,
    RetryPolicy,
    never_sent,
    parse_retry_after,
    retry_policy_from_settings,
)
from integrations.connectors.woocommerce.exceptions import (
    WooAmbiguousWriteError,
    WooError,
    WooInsecureStoreUrl,
    WooResponseError,
    WooTimeout,
    WooTransportError,
    error_from_body,
)

logger = logging.getLogger("integrations.connectors.woocommerce")

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
WRITE_SAFE_STATUSES = frozenset({429, 503})
USER_AGENT = "junipeer-bc (WooCommerce REST v3 client)"


def parse_json(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError:
        return None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Not JSON serialisable: {type(value).__name__}")


def _path(url: str) -> str:
    """The URL path only: query strings stay out of logs and exceptions."""
    return urlsplit(url).path


def encode_params(params: Mapping[str, Any]) -> str:
    """Lists as comma-separated values (WordPress accepts both forms for array parameters)."""
    flat = {
        k: ",".join(str(v) for v in value) if isinstance(value, list | tuple) else value for k, value in params.items()
    }
    return urlencode({k: ("true" if v is True else "false" if v is False else v) for k, v in flat.items()})


class Transport:
    """One authenticated, retried, counted exchange at a time with one store."""

    def __init__(
        self,
        *,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.store_url = store_url.rstrip("/")
        if urlsplit(self.store_url).scheme != "https":
            raise WooInsecureStoreUrl(
                "The store URL must start with https://: WooCommerce accepts the consumer key and secret "
                "over HTTPS only.",
                code="insecure_store_url",
                store=self.store_url,
            )
        self._auth = (consumer_key, consumer_secret)
        self.session = session or requests.Session()
        # Sent with each request: a session-level ``verify`` loses to REQUESTS_CA_BUNDLE in the environment.
        self._verify = settings.WOO_CA_BUNDLE if session is None and settings.WOO_CA_BUNDLE else None
        self.timeout = timeout or (settings.WOO_HTTP_CONNECT_TIMEOUT, settings.WOO_HTTP_READ_TIMEOUT)
        self.retry_policy = retry_policy or retry_policy_from_settings("WOO")
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.stats = ClientStats()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
        operations: int = 1,
    ) -> requests.Response:
        """Send with retries; return the 2xx response or raise a WooError subclass."""
        safe = method == "GET" if idempotent is None else idempotent
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{encode_params(params)}"
        data = None if body is None else json.dumps(body, default=_json_default).encode()
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if data is not None:
            headers["Content-Type"] = "application/json"
        policy = self.retry_policy
        deadline = self._clock() + policy.max_seconds
        self.stats.count_operations(operations)
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            started = self._clock()
            self.stats.count_request(method)
            try:
                response = self.session.request(
                    method,
                    url,
                    data=data,
                    headers=headers,
                    auth=self._auth,
                    timeout=self.timeout,
                    allow_redirects=False,
                    **({"verify": self._verify} if self._verify else {}),
                )
            except requests.RequestException as exc:
                self._log(method, url, None, started, attempt)
                if not safe and not never_sent(exc):
                    raise WooAmbiguousWriteError(
                        f"No answer from the store to {method} {_path(url)}; the write may have been applied.",
                        code="transport_" + type(exc).__name__,
                        store=self.store_url,
                    ) from None
                error: WooError = (
                    WooTimeout(
                        f"The store did not answer {method} {_path(url)} in time.",
                        code="transport_timeout",
                        store=self.store_url,
                    )
                    if isinstance(exc, requests.Timeout)
                    else WooTransportError(
                        f"Could not reach the store for {method} {_path(url)}.",
                        code="transport_connection_error",
                        store=self.store_url,
                    )
                )
            else:
                status = response.status_code
                self._log(method, url, status, started, attempt)
                if 200 <= status < 300:
                    return response
                error = self._error(response)
                if status not in RETRYABLE_STATUSES:
                    raise error
                if not safe and status not in WRITE_SAFE_STATUSES:
                    raise WooAmbiguousWriteError(
                        error.message, code=error.code, status=status, store=self.store_url
                    ) from error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt >= policy.max_attempts:
                raise error
            delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if self._clock() + delay > deadline:
                raise error
            self.stats.count_retry(throttled=error.status == 429)
            logger.warning(
                "WooCommerce %s %s: %s, retry %d in %.2fs",
                method,
                _path(url),
                error.status or error.code,
                attempt,
                delay,
            )
            self._sleep(delay)

    def json(self, response: requests.Response) -> Any:
        body = parse_json(response)
        if body is None:
            raise WooResponseError(
                f"The store answered {_path(response.url or '')} with something other than JSON.",
                code="invalid_json",
                status=response.status_code,
                store=self.store_url,
            )
        return body

    def _error(self, response: requests.Response) -> WooError:
        status = response.status_code
        if 300 <= status < 400:
            # A redirect (to a login page, or http -> https): never followed with credentials.
            return error_from_body(
                status=status,
                body=None,
                store=self.store_url,
                fallback_message=f"The store redirected the API request (HTTP {status}); check the store URL.",
            )
        error = error_from_body(
            status=status, body=parse_json(response), store=self.store_url, fallback_message=response.reason or ""
        )
        secret = self._auth[1]
        if secret and secret in error.message:  # a secret never travels in an exception
            error.message = error.message.replace(secret, "***")
            error.args = (str(error),)
        return error

    def _log(self, method: str, url: str, status: int | None, started: float, attempt: int) -> None:
        level = logging.DEBUG if status is not None and status < 400 else logging.INFO
        logger.log(
            level,
            "WooCommerce %s %s -> %s in %.0fms (attempt %d)",
            method,
            _path(url),
            status if status is not None else "no response",
            (self._clock() - started) * 1000,
            attempt,
        )
