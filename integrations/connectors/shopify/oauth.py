"""Shopify app installation: the authorization URL, the callback's signature, and the token endpoint.

A standalone app uses the authorization code grant:

1. the merchant is sent to ``https://{shop}/admin/oauth/authorize?client_id&scope&redirect_uri&state``;
2. Shopify redirects back with ``code``, ``shop``, ``state``, ``timestamp``, ``host`` and ``hmac``:
   HMAC-SHA256 (hex) with the client secret over the other query parameters, sorted by name and
   joined as ``name=value`` with ``&``;
3. the code is exchanged at ``POST https://{shop}/admin/oauth/access_token`` with ``expiring=1``
   for an expiring offline token: ``access_token``, ``expires_in`` (3600 s), ``refresh_token``,
   ``refresh_token_expires_in`` and the granted ``scope`` (comma-separated);
4. before it expires, ``grant_type=refresh_token`` at the same endpoint gives a new pair. Shopify
   keeps the previous refresh token usable until the new access token is used, so a lost answer
   is recovered by refreshing again with the stored one.

With ``SHOPIFY_API_ROOT`` set (a simulator, a proxy) ``https://{shop}`` becomes ``{root}/{shop}``,
as for the GraphQL endpoint. Nothing here logs or puts a token, a code or a secret in a message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from integrations.connectors.shopify.exceptions import ShopifyOAuthError, ShopifyRefreshRefused, ShopifyUnavailable

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
# A callback older than this is refused (Shopify signs ``timestamp`` into it).
CALLBACK_MAX_AGE = dt.timedelta(minutes=10)
# Answers of the token endpoint that mean "this grant is gone", not "try again".
REFUSED_STATUSES = frozenset({400, 401, 403})


@dataclass(frozen=True)
class OfflineToken:
    access_token: str
    expires_at: dt.datetime | None  # None: a non-expiring token (a custom app's, an old grant)
    refresh_token: str
    refresh_token_expires_at: dt.datetime | None
    scopes: frozenset[str]

    def __repr__(self) -> str:  # never show the tokens
        return f"OfflineToken(expires_at={self.expires_at!r}, scopes={sorted(self.scopes)!r})"


def shop_domain_clean(value: str) -> str | None:
    """``my-shop.myshopify.com`` from what a merchant types or Shopify sends; None when it is not one."""
    domain = (value or "").strip().lower().removeprefix("https://").removeprefix("http://").split("/")[0]
    return domain if SHOP_DOMAIN.match(domain) else None


def admin_base(shop_domain: str, *, api_root: str = "") -> str:
    return f"{api_root.rstrip('/')}/{shop_domain}" if api_root else f"https://{shop_domain}"


def authorize_url(
    *, shop_domain: str, client_id: str, scopes: Iterable[str], redirect_uri: str, state: str, api_root: str = ""
) -> str:
    query = urlencode({"client_id": client_id, "scope": ",".join(scopes), "redirect_uri": redirect_uri, "state": state})
    return f"{admin_base(shop_domain, api_root=api_root)}/admin/oauth/authorize?{query}"


def query_signature(*, params: Mapping[str, str], secret: str) -> str:
    """Hex HMAC-SHA256 of the query without ``hmac`` (and the legacy ``signature``), sorted by name."""
    message = "&".join(f"{key}={params[key]}" for key in sorted(params) if key not in ("hmac", "signature"))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def query_verify(*, params: Mapping[str, str], secrets: Iterable[str]) -> bool:
    """True when ``params['hmac']`` was made with one of ``secrets`` (two while one is rotated)."""
    given = str(params.get("hmac") or "").encode()
    return bool(given) and any(
        hmac.compare_digest(query_signature(params=params, secret=secret).encode(), given)
        for secret in secrets
        if secret
    )


def callback_timestamp_fresh(*, params: Mapping[str, str], now: dt.datetime) -> bool:
    try:
        stamp = dt.datetime.fromtimestamp(int(params.get("timestamp") or ""), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return False
    return abs(now - stamp) <= CALLBACK_MAX_AGE


def _token_request(
    *, shop_domain: str, form: dict, api_root: str, session: requests.Session | None, timeout: tuple[float, float]
) -> dict:
    url = f"{admin_base(shop_domain, api_root=api_root)}/admin/oauth/access_token"
    try:
        response = (session or requests).post(url, json=form, headers={"Accept": "application/json"}, timeout=timeout)
    except requests.RequestException as error:
        raise ShopifyUnavailable(f"The token endpoint of {shop_domain} could not be reached ({type(error).__name__}).")
    if response.status_code >= 500 or response.status_code == 429:
        raise ShopifyUnavailable(
            f"The token endpoint answered HTTP {response.status_code}.", status=response.status_code
        )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code in REFUSED_STATUSES:
        reason = str(body.get("error") or "refused")[:60] if isinstance(body, dict) else "refused"
        raise ShopifyRefreshRefused(f"Shopify refused the grant ({reason}).", status=response.status_code)
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        raise ShopifyOAuthError(f"The token endpoint answered HTTP {response.status_code} without a token.")
    return body


def _token_from(body: dict, *, now: dt.datetime) -> OfflineToken:
    def after(seconds) -> dt.datetime | None:
        try:
            return now + dt.timedelta(seconds=int(seconds)) if seconds not in (None, "") else None
        except (TypeError, ValueError):
            return None

    scopes = frozenset(s.strip() for s in str(body.get("scope") or "").split(",") if s.strip())
    return OfflineToken(
        access_token=str(body["access_token"]),
        expires_at=after(body.get("expires_in")),
        refresh_token=str(body.get("refresh_token") or ""),
        refresh_token_expires_at=after(body.get("refresh_token_expires_in")),
        scopes=scopes,
    )


def code_exchange(
    *,
    shop_domain: str,
    client_id: str,
    client_secret: str,
    code: str,
    api_root: str = "",
    session: requests.Session | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> OfflineToken:
    """Exchange the callback's code for an expiring offline token. A refused code raises ShopifyOAuthError."""
    form = {"client_id": client_id, "client_secret": client_secret, "code": code, "expiring": "1"}
    try:
        body = _token_request(shop_domain=shop_domain, form=form, api_root=api_root, session=session, timeout=timeout)
    except ShopifyRefreshRefused as error:
        raise ShopifyOAuthError(str(error), status=error.status) from None
    return _token_from(body, now=now())


def token_refresh(
    *,
    shop_domain: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    api_root: str = "",
    session: requests.Session | None = None,
    timeout: tuple[float, float] = (5.0, 30.0),
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> OfflineToken:
    """A new access/refresh pair. Raises ShopifyRefreshRefused (grant gone) or ShopifyUnavailable (retry)."""
    form = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    body = _token_request(shop_domain=shop_domain, form=form, api_root=api_root, session=session, timeout=timeout)
    return _token_from(body, now=now())
