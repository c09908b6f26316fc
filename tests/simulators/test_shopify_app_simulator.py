"""The Shopify simulator's app side: install page, token endpoint, refresh rotation, uninstall."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from tests.fixtures.shopify import APP_CLIENT_ID, APP_CLIENT_SECRET, SHOP_DOMAIN

GRAPHQL = f"/{SHOP_DOMAIN}/admin/api/2026-10/graphql.json"


def _installed(server) -> dict:
    query = {
        "client_id": APP_CLIENT_ID,
        "scope": "read_orders",
        "redirect_uri": "https://app.example/cb",
        "state": "s1",
    }
    authorize = f"{server.url}/{SHOP_DOMAIN}/admin/oauth/authorize"
    assert "Install app" in requests.get(f"{authorize}?{urlencode(query)}", timeout=5).text
    approved = requests.post(authorize, data=query, allow_redirects=False, timeout=5)
    answer = dict(parse_qsl(urlsplit(approved.headers["Location"]).query))
    message = "&".join(f"{k}={answer[k]}" for k in sorted(answer) if k != "hmac")
    assert answer["hmac"] == hmac.new(APP_CLIENT_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert (answer["shop"], answer["state"]) == (SHOP_DOMAIN, "s1")
    form = {"client_id": APP_CLIENT_ID, "client_secret": APP_CLIENT_SECRET, "code": answer["code"], "expiring": 1}
    token = requests.post(f"{server.url}/{SHOP_DOMAIN}/admin/oauth/access_token", json=form, timeout=5)
    assert token.status_code == 200
    return token.json()


def _shop(server, token: str) -> int:
    body = {"query": "{ shop { name } }"}
    return requests.post(
        server.url + GRAPHQL, json=body, headers={"X-Shopify-Access-Token": token}, timeout=5
    ).status_code


def _refresh(server, refresh_token: str, *, secret: str = APP_CLIENT_SECRET) -> requests.Response:
    form = {
        "client_id": APP_CLIENT_ID,
        "client_secret": secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
    }
    return requests.post(f"{server.url}/{SHOP_DOMAIN}/admin/oauth/access_token", data=form, timeout=5)


def test_the_install_gives_an_expiring_token_that_the_admin_api_accepts(shopify_server):
    token = _installed(shopify_server)

    assert token["expires_in"] == 3600 and token["refresh_token"] and token["scope"] == "read_orders"
    assert _shop(shopify_server, token["access_token"]) == 200
    shopify_server.sim.app.expire_access_tokens()
    assert _shop(shopify_server, token["access_token"]) == 401


def test_a_code_is_used_once_and_an_unknown_client_is_refused(shopify_server):
    unknown = requests.get(
        f"{shopify_server.url}/{SHOP_DOMAIN}/admin/oauth/authorize?client_id=other&scope=read_orders", timeout=5
    )

    assert unknown.status_code == 400
    assert _refresh(shopify_server, "shprt_x", secret="wrong").status_code == 401


def test_the_previous_refresh_token_works_until_the_new_access_token_is_used(shopify_server):
    first = _installed(shopify_server)

    lost = _refresh(shopify_server, first["refresh_token"]).json()  # an answer the app never saw
    again = _refresh(shopify_server, first["refresh_token"])  # recovered with the stored one
    assert again.status_code == 200 and again.json()["access_token"] != lost["access_token"]
    assert _shop(shopify_server, again.json()["access_token"]) == 200  # the new pair is in use now

    assert _refresh(shopify_server, first["refresh_token"]).status_code == 400  # spent
    assert _refresh(shopify_server, again.json()["refresh_token"]).status_code == 200


def test_uninstall_kills_every_token(shopify_server):
    token = _installed(shopify_server)

    shopify_server.sim.app.uninstall()

    assert _shop(shopify_server, token["access_token"]) == 401
    assert _refresh(shopify_server, token["refresh_token"]).json()["error"] == "invalid_grant"
