"""HTTP to the Shopify GraphQL Admin API: timeouts, retries, cost throttle, error mapping, counting.

Endpoint: ``https://{shop}/admin/api/{version}/graphql.json`` with ``X-Shopify-Access-Token``.
When ``SHOPIFY_API_ROOT`` is set (a simulator, a proxy) it replaces ``https://{shop}`` and the shop
domain becomes the first path segment: ``{root}/{shop}/admin/api/{version}/graphql.json``.

Retry policy (the BC connector's discipline, integrations/connectors/http.py):
- 429, 500, 502, 503, 504 and transport failures are retried with exponential backoff and full
  jitter, honouring ``Retry-After``, bounded by ``SHOPIFY_RETRY_MAX_ATTEMPTS`` attempts and
  ``SHOPIFY_RETRY_MAX_SECONDS`` in total; what is left raises ``ShopifyThrottled`` (SHOP-003) or
  ``ShopifyUnavailable`` (SHOP-005). A failure is never returned as ``None``.
- A GraphQL ``THROTTLED`` answer (HTTP 200) was not executed: the client waits for the cost bucket
  to refill and resends, at most ``max_throttle_retries`` times.
- A mutation is resent only when Shopify cannot have applied it: a 429, a THROTTLED answer, or a
  connection that was never established. Otherwise (read timeout, dropped connection, 5xx after
  sending) it raises ``ShopifyAmbiguousWriteError`` (SHOP-008), unless the mutation carries an
  ``@idempotent`` key: Shopify then applies a resent request at most once, so it is retried like a read.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import requests
from django.conf import settings

from integrations.connectors.http import RetryPolicy, never_sent, parse_retry_after, retry_policy_from_settings
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.exceptions import (
    ShopifyAmbiguousWriteError,
    ShopifyAuthError,
    ShopifyError,
    ShopifyNotFound,
    ShopifyQueryRefused,
    ShopifyThrottled,
    ShopifyTimeout,
    ShopifyUnavailable,
    ShopifyUnreachable,
)
from integrations.connectors.shopify.throttle import CostBucket
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION

logger = logging.getLogger("integrations.connectors.shopify")

TokenProvider = Callable[[], str]


def fixed_token(access_token) -> TokenProvider:
    """A provider of one fixed token: a plain string or an integrations.crypto.Secret (kept out of
    repr and str)."""
    token = access_token.reveal() if hasattr(access_token, "reveal") else str(access_token)
    return lambda: token


RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Answers Shopify gives before executing anything: a write may be resent.
WRITE_SAFE_STATUSES = frozenset({429})
_MUTATION_RE = re.compile(r"^\s*mutation\b")
_IDEMPOTENT_RE = re.compile(r"@idempotent\s*\(")
# GraphQL error codes that mean "the document itself is refused" (validation, cost limit).
_REFUSED_CODES = frozenset({"MAX_COST_EXCEEDED", "BAD_REQUEST", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"})


def is_mutation(document: str) -> bool:
    return bool(_MUTATION_RE.match(document))


def is_idempotent(document: str) -> bool:
    return bool(_IDEMPOTENT_RE.search(document))


def endpoint_for(shop_domain: str, *, api_root: str = "") -> str:
    base = f"{api_root.rstrip('/')}/{shop_domain}" if api_root else f"https://{shop_domain}"
    return f"{base}/admin/api/{SHOPIFY_API_VERSION}/graphql.json"


def default_timeout() -> tuple[float, float]:
    return (settings.SHOPIFY_HTTP_CONNECT_TIMEOUT, settings.SHOPIFY_HTTP_READ_TIMEOUT)


class ShopifyTransport:
    """One shop's authenticated, retried, cost-aware GraphQL exchange."""

    def __init__(
        self,
        *,
        shop_domain: str,
        token_provider: TokenProvider,
        api_root: str = "",
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        max_throttle_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.shop_domain = shop_domain
        self.endpoint = endpoint_for(shop_domain, api_root=api_root)
        self._token_provider = token_provider
        self.session = session or requests.Session()
        self.timeout = timeout or default_timeout()
        self.retry_policy = retry_policy or retry_policy_from_settings("SHOPIFY")
        self.max_throttle_retries = max_throttle_retries
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.bucket = CostBucket()
        self._known_costs: dict[str, int] = {}
        self.stats = t.ClientStats()
        # The version Shopify says it served (X-Shopify-API-Version); differs from ours after sunset.
        self.served_api_version = ""

    # --- GraphQL ---------------------------------------------------------------------------------

    def execute(self, query: str, variables: dict | None = None) -> dict:
        """Run one GraphQL document and return its ``data``; raises the connector's errors."""
        try:
            return self._execute(query, variables)
        except ShopifyError as error:
            error.shop = error.shop or self.shop_domain
            raise

    def _execute(self, query: str, variables: dict | None) -> dict:
        key = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()
        write = is_mutation(query)
        resend_safe = not write or is_idempotent(query)
        throttled = 0
        while True:
            self.wait(self.bucket.wait_for(self._known_costs.get(key, 0), now=self._clock()))
            body = self._post(query, variables, resend_safe=resend_safe)
            cost = (body.get("extensions") or {}).get("cost") or {}
            self._observe_cost(key, cost)
            errors = body.get("errors") or []
            if isinstance(errors, list) and any(_error_code(e) == "THROTTLED" for e in errors):
                throttled += 1
                self.stats.throttled += 1
                if throttled > self.max_throttle_retries:
                    raise ShopifyThrottled("Shopify kept throttling the request; the retry budget is spent.")
                requested = float(cost.get("requestedQueryCost") or 0)
                self.wait(self.bucket.wait_for(requested, now=self._clock()))
                continue
            if errors:
                raise _error_from(errors, write=write and not resend_safe)
            data = body.get("data")
            if not isinstance(data, dict):
                raise ShopifyError("Shopify answered without data.")
            return data

    def _post(self, query: str, variables: dict | None, *, resend_safe: bool) -> dict:
        policy = self.retry_policy
        deadline = self._clock() + policy.max_seconds
        attempt = 0
        while True:
            attempt += 1
            token = self._token_provider()
            try:
                token.encode("latin-1")
            except UnicodeEncodeError:
                raise ShopifyAuthError(
                    "The stored Shopify access token holds characters a token never has; reconnect the shop."
                ) from None
            headers = {"X-Shopify-Access-Token": token, "Content-Type": "application/json"}
            retry_after: float | None = None
            self.stats.requests += 1
            try:
                response = self.session.post(
                    self.endpoint,
                    json={"query": query, "variables": variables or {}},
                    headers=headers,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                if not resend_safe and not never_sent(exc):
                    raise ShopifyAmbiguousWriteError(
                        f"No answer from Shopify to a mutation ({type(exc).__name__}); it may have been applied."
                    ) from None
                error: ShopifyError = (
                    ShopifyTimeout(f"Shopify did not answer in time ({type(exc).__name__}).")
                    if isinstance(exc, requests.Timeout)
                    else ShopifyUnreachable(f"Shopify could not be reached ({type(exc).__name__}).")
                )
            else:
                status = response.status_code
                self._note_version(response)
                if status < 400:
                    return _json(response)
                error = self._status_error(response)
                if status not in RETRYABLE_STATUSES:
                    raise error
                if not resend_safe and status not in WRITE_SAFE_STATUSES:
                    raise ShopifyAmbiguousWriteError(
                        f"Shopify answered HTTP {status} to a mutation; it may have been applied.", status=status
                    ) from error
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if attempt >= policy.max_attempts:
                raise error
            delay = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if self._clock() + delay > deadline:
                raise error
            self.stats.retries += 1
            logger.warning(
                "Shopify %s: %s, retry %d in %.2fs",
                self.shop_domain,
                error.status or type(error).__name__,
                attempt,
                delay,
            )
            self.wait(delay)

    def _status_error(self, response: requests.Response) -> ShopifyError:
        status = response.status_code
        if status in (401, 403):
            return ShopifyAuthError(
                f"Shopify rejected the access token (HTTP {status}): it is invalid, revoked or lacks a required scope.",
                status=status,
            )
        if status in (402, 404, 423):
            # 402 Payment Required (frozen shop), 404 unknown shop, 423 Locked (shop locked).
            return ShopifyNotFound(f"Shop {self.shop_domain} is unavailable (HTTP {status}).", status=status)
        if status == 429:
            return ShopifyThrottled("Shopify answered 429 Too Many Requests.", status=429)
        if status >= 500:
            return ShopifyUnavailable(f"Shopify answered HTTP {status}.", status=status)
        return ShopifyQueryRefused(f"Shopify refused the request (HTTP {status}).", status=status)

    def _note_version(self, response: requests.Response) -> None:
        served = response.headers.get("X-Shopify-API-Version") or ""
        if served and served != SHOPIFY_API_VERSION and served != self.served_api_version:
            logger.warning(
                "Shopify %s served API version %s instead of %s: the pinned version is no longer supported.",
                self.shop_domain,
                served,
                SHOPIFY_API_VERSION,
            )
        self.served_api_version = served or self.served_api_version

    def _observe_cost(self, key: str, cost: dict) -> None:
        if not cost:
            return
        requested = int(cost.get("requestedQueryCost") or 0)
        self._known_costs[key] = requested
        self.stats.cost_requested += requested
        self.stats.cost_used += int(cost.get("actualQueryCost") or 0)
        if cost.get("throttleStatus"):
            self.bucket.observe(cost["throttleStatus"], now=self._clock())

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            logger.debug("Shopify %s: waiting %.2fs", self.shop_domain, seconds)
            self.stats.waited_seconds += seconds
            self._sleep(seconds)

    # --- bulk result files -----------------------------------------------------------------------

    @contextmanager
    def download(self, url: str) -> Iterator[Iterator[bytes]]:
        """Stream a pre-signed bulk result file. The access token is deliberately not sent there."""
        try:
            response = self.session.get(url, stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ShopifyUnavailable(f"Bulk result download failed ({type(exc).__name__}).") from exc
        self.stats.requests += 1
        with response:
            if response.status_code != 200:
                raise ShopifyUnavailable(
                    f"Bulk result download answered HTTP {response.status_code}.", status=response.status_code
                )

            def chunks() -> Iterator[bytes]:
                try:
                    yield from response.iter_content(chunk_size=1 << 16)
                except requests.RequestException as exc:
                    raise ShopifyUnavailable(f"Bulk result download failed ({type(exc).__name__}).") from exc

            yield chunks()


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise ShopifyUnavailable("Shopify answered with a body that is not JSON.", status=response.status_code) from exc
    if not isinstance(body, dict):
        raise ShopifyUnavailable("Shopify answered with JSON that is not an object.", status=response.status_code)
    return body


def _error_code(error) -> str:
    if not isinstance(error, dict):
        return ""
    return str((error.get("extensions") or {}).get("code") or "")


def _error_from(errors, *, write: bool) -> ShopifyError:
    if not isinstance(errors, list):
        errors = [{"message": str(errors)}]
    message = "; ".join(str(e.get("message", "unknown error")) if isinstance(e, dict) else str(e) for e in errors)
    codes = {_error_code(e) for e in errors}
    if "ACCESS_DENIED" in codes:
        return ShopifyAuthError(f"Shopify denied access: {message}", errors=errors)
    if "NOT_FOUND" in codes:
        return ShopifyNotFound(message, errors=errors)
    if "INTERNAL_SERVER_ERROR" in codes:
        if write:
            return ShopifyAmbiguousWriteError(f"Shopify failed inside a mutation: {message}", errors=errors)
        return ShopifyUnavailable(f"Shopify failed: {message}", errors=errors)
    if (
        codes & _REFUSED_CODES
        or any(c[:1].islower() for c in codes if c)
        or any(isinstance(e, dict) and e.get("locations") for e in errors)
    ):
        return ShopifyQueryRefused(f"Shopify refused the query: {message}", errors=errors)
    return ShopifyError(f"Shopify GraphQL error: {message}", errors=errors)
