"""The app side of the Shopify simulator: installation (authorization code grant), expiring offline
tokens with rotating refresh tokens, uninstall and the compliance topics.

    GET  {root}/{shop}/admin/oauth/authorize?client_id&scope&redirect_uri&state   the install page
    POST {root}/{shop}/admin/oauth/authorize                                        "Install app"
    POST {root}/{shop}/admin/oauth/access_token                                     code or refresh grant

The install answers 302 to ``redirect_uri`` with ``code``, ``host``, ``shop``, ``state``,
``timestamp`` and ``hmac`` (hex HMAC-SHA256 with the client secret over the sorted query).
``timestamp`` is wall-clock time (the product checks its age against its own clock); token expiry
runs on the simulator's clock, so ``expire_access_tokens()`` or ``clock.advance`` ages them.

A refresh answers a new pair; the refresh token used stays usable until the new access token is
used once (Shopify's behaviour since 2026-08), so a lost answer is recovered by refreshing again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import html
import json
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 90 * 24 * 3600
CODE_SECONDS = 600


@dataclass
class Grant:
    access_token: str
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime
    scopes: tuple[str, ...]
    used: bool = False  # the access token was used: the refresh token before it is spent
    previous_refresh: str = ""


@dataclass
class AppAuth:
    sim: object
    client_id: str = "sim-client-id"
    client_secret: str = "sim-client-secret"  # noqa: S105 - the simulator's own test secret
    granted_scopes: tuple[str, ...] | None = None  # None: what was asked
    refuse_refresh: bool = False
    installed: bool = False
    codes: dict[str, dict] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)  # by access token
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)  # usable refresh token -> its grant
    compliance: list[dict] = field(default_factory=list)

    def now(self) -> dt.datetime:
        return self.sim.clock.now()

    # --- install page -------------------------------------------------------------------------

    def authorize_page(self, params: dict) -> tuple[int, dict, bytes]:
        if params.get("client_id") != self.client_id:
            return 400, {"Content-Type": "text/html"}, b"<h1>Oauth error invalid_request: unknown client_id</h1>"
        scopes = [s for s in (params.get("scope") or "").split(",") if s]
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k in ("client_id", "scope", "redirect_uri", "state")
        )
        items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes)
        page = (
            f"<!doctype html><html><head><title>Install app</title></head><body>"
            f"<h1>Install app</h1><p>{html.escape(self.sim.shop_domain)}</p>"
            f"<p>The app asks for access to:</p><ul>{items}</ul>"
            f'<form method="post">{hidden}<button type="submit">Install app</button></form></body></html>'
        )
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def approve(self, params: dict) -> tuple[int, dict, bytes]:
        """The merchant pressed "Install app": redirect to the app with a signed code."""
        redirect_uri = params.get("redirect_uri") or ""
        if params.get("client_id") != self.client_id or not redirect_uri.startswith(("https://", "http://")):
            return 400, {"Content-Type": "text/html"}, b"<h1>Oauth error invalid_request</h1>"
        asked = tuple(s for s in (params.get("scope") or "").split(",") if s)
        granted = self.granted_scopes if self.granted_scopes is not None else asked
        code = secrets.token_hex(16)
        self.codes[code] = {"scopes": granted, "expires_at": self.now() + dt.timedelta(seconds=CODE_SECONDS)}
        store_name = self.sim.shop_domain.split(".")[0]
        query = {
            "code": code,
            "host": base64.b64encode(f"admin.shopify.com/store/{store_name}".encode()).decode(),
            "shop": self.sim.shop_domain,
            "state": params.get("state") or "",
            "timestamp": str(int(time.time())),
        }
        query["hmac"] = self.sign(query)
        return 302, {"Location": f"{redirect_uri}?{urlencode(query)}"}, b""

    def sign(self, query: dict) -> str:
        message = "&".join(f"{k}={query[k]}" for k in sorted(query) if k not in ("hmac", "signature"))
        return hmac.new(self.client_secret.encode(), message.encode(), hashlib.sha256).hexdigest()

    def approve_url(self, authorize_url: str) -> str:
        """The merchant presses "Install app" on the page at ``authorize_url``: the callback URL."""
        params = dict(parse_qsl(urlsplit(authorize_url).query))
        status, headers, _body = self.approve(params)
        if status != 302:
            raise ValueError(f"The install was refused (HTTP {status}).")
        return headers["Location"]

    def install(self, *, redirect_uri: str, state: str, scopes: tuple[str, ...]) -> str:
        """The redirect a merchant's browser would follow after "Install app" (for scripts)."""
        _status, headers, _body = self.approve(
            {"client_id": self.client_id, "redirect_uri": redirect_uri, "state": state, "scope": ",".join(scopes)}
        )
        return headers["Location"]

    # --- token endpoint -----------------------------------------------------------------------

    def token(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed."}
        if form.get("grant_type") == "refresh_token":
            return self._refresh(str(form.get("refresh_token") or ""))
        code = self.codes.pop(str(form.get("code") or ""), None)
        if code is None or code["expires_at"] < self.now():
            return 400, {"error": "invalid_request", "error_description": "The authorization code was not found."}
        self.installed = True
        if str(form.get("expiring") or "") not in ("1", "true"):
            # A non-expiring offline token (what old public apps got).
            token = f"shpat_{secrets.token_hex(16)}"
            self._grant(token, scopes=code["scopes"], seconds=10 * 365 * 24 * 3600)
            return 200, {"access_token": token, "scope": ",".join(code["scopes"])}
        return 200, self._issue(scopes=code["scopes"])

    def _grant(self, access: str, *, scopes, seconds: int, refresh: str = "", previous: str = "") -> Grant:
        now = self.now()
        grant = Grant(
            access_token=access,
            access_expires_at=now + dt.timedelta(seconds=seconds),
            refresh_token=refresh,
            refresh_expires_at=now + dt.timedelta(seconds=REFRESH_TOKEN_SECONDS),
            scopes=tuple(scopes),
            previous_refresh=previous,
        )
        self.grants[access] = grant
        if refresh:
            self.refresh_tokens[refresh] = grant
        return grant

    def _issue(self, *, scopes, previous: str = "") -> dict:
        grant = self._grant(
            f"shpat_{secrets.token_hex(16)}",
            scopes=scopes,
            seconds=ACCESS_TOKEN_SECONDS,
            refresh=f"shprt_{secrets.token_hex(16)}",
            previous=previous,
        )
        self.sim.stats["token_issued"] += 1
        return {
            "access_token": grant.access_token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "refresh_token": grant.refresh_token,
            "refresh_token_expires_in": REFRESH_TOKEN_SECONDS,
            "scope": ",".join(grant.scopes),
        }

    def _refresh(self, refresh_token: str) -> tuple[int, dict]:
        self.sim.stats["token_refreshes"] += 1
        grant = self.refresh_tokens.get(refresh_token)
        if self.refuse_refresh or grant is None or grant.refresh_expires_at < self.now() or not self.installed:
            return 400, {"error": "invalid_grant", "error_description": "The refresh token is invalid or expired."}
        return 200, self._issue(scopes=grant.scopes, previous=refresh_token)

    def access_valid(self, token: str) -> bool:
        grant = self.grants.get(token)
        if grant is None or grant.access_expires_at < self.now():
            return False
        if not grant.used:
            grant.used = True
            # The new access token is in use: the refresh token it replaced is spent now.
            if grant.previous_refresh:
                self.refresh_tokens.pop(grant.previous_refresh, None)
        return True

    def expire_access_tokens(self) -> None:
        for grant in self.grants.values():
            grant.access_expires_at = self.now() - dt.timedelta(seconds=1)

    # --- uninstall and compliance -------------------------------------------------------------

    def uninstall(self) -> list:
        """The merchant removed the app: every token dies, app/uninstalled goes to its subscribers."""
        self.installed = False
        self.grants.clear()
        self.refresh_tokens.clear()
        shop = self.sim.store.shop
        payload = {
            "id": _legacy(shop.get("id") or "gid://shopify/Shop/1"),
            "name": shop.get("name"),
            "domain": self.sim.shop_domain,
        }
        responses = self.sim.webhooks.deliver_to_subscriptions("app/uninstalled", payload, self.client_secret)
        self.sim.store.webhook_subscriptions.clear()
        return responses

    def compliance_payload(self, topic: str, *, customer_id: str = "", email: str = "", order_ids=()) -> dict:
        shop_id = _legacy(self.sim.store.shop.get("id") or "gid://shopify/Shop/1")
        body: dict = {"shop_id": shop_id, "shop_domain": self.sim.shop_domain}
        if topic in ("customers/redact", "customers/data_request"):
            body["customer"] = {"id": _legacy(customer_id) if customer_id else None, "email": email, "phone": None}
            key = "orders_to_redact" if topic == "customers/redact" else "orders_requested"
            body[key] = [_legacy(o) for o in order_ids]
            if topic == "customers/data_request":
                body["data_request"] = {"id": int(time.time())}
        return body

    def compliance_send(self, topic: str, url: str, **kwargs):
        """POST a compliance topic to the app's compliance address, signed with the client secret."""
        payload = self.compliance_payload(topic, **kwargs)
        response = self.sim.webhooks.deliver(topic, payload, url, self.client_secret)
        self.compliance.append({"topic": topic, "status": response.status_code})
        return response


def parse_form(environ) -> dict:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length else b""
    if "json" in (environ.get("CONTENT_TYPE") or ""):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}
    return dict(parse_qsl(raw.decode("latin-1")))


def _legacy(gid: str) -> int:
    try:
        return int(str(gid).rsplit("/", 1)[-1])
    except ValueError:
        return 1
