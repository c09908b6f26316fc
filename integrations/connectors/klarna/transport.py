"""HTTP Basic GETs to the Klarna Settlements API: retried, counted, errors as KlarnaError.

Every call is a read, so 429, 5xx and transport failures are retried (backoff with full jitter,
Retry-After honoured, within KLARNA_RETRY_* limits); other 4xx are raised at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from django.conf import settings

from integrations.connectors.http import ClientStats, RetryPolicy, parse_retry_after, retry_policy_from_settings
from integrations.connectors.klarna.exceptions import (
    KlarnaAuthError,
    KlarnaBadRequest,
    KlarnaError,
    KlarnaNotFound,
    KlarnaServerError,
    KlarnaTransportError,
)

logger = logging.getLogger(__name__)
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class Transport:
    def __init__(
        self,
        *,
        username: str,
        password: str,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._auth = (username, password)
        self.session = session or requests.Session()
        self.timeout = timeout or (settings.PAYOUT_HTTP_CONNECT_TIMEOUT, settings.PAYOUT_HTTP_READ_TIMEOUT)
        self.retry_policy = retry_policy or retry_policy_from_settings("KLARNA")
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.stats = ClientStats()

    def get(self, url: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` and return its JSON body."""
        policy = self.retry_policy
        deadline = time.monotonic() + policy.max_seconds
        self.stats.count_operations(1)
        attempt = 0
        while True:
            attempt += 1
            self.stats.count_request("GET")
            retry_after = None
            try:
                response = self.session.get(
                    url,
                    params=params,
                    auth=self._auth,
                    headers={"Accept": "application/json"},
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                error: KlarnaError = KlarnaTransportError(
                    f"Could not reach Klarna ({type(exc).__name__}).", vendor_code="Transport_" + type(exc).__name__
                )
            else:
                if response.status_code < 400:
                    return response.json()
                error = _error(response)
                if response.status_code not in RETRYABLE_STATUSES:
                    raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt >= policy.max_attempts:
                raise error
            delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if time.monotonic() + delay > deadline:
                raise error
            self.stats.count_retry(throttled=error.status == 429)
            logger.warning("Klarna GET %s: %s, retry %d in %.2fs", url.split("?")[0], error.status, attempt, delay)
            self._sleep(delay)


def _error(response: requests.Response) -> KlarnaError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    messages = body.get("error_messages") or []
    message = "; ".join(str(m) for m in messages) or f"Klarna answered HTTP {response.status_code}."
    status = response.status_code
    error_class: type[KlarnaError] = KlarnaError
    if status in (401, 403):
        error_class, message = KlarnaAuthError, "Klarna refused the API credentials."
    elif status == 404:
        error_class = KlarnaNotFound
    elif status == 400:
        error_class = KlarnaBadRequest
    elif status in RETRYABLE_STATUSES:
        error_class = KlarnaServerError
    return error_class(
        message,
        vendor_code=str(body.get("error_code") or status),
        status=status,
        correlation_id=str(body.get("correlation_id") or ""),
    )
