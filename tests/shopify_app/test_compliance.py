"""The mandatory compliance webhooks: verified, recorded once, and acted on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import ShopConnection
from syncs.models import ComplianceRequest, EntityType, RecordLink, SyncLogEntry, WebhookEvent
from syncs.services import compliance
from syncs.services.compliance import compliance_request_process
from tests import factories as f
from tests.fixtures.shopify import APP_CLIENT_SECRET

EMAIL = "Karin.Svensson@example.se"
CUSTOMER = "gid://shopify/Customer/7300000000001"
ORDER = "gid://shopify/Order/5510000001001"
OTHER_ORDER = "gid://shopify/Order/5510000001002"


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(compliance, "async_task", lambda name, *args, **kwargs: calls.append((name, args)))
    return calls


@pytest.fixture
def stored(installed):
    """What the product keeps about one customer (and another order that is not hers)."""
    integration = installed.integration
    person = {
        "email": EMAIL,
        "customer": {"id": 7300000000001, "email": EMAIL, "first_name": "Karin", "last_name": "Svensson"},
        "shipping_address": {"address1": "Storgatan 1", "city": "Lund", "zip": "22222", "country_code": "SE"},
    }
    return {
        "customer": f.RecordLinkFactory(
            integration=integration,
            entity_type=EntityType.CUSTOMER,
            source_id=CUSTOMER,
            source_reference=EMAIL.lower(),
            target_number="C-1001",
            raw_source={"id": CUSTOMER, "email": EMAIL, "firstName": "Karin"},
        ),
        "order": f.RecordLinkFactory(
            integration=integration,
            source_id=ORDER,
            source_reference="#1001",
            target_number="SI-1001",
            raw_source={"id": ORDER, "name": "#1001", "totalPrice": "199.00", **person},
        ),
        "other": f.RecordLinkFactory(
            integration=integration, source_id=OTHER_ORDER, raw_source={"id": OTHER_ORDER, "email": "b@example.se"}
        ),
        "event": f.WebhookEventFactory(
            integration=integration,
            payload={"id": 5510000001001, "admin_graphql_api_id": ORDER, "name": "#1001", **person},
        ),
        "log": f.SyncLogEntryFactory(
            integration=integration, message=f"Customer {EMAIL.lower()} created as C-1001", details={"email": EMAIL}
        ),
    }


def _send(client, sim, topic: str, **kwargs):
    payload = sim.app.compliance_payload(topic, **kwargs)
    body, headers = sim.webhooks.build(topic, payload, APP_CLIENT_SECRET)
    return client.post(
        reverse("hooks:shopify_compliance"), data=body, content_type="application/json", headers=headers
    ), headers["X-Shopify-Webhook-Id"]


def test_customers_redact_removes_personal_data_and_keeps_ids(client, shopify_app, stored, enqueued):
    response, webhook_id = _send(
        client, shopify_app.sim, "customers/redact", customer_id=CUSTOMER, email=EMAIL, order_ids=[ORDER]
    )
    request = ComplianceRequest.objects.get(webhook_id=webhook_id)
    assert response.status_code == 200

    compliance_request_process(request_id=request.pk)

    request.refresh_from_db()
    assert request.state == ComplianceRequest.State.DONE and request.customer_email == ""
    customer, order, other = (RecordLink.objects.get(pk=stored[k].pk) for k in ("customer", "order", "other"))
    assert customer.source_id == CUSTOMER and customer.target_number == "C-1001" and customer.source_reference == ""
    assert order.target_number == "SI-1001" and order.raw_source["totalPrice"] == "199.00"
    for kept in (customer.raw_source, order.raw_source, WebhookEvent.objects.get(pk=stored["event"].pk).payload):
        text = str(kept)
        assert "Karin" not in text and EMAIL not in text and "Storgatan" not in text
    assert order.raw_source["name"] == "#1001" and order.raw_source["shipping_address"]["country_code"] == "SE"
    assert other.raw_source["email"] == "b@example.se"  # another customer's order is untouched
    log = SyncLogEntry.objects.get(pk=stored["log"].pk)
    assert EMAIL.lower() not in log.message.lower() and "C-1001" in log.message and EMAIL not in str(log.details)
    assert request.summary == {"records": 2, "webhook_events": 1, "log_entries": 1}


def test_a_data_request_produces_an_export_for_support(client, shopify_app, stored, enqueued):
    response, webhook_id = _send(
        client, shopify_app.sim, "customers/data_request", customer_id=CUSTOMER, email=EMAIL, order_ids=[ORDER]
    )
    request = ComplianceRequest.objects.get(webhook_id=webhook_id)

    compliance_request_process(request_id=request.pk)

    request.refresh_from_db()
    assert response.status_code == 200 and request.state == ComplianceRequest.State.DONE
    numbers = {record["business_central_number"] for record in request.export["records"]}
    assert numbers == {"C-1001", "SI-1001"}
    assert len(request.export["webhook_events"]) == 1 and len(request.export["log_entries"]) == 1
    assert EMAIL in str(request.export) and request.customer_email == ""  # the e-mail stays only in the export


def test_shop_redact_removes_the_shops_stored_data(client, shopify_app, stored, enqueued):
    response, webhook_id = _send(client, shopify_app.sim, "shop/redact")

    compliance_request_process(request_id=ComplianceRequest.objects.get(webhook_id=webhook_id).pk)

    assert response.status_code == 200
    assert not WebhookEvent.objects.exists()
    assert not RecordLink.objects.exclude(raw_source=None).exists()
    # Ids stay, so a reinstall links what exists in BC and never duplicates a document.
    assert set(RecordLink.objects.values_list("target_number", flat=True)) >= {"C-1001", "SI-1001"}
    connection = ShopConnection.objects.get(pk=stored["order"].integration.shop_connection.pk)
    assert not connection.access_token and not connection.refresh_token


def test_a_compliance_webhook_is_verified_and_recorded_once(client, shopify_app, installed, enqueued):
    sim = shopify_app.sim
    payload = sim.app.compliance_payload("shop/redact")
    body, headers = sim.webhooks.build("shop/redact", payload, "not-the-app-secret")
    forged = client.post(
        reverse("hooks:shopify_compliance"), data=body, content_type="application/json", headers=headers
    )
    body, headers = sim.webhooks.build("shop/redact", payload, APP_CLIENT_SECRET, webhook_id="wh-1")
    first = client.post(
        reverse("hooks:shopify_compliance"), data=body, content_type="application/json", headers=headers
    )
    again = client.post(
        reverse("hooks:shopify_compliance"), data=body, content_type="application/json", headers=headers
    )
    # The integration's own address takes the compliance topics too.
    own = reverse("hooks:shopify", kwargs={"integration_id": installed.integration_id})
    body, headers = sim.webhooks.build(
        "customers/redact", sim.app.compliance_payload("customers/redact"), APP_CLIENT_SECRET
    )
    via_own = client.post(own, data=body, content_type="application/json", headers=headers)

    assert (forged.status_code, first.status_code, again.status_code, via_own.status_code) == (401, 200, 200, 200)
    assert ComplianceRequest.objects.count() == 2
    assert ComplianceRequest.objects.get(webhook_id="wh-1").integration_id == installed.integration_id
