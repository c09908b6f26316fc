"""A WooCommerce store through the scheduled flows, end to end, with nothing replaced.

The merchant's integration is connected the way the wizard does it: an on-premises Business Central
with a web service access key, and the WooCommerce store (the simulator over HTTPS) with its REST
API key; the store saves the integration's webhooks and pings them. Then the schedule ticks run
the flows the way the worker does (django-q2 tasks, eager): the orders sweep books the store's
orders (domestic, OSS Germany and Finland in euro, a coupon, shipping, a refund with restock,
unpaid and cancelled skipped) exactly once; a new order and its refund arrive by signed webhook;
the stock flow writes BC's differences back to the store, then only what changed in BC. The
product builds every client itself from the stored connections.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client

from integrations.connectors.woocommerce import webhook_signature
from integrations.models import BusinessCentralConnection, Flow, Integration, ShopConnection
from integrations.services.bc_on_premises import bc_on_premises_connect
from integrations.services.onboarding.bc_company import bc_company_select, bc_environments_list
from integrations.services.woocommerce_connect import woo_store_connect
from simulators.businesscentral.inventory import item_entry_post
from simulators.woocommerce.orders import OrderSpec, order_build, refund_whole_lines
from syncs.models import EntityType, RecordLink, SourceSystem, SyncCursor, SyncRun, WebhookEvent
from syncs.preflight.facts import preflight_facts_get
from syncs.services.dispatch import flow_enqueue
from syncs.tasks import scheduled_flow_task
from tests.factories import oss_and_shipping_mappings_create
from tests.fixtures.woo_delivery import SITE_URL, woo_deliveries_to
from tests.fixtures.woocommerce import CONSUMER_KEY, CONSUMER_SECRET
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture

USER = "WEBSHOP"
KEY = "Qm1Lr5Tx9Vb2Wc7Yd4Ae6Gh0Jp8sUoReKtNiMZk3n8A="
COMPANY = "CRONUS Sverige AB"
BEFORE_THE_STORE_OPENED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@pytest.fixture
def sim_bc(bc_sim):
    """The BC simulator the shared integration fixture reads company ids from: the one served over HTTP."""
    return bc_sim


@pytest.fixture
def store(bc_server, bc_integration, woo_server, settings):  # noqa: F811
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.OUTBOUND_HOST_ALLOWLIST = ["127.0.0.1", "localhost"]  # the simulators, allowed by support
    settings.WOO_CA_BUNDLE = woo_server.ca_file
    settings.SITE_URL = SITE_URL
    woo_server.sim.webhooks.post = woo_deliveries_to(Client())
    bc_server.sim.add_on_premises_instance("BC", environment="sandbox")
    bc_server.sim.add_access_key(USER, KEY)
    BusinessCentralConnection.objects.filter(integration=bc_integration).delete()
    ShopConnection.objects.filter(integration=bc_integration).delete()
    bc_on_premises_connect(
        integration=bc_integration,
        server_url=f"{bc_server.base_url}/BC",
        auth_method=BusinessCentralConnection.AuthMethod.ACCESS_KEY,
        environment_type=BusinessCentralConnection.EnvironmentType.SANDBOX,
        username=USER,
        access_key=KEY,
    )
    (environment,) = bc_environments_list(integration=bc_integration)
    bc_company_select(
        integration=bc_integration,
        environment_name=environment.name,
        company_id=bc_server.sim.company_id("sandbox", COMPANY),
    )
    woo_store_connect(
        integration=bc_integration,
        store_url=woo_server.url,
        consumer_key=CONSUMER_KEY,
        consumer_secret=CONSUMER_SECRET,
    )
    oss_and_shipping_mappings_create(integration=bc_integration, shipping_codes=("flat_rate:1", "flat_rate:2"))
    Integration.objects.filter(pk=bc_integration.pk).update(
        live_mode=True, status=Integration.Status.LIVE, stock_enabled=True
    )
    # The cursor of an earlier sweep: the next one reads what changed since (the seeded orders).
    SyncCursor.objects.create(integration=bc_integration, flow=Flow.ORDERS, last_loaded_at=BEFORE_THE_STORE_OPENED)
    return woo_server


def tick(integration, flow: str, capture) -> SyncRun:
    """One schedule tick, as the worker runs it: the task enqueues, the eager worker runs the flow."""
    with capture(execute=True):
        run_id = scheduled_flow_task(integration.pk, flow)
    assert run_id is not None
    return SyncRun.objects.get(pk=run_id)


def documents(sim, entity_set: str, number: str) -> list[dict]:
    return [d for d in sim.company("sandbox", COMPANY).rows(entity_set) if d.get("externalDocumentNumber") == number]


def lines_of(sim, document: dict, lines_set: str = "salesInvoiceLines") -> list[dict]:
    rows = sim.company("sandbox", COMPANY).filter(lines_set, documentId=document["id"])
    return sorted(rows, key=lambda line: line["sequence"])


def link(name: str) -> RecordLink:
    return RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference=name)


def store_total(store, order_id: int) -> Decimal:
    return Decimal(store.sim.store.orders[order_id]["total"])


def test_the_scheduled_sweep_books_the_stores_orders_once(
    store,
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    sim = bc_server.sim
    chair_stock = sim.company("sandbox", COMPANY).find("items", number="1972-S")["inventory"]

    run = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)
    again = tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    assert run.status == SyncRun.Status.SUCCEEDED, run.error_message
    assert again.status == SyncRun.Status.SUCCEEDED and again.records_created == 0
    for name in ("#1001", "#1002", "#1003", "#1004", "#1005", "#1008"):  # #1008: free shipping, a variation
        assert link(name).state == RecordLink.State.SYNCED, (name, link(name).last_error_message)
        assert len(documents(sim, "salesInvoices", name)) == 1  # exactly one, after two sweeps
    assert run.records_skipped == 2  # #1006 on hold (unpaid) and #1007 cancelled: looked at, not booked
    assert not RecordLink.objects.filter(source_reference__in=["#1006", "#1007"]).exists()
    assert not documents(sim, "salesInvoices", "#1006") and not documents(sim, "salesInvoices", "#1007")
    # Domestic: a posted invoice on the collective customer, the freight line and PostNord.
    (domestic,) = documents(sim, "salesInvoices", "#1001")
    assert (domestic["status"], domestic["customerNumber"]) == ("Open", "10000")
    assert Decimal(str(domestic["totalAmountIncludingTax"])) == store_total(store, 1001)
    desk, freight = lines_of(sim, domestic)
    assert (desk["lineObjectNumber"], desk["taxPercent"], freight["lineObjectNumber"]) == ("1896-S", 25, "3540")
    # A coupon: WooCommerce's line subtotal less total is the discount, excl. VAT.
    (coupon,) = documents(sim, "salesInvoices", "#1002")
    assert Decimal(str(lines_of(sim, coupon)[0]["discountAmount"])) == Decimal("95.84")
    assert Decimal(str(coupon["totalAmountIncludingTax"])) == store_total(store, 1002)
    # OSS: Germany at 19 % on its OSS customer, Finland at 25.5 % in euro.
    (germany,) = documents(sim, "salesInvoices", "#1003")
    assert germany["customerNumber"] == "10010"
    assert {line["taxPercent"] for line in lines_of(sim, germany)} == {19}
    (finland,) = documents(sim, "salesInvoices", "#1004")
    assert (finland["customerNumber"], finland["currencyCode"]) == ("10020", "EUR")
    assert {line["taxPercent"] for line in lines_of(sim, finland)} == {25.5}
    # The refund of one chair: a credit memo applied to the invoice, the chair back in stock.
    (memo,) = [
        m
        for m in sim.company("sandbox", COMPANY).rows("salesCreditMemos")
        if m["externalDocumentNumber"].startswith("#1005-R")
    ]
    assert Decimal(str(memo["totalAmountIncludingTax"])) == Decimal("2490.00") and memo["status"] == "Paid"
    assert sim.company("sandbox", COMPANY).find("items", number="1972-S")["inventory"] == chair_stock - 2 + 1
    assert link("#1001").source_id == "gid://woocommerce/Order/1001"
    assert link("#1001").source_system == SourceSystem.WOOCOMMERCE  # the shop it came from, not "shopify"
    assert run.records_failed == 0
    assert CONSUMER_SECRET not in caplog.text and CONSUMER_KEY not in caplog.text and KEY not in caplog.text


def test_a_new_order_and_its_refund_arrive_by_signed_webhook(
    store,
    bc_server,
    bc_integration,  # noqa: F811
    woo_client,
    django_capture_on_commit_callbacks,
):
    sim, woo = bc_server.sim, store.sim
    with woo.store.lock:
        order = order_build(
            woo.store,
            OrderSpec(1100, woo.clock.now(), "SE", [("1928-S", 2)], billing={"email": "per@example.se"}),
        )
    woo.webhooks.fire("order.created", woo.order_json(order["id"]))  # WooCommerce queues, then delivers

    with django_capture_on_commit_callbacks(execute=True):
        statuses = woo.webhooks.flush()

    assert statuses == [200]
    (event,) = WebhookEvent.objects.filter(integration=bc_integration, source_system=SourceSystem.WOOCOMMERCE)
    assert (event.topic, event.state) == ("order.created", WebhookEvent.State.PROCESSED)
    assert link("#1100").state == RecordLink.State.SYNCED, link("#1100").last_error_message
    (invoice,) = documents(sim, "salesInvoices", "#1100")
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == store_total(store, 1100)

    # The merchant refunds one lamp in WordPress: WooCommerce announces it as order.updated.
    with woo.store.lock:
        refund = refund_whole_lines(woo.store, woo.store.orders[1100], {"1928-S": 1}, reason="Broken")
    woo.webhooks.fire("order.updated", woo.order_json(1100))
    with django_capture_on_commit_callbacks(execute=True):
        assert woo.webhooks.flush() == [200]

    (memo,) = documents(sim, "salesCreditMemos", f"#1100-R{refund['id']}")
    assert memo["invoiceId"] == invoice["id"]
    assert RecordLink.objects.get(entity_type=EntityType.REFUND, source_reference=f"#1100-R{refund['id']}").state == (
        RecordLink.State.SYNCED
    )


def test_a_delivery_is_stored_once_and_a_forged_one_is_refused(
    store,
    bc_integration,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    woo = store.sim
    secret = ShopConnection.objects.get(integration=bc_integration).webhook_secret.reveal()
    body, headers = woo.webhooks.build("order.updated", woo.order_json(1006), secret, delivery_id="d-1")
    post = woo_deliveries_to(client)
    url = f"{SITE_URL}/hooks/woocommerce/{bc_integration.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        first, second = post(url, body, headers), post(url, body, headers)
    forged = post(url, body, {**headers, "X-WC-Webhook-Signature": "bm90IGl0"})
    unknown = post(f"{SITE_URL}/hooks/woocommerce/999999/", body, headers)
    ping = post(url, b"webhook_id=7", {"Content-Type": "application/x-www-form-urlencoded"})

    assert (first, second, forged, unknown, ping) == (200, 200, 401, 404, 200)
    assert WebhookEvent.objects.filter(integration=bc_integration, webhook_id="d-1").count() == 1
    (run,) = SyncRun.objects.filter(integration=bc_integration, trigger=SyncRun.Trigger.WEBHOOK)
    assert (run.parameters["order_ids"], run.records_seen, run.records_skipped) == (
        ["gid://woocommerce/Order/1006"],
        1,
        1,
    )  # the on-hold order: looked at once, not booked


def test_the_stock_flow_writes_bcs_differences_to_the_store(
    store,
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    woo = store.sim
    products = {p["sku"]: p for p in woo.store.products.values()}
    products["1896-S"]["stock_quantity"] = 99  # the store drifted from BC
    bc_desk = bc_server.sim.company("sandbox", COMPANY).find("items", number="1896-S")["inventory"]

    first = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)
    woo.requests.clear()
    second = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)

    assert first.status == SyncRun.Status.SUCCEEDED, first.error_message
    assert products["1896-S"]["stock_quantity"] == bc_desk
    assert first.records_updated >= 1 and first.records_failed == 0
    assert second.records_updated == 0  # nothing differs any more: no write
    assert not [method for method, *_ in woo.requests if method != "GET"]

    # A delta in BC (three lamps sold over the counter): the next tick writes that product alone.
    company = bc_server.sim.company("sandbox", COMPANY)
    lamp = company.find("items", number="1928-S")
    item_entry_post(company, item=lamp, location_code="", quantity=-3, entry_type="Sale", document_number="COUNTER-1")
    third = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)

    assert third.status == SyncRun.Status.SUCCEEDED and third.records_updated == 1, third.error_message
    (write,) = [body for method, _, _, body in woo.requests if method != "GET"]
    assert [(item["id"], item["stock_quantity"]) for item in write["update"]] == [
        (products["1928-S"]["id"], int(lamp["inventory"]))
    ]
    assert products["1928-S"]["stock_quantity"] == int(lamp["inventory"])
    assert Counter(r.flow for r in SyncRun.objects.filter(integration=bc_integration))[Flow.STOCK] == 3


def test_the_customers_flow_makes_bc_customers_of_the_stores_customers(
    store,
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    Integration.objects.filter(pk=bc_integration.pk).update(
        customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE
    )
    # The store's customers registered a month before its first order.
    SyncCursor.objects.create(
        integration=bc_integration, flow=Flow.CUSTOMERS, last_loaded_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    )

    with django_capture_on_commit_callbacks(execute=True):  # "Sync now" (customers have no schedule)
        run = flow_enqueue(integration_id=bc_integration.pk, flow=Flow.CUSTOMERS, trigger=SyncRun.Trigger.MANUAL)
    run.refresh_from_db()

    assert run.status == SyncRun.Status.SUCCEEDED, run.error_message
    links = RecordLink.objects.filter(integration=bc_integration, entity_type=EntityType.CUSTOMER)
    assert run.records_seen == 3 and links.count() == 3
    assert all(link.state == RecordLink.State.SYNCED for link in links), [c.last_error_message for c in links]
    emails = {c["email"] for c in bc_server.sim.company("sandbox", COMPANY).rows("customers")}
    assert {"anna@example.se", "jonas@example.de", "aino@example.fi"} <= emails


def test_the_health_check_reads_what_the_stores_orders_used(
    store,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    tick(bc_integration, Flow.ORDERS, django_capture_on_commit_callbacks)

    facts = preflight_facts_get(integration=Integration.objects.get(pk=bc_integration.pk))

    assert facts.orders_looked_at == 6  # the booked orders' stored WooCommerce payloads
    assert facts.order_countries == {"SE", "DE", "FI"} and facts.order_currencies == {"SEK", "EUR"}
    assert {"flat_rate:1", "flat_rate:2"} <= facts.order_shipping_methods
    assert {"1896-S", "1928-S", "1900-S"} <= facts.order_skus


def test_the_intake_refuses_what_is_no_woocommerce_delivery(
    store,
    bc_integration,  # noqa: F811
    client,
):
    secret = ShopConnection.objects.get(integration=bc_integration).webhook_secret.reveal()
    post = woo_deliveries_to(client)
    url = f"{SITE_URL}/hooks/woocommerce/{bc_integration.pk}/"
    not_json = b"[1, 2"
    _, headers = store.sim.webhooks.build("order.updated", {"id": 1}, secret)
    signed_garbage = {**headers, "X-WC-Webhook-Signature": webhook_signature(secret=secret, body=not_json)}
    huge = b"{" + b" " * (1024 * 1024 + 1) + b"}"

    assert post(url, not_json, signed_garbage) == 400
    assert post(url, huge, {**headers, "X-WC-Webhook-Signature": webhook_signature(secret=secret, body=huge)}) == 413
    assert client.get(url).status_code == 405
    assert not WebhookEvent.objects.filter(integration=bc_integration).exists()
