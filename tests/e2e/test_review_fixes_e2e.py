"""Review fixes, end to end through the webhook intake, the Shopify simulator and the BC simulator:
"mark as paid automatically", the shipment method on documents, refunds of draft invoices."""

from __future__ import annotations

from decimal import Decimal

from integrations.models import Integration
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.services.dispatch import record_links_retry
from tests.e2e.test_orders_e2e import company, invoices_for, new_order, order_link
from tests.factories import PaymentMethodMappingFactory


def _mark_paid_setup(bc_integration, gateway: str = "manual") -> None:
    PaymentMethodMappingFactory(
        integration=bc_integration, shop_gateway=gateway, bc_payment_method_code="BANK", mark_as_paid=True
    )
    Integration.objects.filter(pk=bc_integration.pk).update(
        payment_journal_template="CASHRCPT", payment_journal_batch="BANK", post_payment_journal=True
    )


def _bank_payment_entries(sim_bc) -> list[dict]:
    """G/L entries of posted customer payments on the BANK batch's balancing account."""
    return [
        entry
        for entry in company(sim_bc).rows("generalLedgerEntries")
        if entry.get("documentType") == "Payment" and entry.get("accountNumber") == "1930"
    ]


def test_a_mark_as_paid_order_ends_with_a_paid_invoice_and_a_rerun_pays_nothing_twice(shop, sim_bc, bc_integration):
    _mark_paid_setup(bc_integration)
    new_order(shop.sim, 2101, [("1928-S", 1)], payments=[("manual", None)])

    shop.deliver("#2101")

    link = order_link("#2101")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#2101")
    assert invoice["status"] == "Paid" and Decimal(str(invoice["remainingAmount"])) == 0
    payment = RecordLink.objects.get(entity_type=EntityType.PAYMENT, source_id="#2101")
    assert (payment.state, payment.target_number) == (RecordLink.State.SYNCED, invoice["number"])
    (entry,) = _bank_payment_entries(sim_bc)
    assert Decimal(str(entry["debitAmount"] or entry.get("amount", 0))) == Decimal(
        str(invoice["totalAmountIncludingTax"])
    )
    requests_before = sim_bc.request_count

    shop.deliver("#2101", topic="orders/updated")  # a rerun of the same order
    with shop.on_commit(execute=True):
        record_links_retry(record_link_ids=[payment.pk])  # and a retry of its (synced) payment

    assert RecordLink.objects.filter(entity_type=EntityType.PAYMENT).count() == 1
    assert company(sim_bc).get("salesInvoices", invoice["id"])["status"] == "Paid"
    assert len(_bank_payment_entries(sim_bc)) == 1
    payment.refresh_from_db()
    assert payment.state == RecordLink.State.SYNCED
    assert sim_bc.request_count == requests_before  # nothing read or written in BC


def test_other_gateways_are_not_marked_paid(shop, sim_bc, bc_integration):
    _mark_paid_setup(bc_integration, gateway="manual")

    shop.deliver("#1001")  # paid with shopify_payments: the payouts flow books it

    (invoice,) = invoices_for(sim_bc, "#1001")
    assert invoice["status"] == "Open"
    assert not RecordLink.objects.filter(entity_type=EntityType.PAYMENT).exists()


def test_a_failed_payment_is_logged_with_its_code_and_the_retry_pays_it(shop, sim_bc, bc_integration):
    _mark_paid_setup(bc_integration)
    Integration.objects.filter(pk=bc_integration.pk).update(payment_journal_batch="NOSUCH")
    new_order(shop.sim, 2102, [("1928-S", 1)], payments=[("manual", None)])
    new_order(shop.sim, 2103, [("1900-S", 1)])

    shop.deliver("#2102")
    shop.deliver("#2103")

    link = order_link("#2102")
    assert link.state == RecordLink.State.SYNCED  # the invoice is posted; only the payment failed
    assert link.details["payment_error_code"] == "BC-501"
    entry = SyncLogEntry.objects.get(record_link=link, level=SyncLogEntry.Level.ERROR)
    assert entry.error_code == "BC-501"
    payment = RecordLink.objects.get(entity_type=EntityType.PAYMENT, source_id="#2102")
    assert (payment.state, payment.last_error_code) == (RecordLink.State.FAILED, "BC-501")
    assert order_link("#2103").state == RecordLink.State.SYNCED
    (invoice,) = invoices_for(sim_bc, "#2102")
    assert invoice["status"] == "Open"

    Integration.objects.filter(pk=bc_integration.pk).update(payment_journal_batch="BANK")
    with shop.on_commit(execute=True):
        record_links_retry(record_link_ids=[payment.pk])

    payment.refresh_from_db()
    assert payment.state == RecordLink.State.SYNCED, payment.last_error_message
    assert company(sim_bc).get("salesInvoices", invoice["id"])["status"] == "Paid"
