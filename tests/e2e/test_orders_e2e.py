"""From a signed Shopify webhook to a posted BC invoice, through every real layer."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.urls import reverse

from syncs.models import EntityType, RecordLink
from tests.factories import SHOP_WEBHOOK_SECRET


def deliver(client, sim, integration, order_name, *, webhook_id=None):
    order_id = next(o["id"] for o in sim.store.orders.values() if o["name"] == order_name)
    body, headers = sim.webhooks.build(
        "orders/create", sim.webhooks.order_payload(order_id), SHOP_WEBHOOK_SECRET, webhook_id=webhook_id
    )
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    url = reverse("hooks:shopify", args=[integration.pk])
    return client.post(url, data=body, content_type="application/json", **extra)


def invoices_for(sim_bc, number):
    return [d for d in sim_bc.company().rows("salesInvoices") if d.get("externalDocumentNumber") == number]


def test_domestic_b2c_webhook_to_posted_invoice(
    client, e2e, bc_integration, sim_bc, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, e2e, bc_integration, "#1001")

    assert response.status_code == 200
    link = RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference="#1001")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#1001")
    assert invoice["status"] == "Open"
    assert invoice["customerNumber"] == "10000"
    shop_total = next(o for o in e2e.store.orders.values() if o["name"] == "#1001")["totalPriceSet"]["shopMoney"]
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == Decimal(shop_total["amount"])


def test_the_same_webhook_twice_makes_one_document(
    client, e2e, bc_integration, sim_bc, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, e2e, bc_integration, "#1001", webhook_id="dup-1")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, e2e, bc_integration, "#1001", webhook_id="dup-1")
        deliver(client, e2e, bc_integration, "#1001")  # a fresh delivery of the same order

    assert Counter(d["externalDocumentNumber"] for d in sim_bc.company().rows("salesInvoices"))["#1001"] == 1
