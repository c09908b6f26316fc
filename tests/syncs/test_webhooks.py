"""Shopify webhook intake: verify, store raw, deduplicate, enqueue; and the processing service."""

from __future__ import annotations

import json

import pytest
import requests
from django.urls import reverse

from integrations.connectors.shopify import webhook_signature
from syncs import tasks as syncs_tasks
from syncs import webhooks
from syncs.models import SyncRun, WebhookEvent
from syncs.services import webhook_events, webhook_intake
from tests.factories import SHOP_WEBHOOK_SECRET, ShopConnectionFactory, WebhookEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(webhook_intake, "async_task", lambda name, *args, **kwargs: calls.append((name, args)))
    return calls


@pytest.fixture
def connection():
    return ShopConnectionFactory(shop_domain="demo-shop.myshopify.com")


def _post(client, connection, body: bytes, headers: dict):
    url = reverse("hooks:shopify", kwargs={"integration_id": connection.integration_id})
    return client.post(url, data=body, content_type="application/json", headers=headers)


def _signed(shopify_sim, payload: dict, *, secret: str = SHOP_WEBHOOK_SECRET, webhook_id: str | None = None):
    return shopify_sim.webhooks.build("orders/create", payload, secret, webhook_id=webhook_id)


def test_valid_webhook_is_stored_and_enqueued_after_commit(
    client, connection, shopify_sim, enqueued, django_capture_on_commit_callbacks
):
    order_id = next(iter(shopify_sim.store.orders))
    body, headers = _signed(shopify_sim, shopify_sim.webhooks.order_payload(order_id), webhook_id="wh-1")

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, connection, body, headers)

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.webhook_id, event.topic, event.integration_id) == ("wh-1", "orders/create", connection.integration_id)
    assert event.payload["admin_graphql_api_id"] == order_id
    assert event.state == WebhookEvent.State.RECEIVED
    assert enqueued == [("syncs.tasks.webhook_event_process_task", (event.pk,))]


def test_bad_signature_is_401_and_nothing_is_stored(client, connection, shopify_sim, enqueued, caplog):
    body, headers = _signed(shopify_sim, {"id": 1, "email": "private@example.com"}, secret="someone-else")

    response = _post(client, connection, body, headers)

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert enqueued == []
    assert "private@example.com" not in caplog.text
    assert SHOP_WEBHOOK_SECRET not in caplog.text
    assert headers["X-Shopify-Hmac-Sha256"] not in caplog.text


def test_signature_from_another_shop_domain_is_refused(client, connection, shopify_sim, enqueued):
    body, headers = _signed(shopify_sim, {"id": 1})
    headers["X-Shopify-Shop-Domain"] = "someone-else.myshopify.com"

    assert _post(client, connection, body, headers).status_code == 401
    assert not WebhookEvent.objects.exists()


def test_oversized_body_is_413(client, connection, shopify_sim, enqueued, monkeypatch):
    monkeypatch.setattr(webhooks, "MAX_WEBHOOK_BYTES", 64)
    body, headers = _signed(shopify_sim, {"id": 1, "note": "x" * 100})

    response = _post(client, connection, body, headers)

    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


def test_duplicate_webhook_id_is_stored_once_and_enqueued_once(
    client, connection, shopify_sim, enqueued, django_capture_on_commit_callbacks
):
    body, headers = _signed(shopify_sim, {"id": 1001, "name": "#1001"}, webhook_id="wh-dup")

    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, connection, body, headers)
        second = _post(client, connection, body, headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert WebhookEvent.objects.count() == 1
    assert len(enqueued) == 1


def test_unknown_integration_is_404_and_get_is_405(client, shopify_sim):
    body, headers = _signed(shopify_sim, {"id": 1})
    url = reverse("hooks:shopify", kwargs={"integration_id": 999999})

    assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 404
    assert client.get(url).status_code == 405


def test_invalid_json_with_a_valid_signature_is_400(client, connection, shopify_sim, enqueued):
    body = b"not json"
    _, headers = _signed(shopify_sim, {})
    headers["X-Shopify-Hmac-Sha256"] = webhook_signature(raw_body=body, secret=SHOP_WEBHOOK_SECRET)

    assert _post(client, connection, body, headers).status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simulator_delivery_reaches_the_live_endpoint(live_server, shopify_sim, enqueued):
    connection = ShopConnectionFactory(shop_domain=shopify_sim.shop_domain)
    order_id = next(iter(shopify_sim.store.orders))
    url = live_server.url + reverse("hooks:shopify", kwargs={"integration_id": connection.integration_id})

    response = shopify_sim.webhooks.deliver(
        "orders/create", shopify_sim.webhooks.order_payload(order_id), url, SHOP_WEBHOOK_SECRET
    )
    duplicate = shopify_sim.webhooks.deliver(
        "orders/create", {"id": 1}, url, SHOP_WEBHOOK_SECRET, webhook_id=shopify_sim.webhooks.deliveries[0].webhook_id
    )

    assert (response.status_code, duplicate.status_code) == (200, 200)
    event = WebhookEvent.objects.get()
    assert event.payload["admin_graphql_api_id"] == order_id
    assert len(enqueued) == 1
    assert isinstance(response, requests.Response)


# --- processing -------------------------------------------------------------------------------------


def test_process_hands_the_order_to_the_orders_flow(django_capture_on_commit_callbacks):
    event = WebhookEventFactory(
        topic="orders/updated", payload={"id": 55, "name": "#1055", "admin_graphql_api_id": "gid://shopify/Order/55"}
    )

    with django_capture_on_commit_callbacks(execute=False):
        webhook_events.webhook_event_process(event_id=event.pk)

    run = SyncRun.objects.get()
    assert (run.flow, run.trigger, run.integration_id) == ("orders", SyncRun.Trigger.WEBHOOK, event.integration_id)
    assert run.parameters["order_ids"] == ["gid://shopify/Order/55"]
    assert run.parameters["order_names"] == ["#1055"]
    event.refresh_from_db()
    assert event.state == WebhookEvent.State.PROCESSED and event.processed_at is not None


def test_refund_webhook_goes_to_the_refunds_flow(django_capture_on_commit_callbacks):
    event = WebhookEventFactory(topic="refunds/create", payload={"id": 9, "order_id": 55})

    with django_capture_on_commit_callbacks(execute=False):
        webhook_events.webhook_event_process(event_id=event.pk)

    run = SyncRun.objects.get()
    assert run.flow == "refunds"
    assert run.parameters["order_ids"] == ["gid://shopify/Order/55"]
    assert run.parameters["refund_ids"] == ["gid://shopify/Refund/9"]


def test_processing_twice_enqueues_once(django_capture_on_commit_callbacks):
    event = WebhookEventFactory(topic="orders/create", payload={"id": 1, "name": "#1"})

    with django_capture_on_commit_callbacks(execute=False):
        webhook_events.webhook_event_process(event_id=event.pk)
        webhook_events.webhook_event_process(event_id=event.pk)

    assert SyncRun.objects.count() == 1


def test_task_calls_the_service(monkeypatch):
    from syncs.tasks import webhook_event_process_task

    seen = []
    monkeypatch.setattr(syncs_tasks, "webhook_event_process", lambda *, event_id: seen.append(event_id))

    webhook_event_process_task(42)

    assert seen == [42]


def test_payload_kept_as_sent(client, connection, shopify_sim, enqueued):
    payload = {"id": 7, "name": "#7", "nested": {"a": [1, 2]}}
    body, headers = _signed(shopify_sim, payload)

    _post(client, connection, body, headers)

    assert WebhookEvent.objects.get().payload == json.loads(body)


def test_orders_edited_is_read_from_its_order_edit_body(django_capture_on_commit_callbacks, shopify_sim):
    # The orders/edited body is an order_edit (order id, line additions and removals), not an order.
    order_id = next(iter(shopify_sim.store.orders))
    line_id = shopify_sim.store.orders[order_id]["lineItems"][0]["id"]
    body = shopify_sim.webhooks.order_edit_payload(order_id, added=[(line_id, 2)], removed=[])
    event = WebhookEventFactory(topic="orders/edited", payload=body)

    with django_capture_on_commit_callbacks(execute=False):
        webhook_events.webhook_event_process(event_id=event.pk)

    run = SyncRun.objects.get()
    # The run re-reads the order by its id; nothing of the body is taken for an order.
    assert run.parameters["order_ids"] == [order_id]
    assert "order_names" not in run.parameters
    assert run.parameters["order_edit"]["added"] == [line_id]
    assert run.parameters["order_edit"]["removed"] == []


def test_orders_edited_without_an_order_edit_fails_loudly():
    # What the intake used to expect: an order body. Shopify never sends that for orders/edited.
    event = WebhookEventFactory(topic="orders/edited", payload={"id": 55, "name": "#1055"})

    webhook_events.webhook_event_process(event_id=event.pk)

    event.refresh_from_db()
    assert event.state == WebhookEvent.State.FAILED
    assert event.error_message.startswith("SHOP-099") and "order_edit" in event.error_message
    assert not SyncRun.objects.exists()
