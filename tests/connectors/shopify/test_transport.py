"""The Shopify transport's discipline: timeouts, retries with backoff, Retry-After, typed errors.

A scripted session stands in for the network (passed in, never patched): each test says what
Shopify answers, attempt by attempt.
"""

from __future__ import annotations

import json
import logging

import pytest
import requests
import urllib3

from integrations.connectors.http import RetryPolicy
from integrations.connectors.shopify import (
    ShopifyAmbiguousWriteError,
    ShopifyAuthError,
    ShopifyClient,
    ShopifyNotFound,
    ShopifyQueryRefused,
    ShopifyThrottled,
    ShopifyTimeout,
    ShopifyUnavailable,
    client_for_connection,
    queries,
)
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from syncs.errors.classify import classify_exception

SHOP = {"data": {"shop": {"name": "S", "currencyCode": "SEK", "ianaTimezone": "Europe/Stockholm"}}}


def response(status: int = 200, body: dict | None = None, headers: dict | None = None) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = json.dumps(body if body is not None else SHOP).encode()
    answer.headers.update({"X-Shopify-API-Version": SHOPIFY_API_VERSION, **(headers or {})})
    return answer


def never_connected() -> requests.ConnectionError:
    reason = urllib3.exceptions.NewConnectionError(None, "refused")
    return requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", reason=reason))


class ScriptedSession(requests.Session):
    def __init__(self, *answers) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[dict] = []

    def post(self, url, **kwargs):
        self.sent.append({"url": url, **kwargs})
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(session, *, token_provider=None, attempts: int = 4, sleeps: list | None = None) -> ShopifyClient:
    waits = sleeps if sleeps is not None else []
    return ShopifyClient(
        shop_domain="s.myshopify.com",
        access_token=None if token_provider else "shpat_x",
        token_provider=token_provider,
        api_root="",
        session=session,
        retry_policy=RetryPolicy(max_attempts=attempts, max_seconds=300, base_delay=1.0),
        sleep=waits.append,
    )


def test_the_endpoint_carries_the_pinned_version():
    session = ScriptedSession(response())

    client(session).shop_get()

    assert session.sent[0]["url"] == f"https://s.myshopify.com/admin/api/{SHOPIFY_API_VERSION}/graphql.json"
    assert session.sent[0]["timeout"] == (5.0, 60.0)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_with_backoff(status):
    session, sleeps = ScriptedSession(response(status, {}), response()), []

    shop = client(session, sleeps=sleeps).shop_get()

    assert shop.name == "S" and len(session.sent) == 2
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 1.0


def test_429_honours_retry_after():
    session, sleeps = ScriptedSession(response(429, {}, {"Retry-After": "7"}), response()), []

    client(session, sleeps=sleeps).shop_get()

    assert sleeps == [7.0]


def test_server_errors_beyond_the_budget_raise_unavailable_never_none():
    session = ScriptedSession(response(503, {}))

    with pytest.raises(ShopifyUnavailable) as caught:
        client(session, attempts=3).shop_get()

    assert len(session.sent) == 3 and caught.value.status == 503
    assert classify_exception(caught.value).code == "SHOP-005"


def test_throttling_beyond_the_budget_is_shop_003():
    session = ScriptedSession(response(429, {}))

    with pytest.raises(ShopifyThrottled) as caught:
        client(session, attempts=2).shop_get()

    assert classify_exception(caught.value).code == "SHOP-003"


def test_transport_failures_on_a_read_are_retried_then_typed():
    session = ScriptedSession(never_connected(), requests.ReadTimeout("slow"), requests.ReadTimeout("slow"))

    with pytest.raises(ShopifyTimeout) as caught:
        client(session, attempts=3).shop_get()

    assert len(session.sent) == 3
    assert classify_exception(caught.value).code == "SHOP-005"


def test_a_mutation_without_an_answer_is_never_resent():
    session = ScriptedSession(requests.ReadTimeout("slow"), response())

    with pytest.raises(ShopifyAmbiguousWriteError) as caught:
        client(session).execute(queries.PRODUCT_UPDATE, {"product": {"id": "gid://shopify/Product/1"}})

    assert len(session.sent) == 1
    assert classify_exception(caught.value).code == "SHOP-008"


def test_a_mutation_answered_502_is_ambiguous_but_429_is_resent():
    ambiguous = ScriptedSession(response(502, {}), response())
    with pytest.raises(ShopifyAmbiguousWriteError):
        client(ambiguous).execute(queries.PRODUCT_UPDATE, {"product": {"id": "gid://shopify/Product/1"}})
    assert len(ambiguous.sent) == 1

    throttled = ScriptedSession(response(429, {}), response(200, {"data": {"productUpdate": {}}}))
    client(throttled).execute(queries.PRODUCT_UPDATE, {"product": {"id": "gid://shopify/Product/1"}})
    assert len(throttled.sent) == 2


def test_a_mutation_that_was_never_sent_is_resent():
    session = ScriptedSession(never_connected(), response(200, {"data": {"productUpdate": {}}}))

    client(session).execute(queries.PRODUCT_UPDATE, {"product": {"id": "gid://shopify/Product/1"}})

    assert len(session.sent) == 2


def test_an_idempotent_mutation_is_resent_after_a_timeout():
    # inventorySetQuantities carries @idempotent(key:): Shopify applies a resent request once.
    answer = {"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": {"id": "g"}, "userErrors": []}}}
    session = ScriptedSession(requests.ReadTimeout("slow"), response(200, answer))

    client(session).execute(queries.INVENTORY_SET_QUANTITIES, {"input": {}, "key": "k"})

    assert len(session.sent) == 2
    assert session.sent[0]["json"] == session.sent[1]["json"]  # the same key both times


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [(401, ShopifyAuthError, "SHOP-001"), (404, ShopifyNotFound, "SHOP-002"), (400, ShopifyQueryRefused, "SHOP-009")],
)
def test_other_statuses_are_typed_and_not_retried(status, error, code):
    session = ScriptedSession(response(status, {}))

    with pytest.raises(error) as caught:
        client(session).shop_get()

    assert len(session.sent) == 1
    assert classify_exception(caught.value).code == code


def test_graphql_errors_are_typed():
    refused = {"errors": [{"message": "Field 'x' doesn't exist", "extensions": {"code": "undefinedField"}}]}
    with pytest.raises(ShopifyQueryRefused):
        client(ScriptedSession(response(200, refused))).shop_get()
    denied = {"errors": [{"message": "Access denied", "extensions": {"code": "ACCESS_DENIED"}}]}
    with pytest.raises(ShopifyAuthError):
        client(ScriptedSession(response(200, denied))).shopify_payments_account()


def test_the_token_provider_is_asked_for_every_request():
    tokens = iter(["shpat_one", "shpat_two"])
    session = ScriptedSession(response(503, {}), response())

    client(session, token_provider=lambda: next(tokens)).shop_get()

    assert [sent["headers"]["X-Shopify-Access-Token"] for sent in session.sent] == ["shpat_one", "shpat_two"]


def test_a_token_that_cannot_be_a_header_is_an_auth_error_and_nothing_is_sent():
    session = ScriptedSession(response())

    with pytest.raises(ShopifyAuthError) as caught:
        client(session, token_provider=lambda: "shpat_ø€").shop_get()

    assert not session.sent and "€" not in str(caught.value)


def test_a_version_past_support_is_logged(caplog):
    session = ScriptedSession(response(headers={"X-Shopify-API-Version": "2027-01"}))
    shopify = client(session)

    with caplog.at_level(logging.WARNING, logger="integrations.connectors.shopify"):
        shopify.shop_get()

    assert shopify.transport.served_api_version == "2027-01"
    assert "no longer supported" in caplog.text


class Connection:
    shop_domain = "s.myshopify.com"

    def __init__(self, token: str) -> None:
        self.access_token = token


def test_client_for_connection_reads_the_stored_token_by_default(settings):
    settings.SHOPIFY_API_ROOT = ""
    connection = Connection("shpat_stored")
    session = ScriptedSession(response())

    shopify = client_for_connection(connection, session=session)
    shopify.shop_get()
    connection.access_token = "shpat_rotated"  # read at each request, not copied at build time
    shopify.shop_get()

    assert [sent["headers"]["X-Shopify-Access-Token"] for sent in session.sent] == ["shpat_stored", "shpat_rotated"]


def test_client_for_connection_takes_a_token_provider(settings):
    settings.SHOPIFY_API_ROOT = ""
    session = ScriptedSession(response())

    client_for_connection(Connection("shpat_stored"), token_provider=lambda: "shpat_fresh", session=session).shop_get()

    assert session.sent[0]["headers"]["X-Shopify-Access-Token"] == "shpat_fresh"
