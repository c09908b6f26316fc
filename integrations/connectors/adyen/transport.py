"""GETs of Adyen report files (HTTP Basic with the report user, or X-API-Key): retried and counted.

Downloads are reads: 429, 5xx and transport failures are retried within ADYEN_RETRY_* limits;
401/403 and 404 are raised at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import requests
from django.conf import settings

from integrations.connectors.adyen.exceptions import (
    AdyenAuthError,
    AdyenError,
    AdyenReportNotFound,
    AdyenTransportError,
)
from integrations.connectors.http import ClientStats, RetryPolicy, parse_retry_after, retry_policy_from_settings

logger = logging.getLogger(__name__)
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class Transport:
    def __init__(
        self,
        *,
        username: str = "",
        password: str = "",
        api_key: str = "",
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._auth = (username, password) if username else None
        self._headers = {"X-API-Key": api_key} if api_key and not username else {}
        self.session = session or requests.Session()
        self.timeout = timeout or (settings.PAYOUT_HTTP_CONNECT_TIMEOUT, settings.PAYOUT_HTTP_READ_TIMEOUT)
        self.retry_policy = retry_policy or retry_policy_from_settings("ADYEN")
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.stats = ClientStats()

    def get_text(self, url: str) -> str:
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
                    url, auth=self._auth, headers=self._headers, timeout=self.timeout, allow_redirects=False
                )
            except requests.RequestException as exc:
                error: AdyenError = AdyenTransportError(f"Could not reach Adyen ({type(exc).__name__}).")
            else:
                status = response.status_code
                if status < 400:
                    response.encoding = response.encoding or "utf-8"
                    return response.text
                if status in (401, 403):
                    raise AdyenAuthError("Adyen refused the report user's credentials.", status=status)
                if status == 404:
                    raise AdyenReportNotFound("Adyen has no such report (yet).", status=status)
                error = AdyenTransportError(f"Adyen answered HTTP {status}.", status=status)
                if status not in RETRYABLE_STATUSES:
                    raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt >= policy.max_attempts:
                raise error
            delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if time.monotonic() + delay > deadline:
                raise error
            self.stats.count_retry(throttled=error.status == 429)
            logger.warning("Adyen report download: %s, retry %d in %.2fs", error.status, attempt, delay)
            self._sleep(delay)
