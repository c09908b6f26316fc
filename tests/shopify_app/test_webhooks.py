"""Webhooks of an installed app: registered by the product, verified with the app's client secret
(two during a rotation), deduplicated per integration; app/uninstalled pauses and a reinstall resumes."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations.connectors.shopify import webhook_signature
from integrations.models import Integration, ShopConnection
from integrations.services import shopify_subscriptions
from integrations.services.onboarding.flows import integration_flows_save
from integrations.services.shopify_install import shop_disconnect
from integrations.services.shopify_subscriptions import (
    ShopWebhookSetupError,
    shop_webhook_address,
    shop_webhooks_reconcile,
    shop_webhooks_reconcile_for,
)
from integrations.services.shopify_tokens import shop_client_for
from syncs.models import SyncRun, WebhookEvent
from syncs.services import webhook_intake
from syncs.services.webhook_events import webhook_event_process
from tests.admin.test_integration_form import post_data_from
from tests.factories import ShopConnectionFactory, SuperUserFactory
from tests.fixtures.shopify import APP_CLIENT_SECRET
from tests.shopify_app.conftest import install


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(webhook_intake, "async_task", lambda name, *args, **kwargs: calls.append((name, args)))
    return calls


def _deliver(client, sim, topic: str, payload, *, secret: str = APP_CLIENT_SECRET, webhook_id=None, uri=None):
    """What Shopify sends to the subscription's address (the path of it: the test client is the server)."""
    body, headers = sim.webhooks.build(topic, payload, secret, webhook_id=webhook_id)
    if not isinstance(payload, dict):
        body = json.dumps(payload).encode()
        headers["X-Shopify-Hmac-Sha256"] = webhook_signature(raw_body=body, secret=secret)
    path = uri.split("junipeer.example", 1)[1]
    return client.post(path, data=body, content_type="application/json", headers=headers)


def _uri(sim, topic: str) -> str:
    return next(s["uri"] for s in sim.store.webhook_subscriptions.values() if s["topic"] == topic)


def test_an_order_webhook_after_connect_is_accepted_and_queued_for_sync(
    client, installed, shopify_app, enqueued, django_capture_on_commit_callbacks
):
    sim = shopify_app.sim
    order_id = next(iter(sim.store.orders))

    with django_capture_on_commit_callbacks(execute=True):
        response = _deliver(
            client, sim, "orders/create", sim.webhooks.order_payload(order_id), uri=_uri(sim, "ORDERS_CREATE")
        )

    assert response.status_code == 200
    event = WebhookEvent.objects.get(integration_id=installed.integration_id)
    assert enqueued == [("syncs.tasks.webhook_event_process_task", (event.pk,))]
    webhook_event_process(event_id=event.pk)
    run = SyncRun.objects.get(integration_id=installed.integration_id, trigger=SyncRun.Trigger.WEBHOOK)
    assert run.parameters["order_ids"] == [order_id]


def test_both_client_secrets_are_accepted_while_one_is_rotated(client, installed, shopify_app, settings, enqueued):
    sim = shopify_app.sim
    uri = _uri(sim, "ORDERS_CREATE")
    settings.SHOPIFY_CLIENT_SECRET, settings.SHOPIFY_CLIENT_SECRET_PREVIOUS = "rotated-secret", APP_CLIENT_SECRET

    old = _deliver(client, sim, "orders/create", {"id": 1}, secret=APP_CLIENT_SECRET, uri=uri)
    new = _deliver(client, sim, "orders/create", {"id": 2}, secret="rotated-secret", uri=uri)
    other = _deliver(client, sim, "orders/create", {"id": 3}, secret="someone-else", uri=uri)
    settings.SHOPIFY_CLIENT_SECRET_PREVIOUS = ""
    retired = _deliver(client, sim, "orders/create", {"id": 4}, secret=APP_CLIENT_SECRET, uri=uri)

    assert (old.status_code, new.status_code, other.status_code, retired.status_code) == (200, 200, 401, 401)


def test_a_custom_app_secret_does_not_verify_an_installed_app(client, installed, shopify_app, enqueued):
    ShopConnection.objects.filter(pk=installed.pk).update(webhook_secret="custom-secret")

    response = _deliver(
        client,
        shopify_app.sim,
        "orders/create",
        {"id": 1},
        secret="custom-secret",
        uri=_uri(shopify_app.sim, "ORDERS_CREATE"),
    )

    assert response.status_code == 401


def test_deduplication_is_per_integration(client, db, shopify_sim, enqueued):
    one = ShopConnectionFactory(shop_domain="demo-shop.myshopify.com")
    two = ShopConnectionFactory(shop_domain="demo-shop.myshopify.com")
    body, headers = shopify_sim.webhooks.build("orders/create", {"id": 7}, "webhook-secret", webhook_id="same-id")

    for connection in (one, two, one):
        ShopConnection.objects.filter(pk=connection.pk).update(webhook_secret="webhook-secret")
        url = reverse("hooks:shopify", kwargs={"integration_id": connection.integration_id})
        assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 200

    assert sorted(WebhookEvent.objects.values_list("integration_id", flat=True)) == sorted(
        [one.integration_id, two.integration_id]
    )


@pytest.mark.parametrize("payload", [[1, 2], 42, "text", None])
def test_valid_json_that_is_not_an_object_is_400(client, installed, shopify_app, enqueued, payload):
    response = _deliver(client, shopify_app.sim, "orders/create", payload, uri=_uri(shopify_app.sim, "ORDERS_CREATE"))

    assert response.status_code == 400 and not WebhookEvent.objects.exists()


def test_app_uninstalled_pauses_discards_the_token_and_tells_merchant_and_support(
    client, installed, shopify_app, settings, enqueued
):
    Integration.objects.filter(pk=installed.integration_id).update(
        status=Integration.Status.LIVE, went_live_at=timezone.now(), orders_interval_minutes=7
    )
    sim = shopify_app.sim
    payload = {"id": 68000000001, "domain": sim.shop_domain}
    mail.outbox.clear()

    response = _deliver(client, sim, "app/uninstalled", payload, uri=_uri(sim, "APP_UNINSTALLED"))
    event = WebhookEvent.objects.get(topic="app/uninstalled")
    webhook_event_process(event_id=event.pk)

    assert response.status_code == 200
    integration = Integration.objects.get(pk=installed.integration_id)
    connection = ShopConnection.objects.get(pk=installed.pk)
    assert integration.status == Integration.Status.PAUSED and connection.uninstalled_at
    assert not connection.access_token and not connection.refresh_token
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(["owner@shop.example", settings.SUPPORT_EMAIL])

    # Installing again resumes it, with its settings.
    install(integration, shopify_app)
    integration.refresh_from_db()
    connection.refresh_from_db()
    assert integration.status == Integration.Status.LIVE and integration.orders_interval_minutes == 7
    assert connection.uninstalled_at is None and connection.access_token.reveal()


def test_the_simulator_delivers_app_uninstalled_to_the_registered_address(installed, shopify_app, settings):
    # A loopback address that answers (the simulator's own 404): only where the delivery goes matters here.
    settings.SITE_URL = shopify_app.url
    shop_webhooks_reconcile_for(integration_id=installed.integration_id)

    delivered = shopify_app.sim.app.uninstall()

    assert [d.url for d in shopify_app.sim.webhooks.deliveries] == [
        shop_webhook_address(integration_id=installed.integration_id)
    ]
    assert len(delivered) == 1 and not shopify_app.sim.store.webhook_subscriptions
    with pytest.raises(Exception):  # noqa: B017,PT011 - any refusal: every token died with the uninstall
        shop_client_for(connection=ShopConnection.objects.get(pk=installed.pk)).shop_get()


# --- subscriptions ------------------------------------------------------------------------------------


def test_reconcile_recreates_missing_removes_wrong_and_follows_the_flows(installed, shopify_app):
    sim = shopify_app.sim
    subscriptions = sim.store.webhook_subscriptions
    missing = next(k for k, s in subscriptions.items() if s["topic"] == "ORDERS_PAID")
    del subscriptions[missing]
    wrong = next(s for s in subscriptions.values() if s["topic"] == "ORDERS_CREATE")
    wrong["uri"] = "https://old-address.example/hooks/shopify/1/"
    Integration.objects.filter(pk=installed.integration_id).update(stock_enabled=True, refunds_enabled=False)

    result = shop_webhooks_reconcile_for(integration_id=installed.integration_id)

    address = shop_webhook_address(integration_id=installed.integration_id)
    topics = {s["topic"] for s in subscriptions.values()}
    assert {s["uri"] for s in subscriptions.values()} == {address}
    assert {"ORDERS_PAID", "ORDERS_CREATE", "INVENTORY_LEVELS_UPDATE", "APP_UNINSTALLED"} <= topics
    assert "REFUNDS_CREATE" not in topics and "REFUNDS_CREATE" in result.removed
    assert ShopConnection.objects.get(pk=installed.pk).webhooks_checked_at


def test_a_subscription_shopify_refuses_becomes_shop_022(installed, shopify_app, settings):
    settings.SITE_URL = "ftp://junipeer.example"  # an address Shopify does not accept

    with pytest.raises(ShopWebhookSetupError) as refused:
        shop_webhooks_reconcile(integration=installed.integration, client=shop_client_for(connection=installed))

    connection = ShopConnection.objects.get(pk=installed.pk)
    assert refused.value.code == "SHOP-022" and connection.webhook_error_code == "SHOP-022"
    assert connection.last_error.startswith("SHOP-022")


def test_changing_the_flows_queues_a_reconcile(installed, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(shopify_subscriptions, "async_task", lambda name, *args: calls.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        integration_flows_save(integration=installed.integration, flows={"orders_enabled": True})

    assert calls == [("integrations.tasks.shop_webhooks_reconcile_task", (installed.integration_id,))]


def test_disconnect_removes_the_subscriptions_and_the_token(installed, shopify_app):
    shop_disconnect(integration=installed.integration)

    connection = ShopConnection.objects.get(pk=installed.pk)
    assert not shopify_app.sim.store.webhook_subscriptions and not connection.access_token


def test_switching_a_flow_in_the_admin_queues_a_reconcile(
    client, installed, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(shopify_subscriptions, "async_task", lambda name, *args: calls.append((name, args)))
    client.force_login(SuperUserFactory())
    url = reverse("admin:integrations_integration_change", args=[installed.integration_id])
    data = post_data_from(client.get(url))
    data["stock_enabled"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    assert calls == [("integrations.tasks.shop_webhooks_reconcile_task", (installed.integration_id,))]
