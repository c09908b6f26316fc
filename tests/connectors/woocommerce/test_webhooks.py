"""WooCommerce webhook deliveries and pings: the simulator sends them, the connector verifies them."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from integrations.connectors.woocommerce import (
    WebhookCreate,
    WooAuthError,
    WooNotFound,
    WooValidationError,
    WooWebhookSignatureError,
    webhook_parse,
    webhook_ping,
    webhook_signature,
)
from simulators.server import serve
from simulators.woocommerce.webhooks import WebhookRefused
from tests.fixtures.woocommerce import WEBHOOK_SECRET


def test_signature_is_base64_hmac_sha256_of_the_raw_body():
    body = b'{"id":1001}'
    expected = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
    assert webhook_signature(secret="s3cret", body=body) == expected


def test_a_delivery_from_the_store_verifies_and_parses(woo_sim):
    body, headers = woo_sim.webhooks.build("order.updated", woo_sim.order_json(1003), WEBHOOK_SECRET, webhook_id=7)

    delivery = webhook_parse(headers=headers, body=body, secret=WEBHOOK_SECRET)

    assert (delivery.topic, delivery.resource, delivery.event) == ("order.updated", "order", "updated")
    assert (delivery.webhook_id, delivery.record_id, delivery.source) == (7, 1003, "https://woo.example.test/")
    assert delivery.delivery_id and delivery.payload["number"] == "1003"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, headers: (body.replace(b"1003", b"1004"), headers),
        lambda body, headers: (body, {**headers, "X-WC-Webhook-Signature": ""}),
        lambda body, headers: (body, {k: v for k, v in headers.items() if k != "X-WC-Webhook-Signature"}),
    ],
    ids=["body changed", "empty signature", "no signature"],
)
def test_a_tampered_or_unsigned_delivery_is_refused(woo_sim, tamper):
    body, headers = tamper(*woo_sim.webhooks.build("order.updated", woo_sim.order_json(1003), WEBHOOK_SECRET))

    with pytest.raises(WooWebhookSignatureError):
        webhook_parse(headers=headers, body=body, secret=WEBHOOK_SECRET)


def test_the_wrong_secret_is_refused(woo_sim):
    body, headers = woo_sim.webhooks.build("order.created", woo_sim.order_json(1001), "another-secret")

    with pytest.raises(WooWebhookSignatureError):
        webhook_parse(headers=headers, body=body, secret=WEBHOOK_SECRET)


def test_headers_are_matched_case_insensitively(woo_sim):
    body, headers = woo_sim.webhooks.build("product.updated", {"id": 5}, WEBHOOK_SECRET)

    delivery = webhook_parse(headers={k.lower(): v for k, v in headers.items()}, body=body, secret=WEBHOOK_SECRET)

    assert (delivery.resource, delivery.record_id) == ("product", 5)


def test_a_signed_body_that_is_not_json_is_a_validation_error():
    body = b"webhook_id=3"
    headers = {
        "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Signature": webhook_signature(secret="s", body=body),
    }

    with pytest.raises(WooValidationError):
        webhook_parse(headers=headers, body=body, secret="s")


def test_the_ping_is_recognised_and_is_not_a_delivery(woo_sim):
    body, headers = woo_sim.webhooks.ping(webhook_id=12)

    assert webhook_ping(headers=headers, body=body).webhook_id == 12
    assert "X-WC-Webhook-Signature" not in headers
    signed_body, signed_headers = woo_sim.webhooks.build("order.updated", {"id": 1}, WEBHOOK_SECRET)
    assert webhook_ping(headers=signed_headers, body=signed_body) is None


def test_the_store_delivers_over_http_and_counts_200_to_302_as_delivered(woo_sim):
    received = []

    def receiver(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        ping = webhook_ping(headers=headers, body=body)
        received.append(ping or webhook_parse(headers=headers, body=body, secret=WEBHOOK_SECRET))
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    with serve(receiver) as running:
        status = woo_sim.webhooks.deliver(running.url, *woo_sim.webhooks.ping(webhook_id=3))
        body, headers = woo_sim.webhooks.build("order.created", woo_sim.order_json(1001), WEBHOOK_SECRET)
        delivered = woo_sim.webhooks.deliver(running.url, body, headers)

    assert status == 200 and woo_sim.webhooks.delivered(delivered)
    assert received[0].webhook_id == 3 and received[1].record_id == 1001
    assert not woo_sim.webhooks.delivered(404) and woo_sim.webhooks.delivered(302)


def test_a_refund_through_the_api_delivers_order_updated_to_the_saved_webhook(woo_server, woo_client):
    received, answers = [], [200]

    def receiver(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        received.append(
            webhook_ping(headers=headers, body=body) or webhook_parse(headers=headers, body=body, secret="s")
        )
        status = answers.pop(0) if answers else 500
        start_response(f"{status} X", [("Content-Length", "0")])
        return [b""]

    sim = woo_server.sim
    with serve(receiver) as running:
        webhook = sim.webhooks.add(topic="order.updated", delivery_url=running.url, secret="s")
        order = woo_client.order_get(1001)
        response = woo_client._transport.request(
            "POST",
            woo_client._url("orders/1001/refunds"),
            body={"amount": "49.00", "reason": "Shipping refunded", "api_refund": False},
        )
        assert response.status_code == 201 and received == [received[0]]  # queued, not sent yet
        assert sim.webhooks.flush() == [500]  # the receiver fails this one: counted, kept active
        for _ in range(6):
            sim.webhooks.fire("order.updated", {"id": 1001})
        sim.webhooks.flush()

    ping, delivery = received[0], received[1]
    assert ping.webhook_id == webhook.id and not webhook.pending_delivery
    assert (delivery.topic, delivery.record_id) == ("order.updated", order.id)
    assert delivery.payload["refunds"][0]["total"] == "-49.00"
    assert (webhook.failure_count, webhook.status) == (7, "disabled")  # more than 5 failures in a row


def test_a_webhook_whose_url_does_not_answer_200_is_refused(woo_sim):
    def receiver(environ, start_response):
        start_response("202 Accepted", [("Content-Length", "0")])
        return [b""]

    with serve(receiver) as running, pytest.raises(WebhookRefused):
        woo_sim.webhooks.add(topic="order.created", delivery_url=running.url, secret="s")


def test_webhooks_are_saved_listed_and_deleted_through_the_rest_route(woo_server, woo_client):
    pings = []

    def receiver(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        pings.append(body)
        start_response("500 Error" if len(pings) == 2 else "200 OK", [("Content-Length", "0")])
        return [b""]

    sim = woo_server.sim
    with serve(receiver) as running:
        first = woo_client.webhook_create(
            WebhookCreate(name="Junipeer", topic="order.created", delivery_url=running.url, secret="s1")
        )
        second = woo_client.webhook_create(
            WebhookCreate(name="Junipeer", topic="order.updated", delivery_url=running.url, secret="s1")
        )

    # Saved (201) first, pinged after: a failed ping leaves the webhook saved, pending delivery.
    assert pings == [f"webhook_id={first.id}".encode(), f"webhook_id={second.id}".encode()]
    assert (first.topic, first.status, first.delivery_url) == ("order.created", "active", running.url)
    assert not sim.webhooks.subscriptions[first.id].pending_delivery
    assert sim.webhooks.subscriptions[second.id].pending_delivery
    assert [w.id for w in woo_client.webhooks_list()] == [first.id, second.id]
    assert sim.webhooks.subscriptions[first.id].secret == "s1"  # written, never rendered back
    assert "secret" not in woo_client.webhooks_list()[0].raw

    session, auth = woo_client._transport.session, woo_client._transport._auth
    trash = session.delete(woo_client._url(f"webhooks/{first.id}"), auth=auth, timeout=5)
    assert (trash.status_code, trash.json()["code"]) == (501, "woocommerce_rest_trash_not_supported")
    woo_client.webhook_delete(first.id)
    assert [w.id for w in woo_client.webhooks_list()] == [second.id]
    with pytest.raises(WooNotFound):
        woo_client.webhook_delete(first.id)


def test_a_webhook_needs_a_valid_topic_and_a_write_key(woo_server, woo_client):
    with pytest.raises(WooValidationError) as refused:
        woo_client.webhook_create(
            WebhookCreate(name="x", topic="order.exploded", delivery_url="https://example.com/h", secret="s")
        )
    assert refused.value.code == "woocommerce_rest_shop_webhook_invalid_topic"
    woo_server.sim.permissions = "read"
    with pytest.raises(WooAuthError):
        woo_client.webhook_create(
            WebhookCreate(name="x", topic="order.created", delivery_url="https://example.com/h", secret="s")
        )
    assert woo_client.webhooks_list() == []  # reading is still allowed
