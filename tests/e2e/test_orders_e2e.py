"""From a signed Shopify webhook to the BC document, through every real layer.

Each test delivers webhooks the way Shopify does (signed body, through the intake view), lets
the eager worker run the flow against the Shopify simulator over HTTP, and then reads the BC
simulator's company: documents, numbers, totals and status, plus the RecordLink and
SyncLogEntry rows the run left behind.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from integrations.connectors.businesscentral import entities
from integrations.models import Flow, Integration
from simulators.shopify.orders import OrderSpec, RefundSpec, build_order, refund_create
from simulators.shopify.records import product_new, variant_create
from simulators.shopify.seed import SHIPPING, WELCOME10
from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun, WebhookEvent
from syncs.services.dispatch import records_retry_failed


def company(sim_bc):
    return sim_bc.company()


def invoices_for(sim_bc, number: str) -> list[dict]:
    return [d for d in company(sim_bc).rows("salesInvoices") if d.get("externalDocumentNumber") == number]


def lines_of(sim_bc, document: dict, lines_set: str = "salesInvoiceLines") -> list[dict]:
    return sorted(company(sim_bc).filter(lines_set, documentId=document["id"]), key=lambda line: line["sequence"])


def order_link(name: str) -> RecordLink:
    return RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference=name)


def shop_total(order: dict, side: str = "shopMoney") -> Decimal:
    return Decimal(order["totalPriceSet"][side]["amount"])


def test_domestic_b2c_webhook_to_posted_invoice(shop, sim_bc):
    response = shop.deliver("#1001")

    assert response.status_code == 200
    link = order_link("#1001")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#1001")
    # Posted: the first number after the seeded S-INV+ series' last used one.
    assert (invoice["status"], invoice["number"]) == ("Open", "10300016")
    assert invoice["shipmentMethodId"] == company(sim_bc).find("shipmentMethods", code="PNORD")["id"]
    assert (link.target_id, link.target_number) == (invoice["id"], "10300016")
    assert invoice["customerNumber"] == "10000"
    assert invoice["currencyCode"] == ""  # LCY
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == shop_total(shop.order("#1001"))
    assert Decimal(str(invoice["remainingAmount"])) == shop_total(shop.order("#1001"))
    desk, freight = lines_of(sim_bc, invoice)
    assert (desk["lineType"], desk["lineObjectNumber"], desk["taxPercent"]) == ("Item", "1896-S", 25)
    assert (freight["lineType"], freight["lineObjectNumber"]) == ("Account", "3540")
    assert company(sim_bc).find("items", number="1896-S")["inventory"] == 46  # 47 seeded, one sold
    assert not SyncLogEntry.objects.filter(level=SyncLogEntry.Level.ERROR).exists()


def test_gtin_rule_finds_the_items_by_the_shops_barcodes(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(sku_rule=Integration.SkuRule.GTIN)

    shop.deliver("#1002")  # three products, WELCOME10

    assert order_link("#1002").state == RecordLink.State.SYNCED, order_link("#1002").last_error_message
    (invoice,) = invoices_for(sim_bc, "#1002")
    items = [line["lineObjectNumber"] for line in lines_of(sim_bc, invoice) if line["lineType"] == "Item"]
    assert items == ["1900-S", "1928-S", "1996-S"]
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == shop_total(shop.order("#1002"))


def test_eu_cross_border_order_uses_the_oss_group_and_rate(shop, sim_bc):
    order = shop.order("#1003")  # Germany, paid in EUR, DHL Express

    shop.deliver("#1003")

    link = order_link("#1003")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#1003")
    assert invoice["status"] == "Open"
    assert invoice["customerNumber"] == "10010"  # collective customer Germany, VAT group OSS-DE
    # The integration books in the shop's currency: SEK (BC's LCY), although the customer is EUR.
    assert invoice["currencyCode"] == ""
    assert {line["taxPercent"] for line in lines_of(sim_bc, invoice)} == {19}
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == shop_total(order)
    accounts = {entry["accountNumber"] for entry in company(sim_bc).rows("generalLedgerEntries")
                if entry["documentNumber"] == invoice["number"]}  # fmt: skip
    assert {"3106", "2614"} <= accounts  # OSS sales and OSS VAT


def test_foreign_currency_order_is_invoiced_in_that_currency(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(currency_mode=Integration.CurrencyMode.PRESENTMENT)
    order = shop.order("#1004")  # Finland, EUR, Klarna

    shop.deliver("#1004")

    link = order_link("#1004")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert (link.details["currency_mode"], link.details["currency"]) == ("presentment", "EUR")
    (invoice,) = invoices_for(sim_bc, "#1004")
    assert (invoice["currencyCode"], invoice["customerNumber"], invoice["status"]) == ("EUR", "10020", "Open")
    lines = lines_of(sim_bc, invoice)
    assert {line["taxPercent"] for line in lines} == {25.5}
    # BC adds 25.5 % VAT to each net line: the total may differ by a cent per line, no more.
    bc_total = Decimal(str(invoice["totalAmountIncludingTax"]))
    assert abs(bc_total - shop_total(order, "presentmentMoney")) <= Decimal("0.01") * len(lines)
    presentment_total = order["totalPriceSet"]["presentmentMoney"]["amount"]
    assert (link.details["bc_total"], link.details["shop_total"]) == (str(bc_total), presentment_total)


def test_the_same_webhook_twice_makes_one_document(shop, sim_bc):
    shop.deliver("#1001", webhook_id="dup-1")
    shop.deliver("#1001", webhook_id="dup-1")  # Shopify's retry of the same delivery
    shop.deliver("#1001")  # a fresh delivery of the same order (e.g. orders/updated)

    assert WebhookEvent.objects.count() == 2
    assert Counter(d["externalDocumentNumber"] for d in company(sim_bc).rows("salesInvoices"))["#1001"] == 1
    assert RecordLink.objects.filter(entity_type=EntityType.ORDER).count() == 1
    assert order_link("#1001").state == RecordLink.State.SYNCED


# --- orders built in the shop for one scenario --------------------------------------------------


def new_order(sim, number: int, lines: list[tuple[str, int]], **spec) -> dict:
    """An order placed in the Shopify simulator now (SE, PostNord), lines as (SKU or "GIFT", qty)."""
    variants = {variant["sku"] or "GIFT": variant for variant in sim.store.variants.values()}
    customer = next(c for c in sim.store.customers.values() if c["firstName"] == "Anna")
    spec.setdefault("shipping", SHIPPING["SE"])
    order_spec = OrderSpec(
        number=number,
        created_at=sim.clock.now(),
        country="SE",
        currency="SEK",
        lines=[(variants[sku], quantity) for sku, quantity in lines],
        customer=customer,
        **spec,
    )
    with sim.store.lock:
        return build_order(sim.store, order_spec)


def unknown_product(sim, sku: str) -> None:
    """A product the merchant added in the shop but never in BC."""
    with sim.store.lock:
        product = product_new(sim.store, title="Desk lamp (new)", created=sim.store.now_iso())
        variant_create(sim.store, product, sku=sku, barcode="", price="399.00", weight=1.0)


def test_discount_shipping_and_gift_card_lines(shop, sim_bc):
    order = new_order(
        shop.sim,
        2001,
        [("GIFT", 1), ("1928-S", 2)],
        discount=WELCOME10,
        payments=[("gift_card", Decimal("100.00")), ("shopify_payments", None)],
    )

    shop.deliver("#2001")

    link = order_link("#2001")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#2001")
    gift, lamps, freight = lines_of(sim_bc, invoice)
    # A sold gift card is a liability without VAT; it takes no share of the discount.
    assert (gift["lineType"], gift["lineObjectNumber"], gift["taxPercent"]) == ("Account", "2420", 0)
    assert (Decimal(str(gift["amountIncludingTax"])), Decimal(str(gift["discountAmount"]))) == (500, 0)
    # WELCOME10 on 2 x 599.00: 119.80 incl. VAT, sent as 95.84 excl. VAT on the item line.
    assert (lamps["lineObjectNumber"], lamps["quantity"], Decimal(str(lamps["discountAmount"]))) == (
        "1928-S",
        2,
        Decimal("95.84"),
    )
    assert Decimal(str(lamps["amountIncludingTax"])) == Decimal("1078.20")
    assert (freight["lineObjectNumber"], Decimal(str(freight["amountIncludingTax"]))) == ("3540", Decimal("49.00"))
    # Paying 100.00 by gift card settles the invoice later; the invoice shows the whole sale.
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == shop_total(order) == Decimal("1627.20")
    assert invoice["status"] == "Open"


@pytest.mark.parametrize("fix", ["fallback account", "item created in BC"])
def test_unknown_sku_fails_with_its_code_and_the_retry_creates_it_once(fix, shop, sim_bc, bc_client, bc_integration):
    unknown_product(shop.sim, "LAMP-NEW")
    new_order(shop.sim, 2002, [("LAMP-NEW", 1), ("1928-S", 1)])

    shop.deliver("#2002")

    link = order_link("#2002")
    assert (link.state, link.last_error_code, link.target_id) == (RecordLink.State.FAILED, codes.UNMAPPED_SKU, "")
    assert "LAMP-NEW" in link.last_error_message
    entry = SyncLogEntry.objects.get(record_link=link, level=SyncLogEntry.Level.ERROR)
    assert entry.error_code == codes.UNMAPPED_SKU and "LAMP-NEW" in entry.message
    assert invoices_for(sim_bc, "#2002") == []
    requests_before = sim_bc.request_count

    if fix == "fallback account":
        Integration.objects.filter(pk=bc_integration.pk).update(fallback_gl_account="3001")
    else:
        bc_client.create_record(
            entities.ITEMS, {"number": "LAMP-NEW", "displayName": "Desk lamp", "taxGroupCode": "STANDARD"}
        )
    with shop.on_commit(execute=True):
        records_retry_failed(integration_id=bc_integration.pk, flow=Flow.ORDERS)
    with shop.on_commit(execute=True):
        records_retry_failed(integration_id=bc_integration.pk, flow=Flow.ORDERS)  # nothing failed: no run

    link.refresh_from_db()
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert (link.last_error_code, link.attempts) == ("", 2)
    (invoice,) = invoices_for(sim_bc, "#2002")
    assert invoice["status"] == "Open" and link.target_id == invoice["id"]
    first = lines_of(sim_bc, invoice)[0]
    expected = ("Account", "3001") if fix == "fallback account" else ("Item", "LAMP-NEW")
    assert (first["lineType"], first["lineObjectNumber"]) == expected
    assert sim_bc.request_count > requests_before


def test_missing_vat_posting_setup_names_the_combination(shop, sim_bc):
    company(sim_bc).remove_vat_posting_setup("OSS-DE", "STANDARD")

    shop.deliver("#1003")

    link = order_link("#1003")
    assert (link.state, link.last_error_code) == (RecordLink.State.FAILED, "BC-101")
    assert link.last_error_message.startswith(
        "VAT Posting Setup has no line for VAT Bus. Posting Group OSS-DE and VAT Prod. Posting Group STANDARD."
    )
    entry = SyncLogEntry.objects.get(record_link=link, level=SyncLogEntry.Level.ERROR)
    assert entry.error_code == "BC-101"
    assert entry.details["vendor_code"] == "Internal_RecordNotFound"
    assert "VAT Bus. Posting Group='OSS-DE',VAT Prod. Posting Group='STANDARD'" in entry.details["vendor_message"]
    # The deep insert is one transaction: no draft is left behind, and no number was used.
    assert invoices_for(sim_bc, "#1003") == []
    assert company(sim_bc).number_series["S-INV"].lines[0].last_no_used == "10200020"


def test_lost_acknowledgement_links_the_committed_invoice_without_a_duplicate(shop, sim_bc):
    # A new order's sync: read the items and shipment methods, look "#1001" up, then create it in a
    # $batch. BC commits that fourth request but the answer never arrives.
    sim_bc.faults.drop_response_after_commit(4)

    shop.deliver("#1001")

    assert sim_bc.faults.injected == 1
    calls = [(e.method, e.path.rsplit("/", 1)[-1]) for e in sim_bc.request_log]
    # The lost create is followed by a lookup, which finds the invoice: then post and re-read only.
    assert calls == [
        ("GET", "items"),
        ("GET", "shipmentMethods"),
        ("GET", "salesInvoices"),
        ("POST", "$batch"),  # create: committed, answer dropped
        ("GET", "salesInvoices"),
        ("POST", "$batch"),  # post
        ("GET", "salesInvoices"),  # re-read: one filtered GET for the page
    ]
    (invoice,) = invoices_for(sim_bc, "#1001")
    link = order_link("#1001")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert link.target_id == invoice["id"] and invoice["status"] == "Open"
    shop.deliver("#1001")  # and a later delivery changes nothing
    assert len(invoices_for(sim_bc, "#1001")) == 1


def test_refund_becomes_a_credit_memo_applied_to_the_invoice(shop, sim_bc):
    order = new_order(shop.sim, 2003, [("1972-S", 2)])
    shop.deliver("#2003")
    (invoice,) = invoices_for(sim_bc, "#2003")
    assert Decimal(str(invoice["remainingAmount"])) == Decimal("5029.00")  # 2 x 2490.00 + 49.00 shipping
    stock = company(sim_bc).find("items", number="1972-S")["inventory"]
    with shop.sim.store.lock:
        refund = refund_create(
            shop.sim.store, order, RefundSpec(lines=[(0, 1, "RETURN")]), created_at=shop.sim.clock.now()
        )

    response = shop.post("refunds/create", shop.sim.webhooks.refund_payload(refund))

    assert response.status_code == 200
    refund_link = RecordLink.objects.get(entity_type=EntityType.REFUND)
    assert refund_link.state == RecordLink.State.SYNCED, refund_link.last_error_message
    memo_number = f"#2003-R{refund['id'].rsplit('/', 1)[-1]}"
    (memo,) = [m for m in company(sim_bc).rows("salesCreditMemos") if m["externalDocumentNumber"] == memo_number]
    assert (memo["invoiceId"], memo["invoiceNumber"]) == (invoice["id"], invoice["number"])
    assert memo["status"] in ("Open", "Paid") and memo["number"].startswith("109")
    assert Decimal(str(memo["totalAmountIncludingTax"])) == Decimal("2490.00")
    invoice = company(sim_bc).get("salesInvoices", invoice["id"])
    assert Decimal(str(invoice["remainingAmount"])) == Decimal("2539.00")
    assert company(sim_bc).find("items", number="1972-S")["inventory"] == stock + 1  # restocked
    assert refund_link.target_id == memo["id"]


def test_sales_order_is_shipped_and_invoiced_at_fulfilment(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(document_type=Integration.DocumentType.ORDER_SHIP_INVOICE)
    order = new_order(shop.sim, 2004, [("1900-S", 2)], fulfilled=False)

    shop.deliver("#2004")

    (sales_order,) = [o for o in company(sim_bc).rows("salesOrders") if o["externalDocumentNumber"] == "#2004"]
    assert sales_order["status"] == "Draft" and sales_order["number"] == "10100006"
    assert invoices_for(sim_bc, "#2004") == []
    link = order_link("#2004")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert (link.details["document_kind"], link.details["invoice_id"]) == ("salesOrders", "")

    with shop.sim.store.lock:  # the merchant fulfils the order in Shopify
        order["displayFulfillmentStatus"] = "FULFILLED"
        order["updatedAt"] = shop.sim.store.now_iso()
    shop.deliver("#2004", topic="orders/updated")

    assert [o for o in company(sim_bc).rows("salesOrders") if o["externalDocumentNumber"] == "#2004"] == []
    (invoice,) = invoices_for(sim_bc, "#2004")
    assert (invoice["status"], invoice["orderNumber"]) == ("Open", "10100006")
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == shop_total(order)
    link.refresh_from_db()
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert (link.details["invoice_id"], link.target_number) == (invoice["id"], invoice["number"])
    shop.deliver("#2004", topic="orders/updated")  # again: nothing more
    assert len(invoices_for(sim_bc, "#2004")) == 1


def test_date_range_backfill_reads_the_shop_with_one_bulk_operation(shop, sim_bc, bc_integration, settings):
    settings.SHOPIFY_BULK_BACKFILL_MIN_ORDERS = 10  # the month's orders are counted first: enough for bulk
    with pytest.raises(CommandError, match="partially failed"):  # countries this integration does not map
        call_command("backfill_orders", str(bc_integration.pk), "--from", "2025-03-01", "--to", "2025-03-31")

    run = SyncRun.objects.filter(integration=bc_integration, flow=Flow.ORDERS).latest("pk")
    in_range = [o for o in shop.sim.store.orders.values() if "2025-03-01" <= o["createdAt"] <= "2025-03-31T23:59"]
    assert [op["status"] for op in shop.sim.store.bulk_operations.values()] == ["COMPLETED"]
    refunds = sum(len(o["refunds"]) for o in in_range)
    assert run.records_seen == len(in_range) + refunds  # every order, then the refunds of the same orders
    assert len(invoices_for(sim_bc, "#1001")) == 1
    # A refunded euro order from the bulk file became its invoice and credit memo.
    assert len(invoices_for(sim_bc, "#1013")) == 1
    assert [m for m in company(sim_bc).rows("salesCreditMemos") if m["externalDocumentNumber"].startswith("#1013-R")]


def test_a_long_title_is_cut_and_recorded(shop, sim_bc):
    """BC's line description is Text[100]: a longer title is cut where BC would refuse, and recorded."""
    title = "Desk lamp with an extraordinarily long name " * 4  # 176 characters
    with shop.sim.store.lock:
        product = product_new(shop.sim.store, title=title, created=shop.sim.store.now_iso())
        variant_create(shop.sim.store, product, sku="1928-S", barcode="", price="599.00", weight=1.0)
    new_order(shop.sim, 2101, [("1928-S", 1)])

    shop.deliver("#2101")

    link = order_link("#2101")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#2101")
    lamp = lines_of(sim_bc, invoice)[0]
    assert lamp["description"] == title[:100]
    assert link.details["cuts"] == [{"field": "description (line 1)", "length": 100, "original_length": len(title)}]
    entry = SyncLogEntry.objects.get(record_link=link, error_code=codes.TEXT_SHORTENED)
    assert entry.level == SyncLogEntry.Level.WARNING and "description (line 1)" in entry.message
