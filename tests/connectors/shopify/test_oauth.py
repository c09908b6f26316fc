"""The connector's app-install pieces: domain, signatures, timestamps, token answers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests

from integrations.connectors.shopify import oauth
from integrations.connectors.shopify.exceptions import ShopifyOAuthError, ShopifyRefreshRefused, ShopifyUnavailable

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("My-Shop.myshopify.com", "my-shop.myshopify.com"),
        ("https://my-shop.myshopify.com/admin", "my-shop.myshopify.com"),
        ("my-shop.myshopify.com.evil.example", None),
        ("evil.example/?x=.myshopify.com", None),
        ("-shop.myshopify.com", None),
        ("", None),
    ],
)
def test_shop_domains(typed, clean):
    assert oauth.shop_domain_clean(typed) == clean


def test_the_query_signature_covers_every_parameter_but_hmac_and_two_secrets_verify():
    params = {"shop": "a.myshopify.com", "code": "c", "state": "s", "timestamp": "1"}
    params["hmac"] = oauth.query_signature(params=params, secret="old")

    assert oauth.query_verify(params=params, secrets=("new", "old"))
    assert not oauth.query_verify(params=params, secrets=("new",))
    assert not oauth.query_verify(params={**params, "code": "other"}, secrets=("old",))
    assert not oauth.query_verify(params={**params, "hmac": ""}, secrets=("old",))


def test_timestamps_older_than_ten_minutes_are_stale():
    fresh = {"timestamp": str(int((NOW - dt.timedelta(minutes=9)).timestamp()))}
    stale = {"timestamp": str(int((NOW - dt.timedelta(minutes=11)).timestamp()))}

    assert oauth.callback_timestamp_fresh(params=fresh, now=NOW)
    assert not oauth.callback_timestamp_fresh(params=stale, now=NOW)
    assert not oauth.callback_timestamp_fresh(params={"timestamp": "x"}, now=NOW)


class Answer(requests.Session):
    def __init__(self, status: int, body: dict | None = None, *, fail: bool = False) -> None:
        super().__init__()
        self.status, self.body, self.fail, self.sent = status, body or {}, fail, []

    def post(self, url, **kwargs):
        self.sent.append((url, kwargs["json"]))
        if self.fail:
            raise requests.ConnectionError("reset")
        response = requests.Response()
        response.status_code = self.status
        response._content = json.dumps(self.body).encode()
        return response


def _refresh(session):
    return oauth.token_refresh(
        shop_domain="a.myshopify.com",
        client_id="id",
        client_secret="s",
        refresh_token="r",
        session=session,
        now=lambda: NOW,
    )


def test_a_refresh_answer_becomes_an_offline_token_without_showing_it():
    session = Answer(
        200,
        {
            "access_token": "shpat_1",
            "expires_in": 3600,
            "refresh_token": "shprt_1",
            "refresh_token_expires_in": 7776000,
            "scope": "read_orders,write_orders",
        },
    )

    token = _refresh(session)

    assert session.sent[0][0] == "https://a.myshopify.com/admin/oauth/access_token"
    assert session.sent[0][1]["grant_type"] == "refresh_token"
    assert token.expires_at == NOW + dt.timedelta(hours=1) and token.scopes == {"read_orders", "write_orders"}
    assert "shpat_1" not in repr(token) and "shprt_1" not in repr(token)


@pytest.mark.parametrize(
    ("session", "error"),
    [
        (Answer(400, {"error": "invalid_grant"}), ShopifyRefreshRefused),
        (Answer(401, {"error": "invalid_client"}), ShopifyRefreshRefused),
        (Answer(503), ShopifyUnavailable),
        (Answer(200, {"scope": "x"}), ShopifyOAuthError),
        (Answer(200, fail=True), ShopifyUnavailable),
    ],
)
def test_refresh_failures_are_told_apart(session, error):
    with pytest.raises(error) as caught:
        _refresh(session)

    assert "shprt" not in str(caught.value)
