"""The orders service against the BC simulator: exactly one correct document per order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities
from integrations.models import Integration
from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.services.orders.sync import orders_sync

from . import builders as b


def se_order(name="#2001", sku="1000", price="149.00", tax_amount="29.80", **kw):
    return b.order(name=name, lines=[b.line(sku=sku, price=price, tax_amount=tax_amount)], total="198.00", **kw)


@pytest.fixture
def run_sync(bc_integration, bc_client):
    def run(orders, **kw):
        bc_integration.refresh_from_db()
        return orders_sync(integration=bc_integration, orders=orders, client=bc_client, **kw)

    return run


def link_of(order) -> RecordLink:
    return RecordLink.objects.get(entity_type=EntityType.ORDER, source_id=order.id)


def test_domestic_order_becomes_one_posted_invoice_with_the_shops_total(run_sync, bc_client):
    order = se_order()
    result = run_sync([order])

    assert (result.created, result.failed) == (1, 0)
    link = link_of(order)
    assert link.state == RecordLink.State.SYNCED
    assert Decimal(link.details["bc_total"]) == Decimal("198.00")
    assert link.details["currency_mode"] == Integration.CurrencyMode.SHOP
    (invoice,) = bc_client.find_by_external_document_numbers(entities.SALES_INVOICES, ["#2001"])["#2001"]
    assert invoice.status == "Open"
    assert invoice.number == link.target_number
    assert invoice.customer_number == "10000"


def test_rerun_links_and_never_creates_twice(run_sync, sim_bc):
    order = se_order()
    run_sync([order])
    again = run_sync([order])

    assert (again.created, again.skipped) == (0, 1)
    assert RecordLink.objects.filter(entity_type=EntityType.ORDER).count() == 1


def test_unmapped_sku_fails_only_that_order_with_its_code(run_sync):
    good, bad = se_order(name="#2001"), se_order(name="#2002", sku="NOPE-9")
    result = run_sync([good, bad])

    assert (result.created, result.failed) == (1, 1)
    link = link_of(bad)
    assert (link.state, link.last_error_code, link.target_id) == (RecordLink.State.FAILED, codes.UNMAPPED_SKU, "")
    assert "NOPE-9" in link.last_error_message
    entry = SyncLogEntry.objects.get(record_link=link)
    assert entry.error_code == codes.UNMAPPED_SKU
    assert entry.details["remedy"]


def test_edited_order_is_a_conflict_with_a_diff_and_bc_is_untouched(run_sync):
    order = se_order()
    run_sync([order])
    edited = b.order(name="#2001", lines=[b.line(sku="1000", price="149.00", tax_amount="29.80", quantity=2)])
    result = run_sync([edited])

    assert (result.conflicts, result.created) == (1, 0)
    link = link_of(order)
    assert link.state == RecordLink.State.CONFLICT
    assert link.last_error_code == codes.ORDER_CONFLICT
    assert [change["field"] for change in link.details["diff"]] == ["line 1000", "total_price"]


def test_refund_becomes_a_posted_credit_memo_applied_to_the_invoice(run_sync, bc_client):
    order = se_order()
    run_sync([order])
    invoice_link = link_of(order)
    refund = b.refund(line_items=[b.refund_line(sku="1000", subtotal="149.00", tax_amount="29.80")], total="149.00")
    refunded = b.order(
        name="#2001", lines=[b.line(sku="1000", price="149.00", tax_amount="29.80")], total="198.00", refunds=[refund]
    )
    result = run_sync([refunded])

    assert (result.refunds.created, result.refunds.failed) == (1, 0)
    link = RecordLink.objects.get(entity_type=EntityType.REFUND)
    assert link.state == RecordLink.State.SYNCED
    (memo,) = bc_client.find_by_external_document_numbers(entities.SALES_CREDIT_MEMOS, ["#2001-R501"])["#2001-R501"]
    assert memo.invoice_id == invoice_link.target_id
    assert memo.total_amount_including_tax == Decimal("149.00")
    assert memo.status in ("Open", "Paid")  # posted; applied to the invoice
    # Rerun: nothing new.
    assert run_sync([refunded]).refunds.created == 0


def test_the_shipment_method_is_resolved_once_per_run_and_sent_as_its_id(run_sync, bc_integration, sim_bc):
    from integrations.models import ShippingMethodMapping

    ShippingMethodMapping.objects.filter(integration=bc_integration).update(bc_shipment_method_code="pnord")
    pnord = sim_bc.company().find("shipmentMethods", code="PNORD")

    result = run_sync([se_order(name="#2001"), se_order(name="#2002")], page_size=1)

    assert (result.created, result.failed) == (2, 0)
    invoices = [d for d in sim_bc.company().rows("salesInvoices") if d["externalDocumentNumber"] in ("#2001", "#2002")]
    assert [d["shipmentMethodId"] for d in invoices] == [pnord["id"], pnord["id"]]
    reads = [e for e in sim_bc.request_log if e.method == "GET" and e.path.endswith("/shipmentMethods")]
    assert len(reads) == 1  # two pages, one read


def test_an_unknown_shipment_method_fails_the_order_with_its_code(run_sync, bc_integration):
    from integrations.models import ShippingMethodMapping

    ShippingMethodMapping.objects.filter(integration=bc_integration).update(bc_shipment_method_code="NOSUCH")
    order = se_order()

    result = run_sync([order])

    assert result.failed == 1
    link = link_of(order)
    assert (link.state, link.last_error_code) == (RecordLink.State.FAILED, codes.SHIPMENT_METHOD_UNKNOWN)
    assert "NOSUCH" in link.last_error_message


def _refunded(refund_id="501"):
    refund = b.refund(
        refund_id=refund_id,
        line_items=[b.refund_line(sku="1000", subtotal="149.00", tax_amount="29.80")],
        total="149.00",
    )
    return b.order(
        name="#2001", lines=[b.line(sku="1000", price="149.00", tax_amount="29.80")], total="198.00", refunds=[refund]
    )


def test_a_refund_of_a_draft_invoice_is_a_draft_credit_memo_without_the_applies_to_link(
    run_sync, bc_integration, bc_client
):
    Integration.objects.filter(pk=bc_integration.pk).update(document_type=Integration.DocumentType.INVOICE_DRAFT)
    run_sync([se_order()])
    assert link_of(se_order()).details["status"] == "Draft"

    result = run_sync([_refunded()])

    assert (result.refunds.created, result.refunds.failed) == (1, 0)
    link = RecordLink.objects.get(entity_type=EntityType.REFUND)
    assert (link.state, link.last_error_code) == (RecordLink.State.SYNCED, codes.REFUND_OF_DRAFT_INVOICE)
    (memo,) = bc_client.find_by_external_document_numbers(entities.SALES_CREDIT_MEMOS, ["#2001-R501"])["#2001-R501"]
    assert (memo.invoice_id or "").strip("0-") == "" and not memo.invoice_number
    assert memo.status == "Draft"  # left for the accountant, like the invoice
    entry = SyncLogEntry.objects.get(record_link=link, level=SyncLogEntry.Level.WARNING)
    assert entry.error_code == codes.REFUND_OF_DRAFT_INVOICE


def test_a_refund_after_the_accountant_posted_the_draft_invoice_is_applied_to_it(run_sync, bc_integration, bc_client):
    Integration.objects.filter(pk=bc_integration.pk).update(document_type=Integration.DocumentType.INVOICE_DRAFT)
    run_sync([se_order()])
    invoice_link = link_of(se_order())
    bc_client.post_sales_invoice(invoice_link.target_id)  # the accountant posts it in BC

    result = run_sync([_refunded()])

    assert (result.refunds.created, result.refunds.failed) == (1, 0)
    (memo,) = bc_client.find_by_external_document_numbers(entities.SALES_CREDIT_MEMOS, ["#2001-R501"])["#2001-R501"]
    assert memo.invoice_id == invoice_link.target_id and memo.status in ("Open", "Paid")
    assert RecordLink.objects.get(entity_type=EntityType.REFUND).last_error_code == ""


def test_the_total_tolerance_of_a_local_currency_document_follows_the_base_currency():
    """A blank currency code is BC's LCY: a JPY company rounds to whole yen, not to SEK's öre."""
    import datetime as dt

    from integrations.connectors.businesscentral.records import SalesInvoice
    from syncs.mapping.types import DocumentDraft, DocumentKind, DocumentLine
    from syncs.services.documents import DocumentJob, _total_check

    line = DocumentLine(line_type="Item", number="1000", description="x", quantity=Decimal(1), unit_price=Decimal(800))
    draft = DocumentDraft(
        kind=DocumentKind.INVOICE,
        external_document_number="#2001",
        document_date=dt.date(2026, 3, 2),
        currency_code="",
        lines=(line,),
        expected_total=Decimal("1000"),
        currency_mode="shop",
    )
    job = DocumentJob(key="1", draft=draft, document=SalesInvoice(id="i", total_amount_including_tax=Decimal("1001")))

    _total_check(job, base_currency="JPY")

    assert job.total_mismatch is None and job.error is None


def _variant_of(sim_bc, item_number: str, code: str) -> dict:
    return sim_bc.company().find("itemVariants", itemNumber=item_number, code=code)


def test_a_variant_sku_is_booked_as_the_item_with_its_variant(run_sync, sim_bc):
    # The products flow writes BC item variants to the shop as "<item>-<variant code>".
    order = se_order(sku="1000-RED")
    result = run_sync([order])

    assert (result.created, result.failed) == (1, 0), link_of(order).last_error_message
    (invoice,) = [d for d in sim_bc.company().rows("salesInvoices") if d["externalDocumentNumber"] == "#2001"]
    (line,) = [
        x for x in sim_bc.company().filter("salesInvoiceLines", documentId=invoice["id"]) if x["lineType"] == "Item"
    ]
    assert line["lineObjectNumber"] == "1000"
    assert line["itemVariantId"] == _variant_of(sim_bc, "1000", "RED")["id"]


def test_a_variant_sku_under_the_gtin_rule_and_an_unknown_variant(run_sync, sim_bc, bc_integration):
    bc_integration.sku_rule = Integration.SkuRule.GTIN
    bc_integration.save()
    gtin = sim_bc.company().find("items", number="1000")["gtin"]
    good, unknown = se_order(name="#2001", sku=f"{gtin}-blue"), se_order(name="#2002", sku=f"{gtin}-GREEN")

    result = run_sync([good, unknown])

    assert (result.created, result.failed) == (1, 1)
    (invoice,) = [d for d in sim_bc.company().rows("salesInvoices") if d["externalDocumentNumber"] == "#2001"]
    (line,) = [
        x for x in sim_bc.company().filter("salesInvoiceLines", documentId=invoice["id"]) if x["lineType"] == "Item"
    ]
    assert (line["lineObjectNumber"], line["itemVariantId"]) == ("1000", _variant_of(sim_bc, "1000", "BLUE")["id"])
    assert link_of(unknown).last_error_code == codes.UNMAPPED_SKU
