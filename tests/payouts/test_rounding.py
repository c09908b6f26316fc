"""A charge a cent off its invoice (BC adds VAT per net line): the invoice is paid exactly, the
cent goes to the payment rounding account, and the clearing account still moves by zero."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities, odata
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.services import payout_book, payouts_sync
from tests.payouts.conftest import STRIPE_CLEARING, FakeProvider, invoices_create, order_links_create
from tests.payouts.test_booking import _txn

pytestmark = pytest.mark.django_db

ROUNDING_ACCOUNT = "3740"  # Öres- och kronutjämning
CHARGE = Decimal("626.98")  # the shop's total of #1004
INVOICE = Decimal("626.97")  # BC's: VAT added to each net line


def _provider() -> FakeProvider:
    from syncs.payouts.providers.base import PayoutStatus, ProviderPayout

    txn = _txn("txn_c1004", "charge", CHARGE, Decimal("12.00"), "#1004")
    payout = ProviderPayout(
        id="po_Rounding1", status=PayoutStatus.PAID, currency="SEK", amount=txn.net, arrival_date=dt.date.today()
    )
    return FakeProvider([(payout, [txn])])


@pytest.fixture
def one_cent(integration, bc_client):
    invoices = invoices_create(bc_client, {"#1004": INVOICE}, tax_code="ZERO")
    order_links_create(integration, invoices)
    integration.payout_account_mappings.update(post_journal=True)
    return integration, bc_client, invoices["#1004"]


def test_the_invoice_is_paid_exactly_and_the_cent_goes_to_the_rounding_account(one_cent):
    integration, client, invoice = one_cent
    integration.rounding_gl_account = ROUNDING_ACCOUNT
    integration.save()

    payouts_sync(integration=integration, provider=_provider(), bc_client=client, since=None)

    payout = Payout.objects.get()
    assert payout.booking_state == Payout.BookingState.POSTED, payout.last_error_message
    paid = client.get_record(entities.SALES_INVOICES, invoice.id)
    assert (paid.status, paid.remaining_amount) == ("Paid", Decimal("0"))
    clearing = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", STRIPE_CLEARING))
    assert sum(e.debit_amount - e.credit_amount for e in clearing) == 0
    rounding = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", ROUNDING_ACCOUNT))
    assert sum(e.credit_amount - e.debit_amount for e in rounding) == Decimal("0.01")
    assert PayoutTransaction.objects.get(mapped_type="charge").match_state == PayoutTransaction.MatchState.BOOKED

    again = payout_book(payout=payout, bc_client=client)  # a rerun writes nothing
    assert again.written == 0


def test_without_a_rounding_account_the_charge_stops_with_a_clear_code(one_cent):
    integration, client, invoice = one_cent

    payouts_sync(integration=integration, provider=_provider(), bc_client=client, since=None)

    row = PayoutTransaction.objects.get(mapped_type="charge")
    assert (row.match_state, row.error_code) == (PayoutTransaction.MatchState.UNMATCHED, "PAY-009")
    assert "626.98" in row.error_message and "626.97" in row.error_message
    assert client.get_record(entities.SALES_INVOICES, invoice.id).status == "Open"  # nothing applied wrongly
    assert Payout.objects.get().last_error_code == "PAY-009"


@pytest.mark.parametrize(
    ("invoice_amount", "tolerance", "status", "remaining", "rounding"),
    [
        # 3 öre from per-line currency conversion, either way: the invoice is closed exactly.
        (Decimal("626.95"), Decimal("0.05"), "Paid", Decimal("0"), Decimal("0.03")),
        (Decimal("627.01"), Decimal("0.05"), "Paid", Decimal("0"), Decimal("-0.03")),
        # 10 öre short: a real difference, left open for a person to look at ...
        (Decimal("627.08"), Decimal("0.05"), "Open", Decimal("0.10"), Decimal("0")),
        # ... unless the merchant allows that much.
        (Decimal("627.08"), Decimal("0.10"), "Paid", Decimal("0"), Decimal("-0.10")),
    ],
)
def test_the_rounding_tolerance_decides_what_is_closed(
    integration, bc_client, invoice_amount, tolerance, status, remaining, rounding
):
    invoices = invoices_create(bc_client, {"#1004": invoice_amount}, tax_code="ZERO")
    order_links_create(integration, invoices)
    integration.payout_account_mappings.update(post_journal=True)
    integration.rounding_gl_account = ROUNDING_ACCOUNT
    integration.payment_rounding_tolerance = tolerance
    integration.save()

    payouts_sync(integration=integration, provider=_provider(), bc_client=bc_client, since=None)

    invoice = bc_client.get_record(entities.SALES_INVOICES, invoices["#1004"].id)
    entries = bc_client.list_records(
        entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", ROUNDING_ACCOUNT)
    )
    booked_rounding = sum((e.credit_amount - e.debit_amount for e in entries), Decimal("0"))
    assert (invoice.status, invoice.remaining_amount, booked_rounding) == (status, remaining, rounding)
