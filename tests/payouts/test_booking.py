"""Booking a payout in the BC simulator: lines, idempotency, resume, posting, the zero check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities, odata
from integrations.models import Flow
from syncs.flows import payouts as payouts_flow
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.posting import payout_reference
from syncs.payouts.providers.base import MappedType, PayoutStatus, ProviderPayout, ProviderTransaction
from syncs.payouts.reconciliation import payout_report, payout_report_csv
from syncs.payouts.services import payout_book, payouts_sync
from tests.factories import SyncRunFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import (
    BANK_ACCOUNT,
    FEE_ACCOUNT,
    STRIPE_CLEARING,
    FakeProvider,
    invoices_create,
    order_links_create,
)

pytestmark = pytest.mark.django_db

ORDERS = {f"#{2000 + n}": Decimal(100 + n) for n in range(1, 51)}  # invoice total = amount * 1.25
UNMATCHED = "#2050"
REFUNDED = ("#2001", "#2002", "#2003")
FEE = Decimal("3.10")
REFUND = Decimal("-20.00")


def _txn(txn_id: str, type_: str, amount: Decimal, fee: Decimal, order: str) -> ProviderTransaction:
    return ProviderTransaction(
        id=txn_id,
        raw_type=type_,
        mapped_type={"charge": MappedType.CHARGE, "refund": MappedType.REFUND}.get(type_, MappedType.UNKNOWN),
        amount=amount,
        fee=fee,
        net=amount - fee,
        currency="SEK",
        order_reference=order,
        source_reference=f"src_{txn_id}",
    )


def _payout() -> tuple[ProviderPayout, list[ProviderTransaction]]:
    txns = [_txn(f"txn_c{name[1:]}", "charge", amount * Decimal("1.25"), FEE, name) for name, amount in ORDERS.items()]
    txns += [_txn(f"txn_r{name[1:]}", "refund", REFUND, Decimal("0"), name) for name in REFUNDED]
    net = sum((txn.net for txn in txns), Decimal("0"))
    payout = ProviderPayout(
        id="po_1TestPayout50", status=PayoutStatus.PAID, currency="SEK", amount=net, arrival_date=dt.date.today()
    )
    return payout, txns


@pytest.fixture
def world(integration, bc_client):
    invoices = invoices_create(bc_client, {name: amount for name, amount in ORDERS.items() if name != UNMATCHED})
    order_links_create(integration, invoices)
    provider = FakeProvider([_payout()])
    return integration, bc_client, provider, invoices


def _journal_ids(client):
    payment = client.list_records(entities.CUSTOMER_PAYMENT_JOURNALS, filter=odata.eq("code", "STRIPE"))[0]
    general = client.list_records(entities.JOURNALS, filter=odata.eq("code", "STRIPE"))[0]
    return payment.id, general.id


def _lines(client):
    payment_id, general_id = _journal_ids(client)
    payments = client.list_records(entities.CUSTOMER_PAYMENTS, parent=(entities.CUSTOMER_PAYMENT_JOURNALS, payment_id))
    journal = client.list_records(entities.JOURNAL_LINES, parent=(entities.JOURNALS, general_id))
    return payments, journal


def _sync(integration, client, provider):
    return payouts_sync(integration=integration, provider=provider, bc_client=client, since=None)


def test_fifty_charges_three_refunds_fees_and_one_unmatched_produce_exactly_the_expected_lines(world):
    integration, client, provider, invoices = world
    _sync(integration, client, provider)

    payout = Payout.objects.get()
    reference = payout_reference(payout)
    payments, journal = _lines(client)
    # BC's sign rule: a Payment to a Customer is negative, a Refund to a Customer positive.
    charges = [p for p in payments if p.amount < 0]
    refunds = [line for line in journal if line.account_type == "Customer"]
    assert len(charges) == len(payments) == 49 and len(refunds) == 3 and len(journal) == 5
    assert {p.external_document_number for p in payments + journal} == {reference}
    by_invoice = {p.applies_to_invoice_number: p.amount for p in charges}
    assert by_invoice == {invoices[name].number: ORDERS[name] * Decimal("-1.25") for name in invoices}
    assert all(line.amount == -REFUND > 0 and line.account_number == "10000" for line in refunds)
    assert all(line.balancing_account_number == STRIPE_CLEARING for line in refunds)
    fees = next(line for line in journal if line.account_type == "G/L Account")
    transfer = next(line for line in journal if line.account_type == "Bank Account")
    assert (fees.account_number, fees.amount, fees.balancing_account_number) == (FEE_ACCOUNT, FEE * 50, STRIPE_CLEARING)
    assert (transfer.account_number, transfer.amount) == (BANK_ACCOUNT, payout.amount)
    assert transfer.balancing_account_number == STRIPE_CLEARING

    report = payout_report(payout=payout)
    assert report.totals_ok
    assert [row.order_reference for row in report.unmatched] == [UNMATCHED]
    assert report.unmatched[0].error_code == "PAY-001"
    assert UNMATCHED in report.unmatched[0].error_message
    assert "externalDocumentNumber" in report.unmatched[0].error_message
    assert report.clearing_residual == ORDERS[UNMATCHED] * Decimal("-1.25")  # the unbooked charge
    assert payout.booking_state == Payout.BookingState.PARTIAL
    assert payout.last_error_code == "PAY-001"
    assert UNMATCHED in payout_report_csv(payout=payout)


def test_a_rerun_adds_no_line(world):
    integration, client, provider, _ = world
    _sync(integration, client, provider)
    before = [len(lines) for lines in _lines(client)]

    result = payout_book(payout=Payout.objects.get(), bc_client=client)

    assert result.written == 0 and result.failed == 0
    assert [len(lines) for lines in _lines(client)] == before


def test_a_half_written_payout_resumes_from_the_journal(world):
    """The lines reached BC but the answer was lost: nothing is recorded locally, BC is looked up first."""
    integration, client, provider, _ = world
    _sync(integration, client, provider)
    Payout.objects.update(booked_lines={}, booking_state=Payout.BookingState.NEW)
    PayoutTransaction.objects.update(match_state=PayoutTransaction.MatchState.UNMATCHED, bc_line_id="")
    payout = Payout.objects.get()
    payments, journal = _lines(client)
    client.delete_record(
        entities.CUSTOMER_PAYMENTS,
        payments[0].id,
        etag="*",
        parent=(entities.CUSTOMER_PAYMENT_JOURNALS, payments[0].journal_id),
    )

    result = payout_book(payout=payout, bc_client=client)

    assert result.written == 1
    assert [len(lines) for lines in _lines(client)] == [len(payments), len(journal)]


def test_after_the_fix_the_retry_books_the_charge_and_posting_pays_the_invoices_with_zero_on_clearing(world):
    integration, client, provider, invoices = world
    _sync(integration, client, provider)
    late = invoices_create(client, {UNMATCHED: ORDERS[UNMATCHED]})  # the order synced late, no link: BC search
    integration.payout_account_mappings.update(post_journal=True)

    result = payout_book(payout=Payout.objects.get(), bc_client=client)

    assert result.written == 1 and result.posted
    payout = Payout.objects.get()
    assert payout.booking_state == Payout.BookingState.POSTED
    statuses = {
        invoice.number: invoice.status
        for invoice in client.list_records(entities.SALES_INVOICES)
        if invoice.external_document_number in ORDERS
    }
    assert set(statuses) == {inv.number for inv in [*invoices.values(), *late.values()]}
    assert set(statuses.values()) == {"Paid"}
    entries = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", STRIPE_CLEARING))
    assert entries and sum(e.debit_amount - e.credit_amount for e in entries) == 0
    assert _lines(client) == ([], [])  # BC empties a posted journal
    report = payout_report(payout=payout)
    assert report.totals_ok and report.clearing_zero and not report.unmatched

    again = payout_book(payout=payout, bc_client=client)
    Payout.objects.update(booking_state=Payout.BookingState.BOOKED)  # posted, acknowledgement lost
    lost = payout_book(payout=Payout.objects.get(), bc_client=client)
    assert again.written == lost.written == 0
    assert _lines(client) == ([], [])
    assert Payout.objects.get().booking_state == Payout.BookingState.POSTED


def test_only_paid_payouts_are_booked(integration, bc_client):
    payout, txns = _payout()
    pending = ProviderPayout(
        id="po_pending", status=PayoutStatus.PENDING, currency="SEK", amount=payout.amount, arrival_date=None
    )
    provider = FakeProvider([(pending, txns)])

    _sync(integration, bc_client, provider)

    assert Payout.objects.get().booking_state == Payout.BookingState.NEW
    assert provider.transaction_calls == 0
    assert _lines(bc_client) == ([], [])


def test_a_payout_in_a_currency_without_clearing_accounts_stops_before_writing(integration, bc_client):
    payout, txns = _payout()
    foreign = ProviderPayout(
        id="po_eur", status=PayoutStatus.PAID, currency="EUR", amount=payout.amount, arrival_date=None
    )

    _sync(integration, bc_client, FakeProvider([(foreign, txns)]))

    staged = Payout.objects.get()
    # Only a SEK configuration exists: a EUR payout names the provider, market and currency no
    # configuration matches (booking in EUR itself is tests/payouts/test_foreign_currency_e2e.py).
    assert (staged.booking_state, staged.last_error_code) == (Payout.BookingState.FAILED, "PAY-013")
    assert "Stripe" in staged.last_error_message and "EUR" in staged.last_error_message
    assert _lines(bc_client) == ([], [])


def test_a_journal_not_balancing_against_the_clearing_account_stops_the_payout(integration, bc_client):
    integration.payout_account_mappings.update(clearing_account="1583")

    _sync(integration, bc_client, FakeProvider([_payout()]))

    staged = Payout.objects.get()
    assert staged.last_error_code == "PAY-006"
    assert "1580" in staged.last_error_message and "1583" in staged.last_error_message
    assert _lines(bc_client) == ([], [])


def test_the_flow_rebooks_named_payouts_without_fetching(world):
    integration, client, provider, _ = world
    _sync(integration, client, provider)
    invoices_create(client, {UNMATCHED: ORDERS[UNMATCHED]})
    calls = provider.transaction_calls
    run = SyncRunFactory(
        integration=integration, flow=Flow.PAYOUTS, parameters={"payout_ids": [Payout.objects.get().pk]}
    )

    payouts_flow.payouts_run(run, clients=StaticClients(bc_client=client, providers=[provider]))

    assert provider.transaction_calls == calls
    assert run.records_created == 1
    assert Payout.objects.get().booking_state == Payout.BookingState.BOOKED


def test_a_payout_reference_longer_than_bc_holds_is_refused_not_cut(integration, bc_client):
    """The lines are found again by externalDocumentNumber (Code[35]): a cut reference could match another payout."""
    payout, txns = _payout()
    long_id = ProviderPayout(
        id="po_" + "9" * 40, status=PayoutStatus.PAID, currency="SEK", amount=payout.amount, arrival_date=None
    )

    _sync(integration, bc_client, FakeProvider([(long_id, txns)]))

    staged = Payout.objects.get()
    assert (staged.booking_state, staged.last_error_code) == (Payout.BookingState.FAILED, "MAP-018")
    assert _lines(bc_client) == ([], [])
