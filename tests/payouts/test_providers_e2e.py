"""A Stripe payout and a Shopify Payments payout, each end to end: provider simulator -> flow -> BC simulator."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities, odata
from integrations.models import Flow, PaymentProviderConnection
from simulators.server import serve
from simulators.stripe import StripeSimulator
from syncs.flows import payouts as payouts_flow
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.providers import provider_build
from syncs.payouts.reconciliation import payout_report
from tests.factories import PaymentProviderConnectionFactory, SyncCursorFactory, SyncRunFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import (
    SHOPIFY_CLEARING,
    bc_client_for,
    general_journal_create,
    integration_for,
    invoices_create,
    order_links_create,
)

pytestmark = pytest.mark.django_db
Unknown = PayoutTransaction.MappedType.UNKNOWN


def _run(integration, bc_client, providers):
    run = SyncRunFactory(integration=integration, flow=Flow.PAYOUTS)
    payouts_flow.payouts_run(run, clients=StaticClients(bc_client=bc_client, providers=providers))
    return run


def _line_count(client, code: str) -> int:
    payment = client.list_records(entities.CUSTOMER_PAYMENT_JOURNALS, filter=odata.eq("code", code))[0]
    general = client.list_records(entities.JOURNALS, filter=odata.eq("code", code))[0]
    return len(
        client.list_records(entities.CUSTOMER_PAYMENTS, parent=(entities.CUSTOMER_PAYMENT_JOURNALS, payment.id))
    ) + len(client.list_records(entities.JOURNAL_LINES, parent=(entities.JOURNALS, general.id)))


@pytest.fixture
def stripe_server(settings):
    sim = StripeSimulator()
    with serve(sim) as running:
        settings.STRIPE_API_BASE = running.url
        yield sim


def test_a_stripe_payout_is_booked_end_to_end_and_an_unknown_type_is_kept(integration, bc_client, stripe_server):
    account = stripe_server.account
    invoices = invoices_create(bc_client, {"#3001": Decimal("250.00"), "#3002": Decimal("99.90")}, tax_code="ZERO")
    order_links_create(integration, {"#3001": invoices["#3001"]})  # #3002 is found by searching BC
    paid = account.charge_create(amount=25000, fee=755, metadata={"order_name": "#3001"})
    account.charge_create(amount=9990, fee=320, payment_intent_description="#3002")
    account.refund_create(charge_id=paid["id"], amount=5000)
    account.balance_transaction_create(type_="not_a_stripe_type", amount=-50)  # a type Stripe may add later
    payout = account.payout_create()
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )

    _run(integration, bc_client, [provider_build(connection=connection)])

    staged = Payout.objects.get()
    assert (staged.provider_payout_id, staged.amount, staged.fees) == (
        payout["id"],
        Decimal("288.65"),
        Decimal("10.75"),
    )
    rows = {row.raw_type: row for row in staged.transactions.all()}
    assert rows["charge"].match_state == PayoutTransaction.MatchState.BOOKED
    assert rows["refund"].order_reference == "#3001"  # from the refunded charge's metadata
    unknown = rows["not_a_stripe_type"]
    assert (unknown.mapped_type, unknown.amount, unknown.error_code) == (Unknown, Decimal("-0.50"), "PAY-004")
    assert _line_count(bc_client, "STRIPE") == 2 + 1 + 2  # charges, refund, fees + transfer
    report = payout_report(payout=staged)
    assert report.totals_ok and not report.unmatched
    assert report.unknown == [unknown]
    assert report.clearing_residual == Decimal("0.50")  # the unknown transaction, left to book by hand
    assert "1580" in report.clearing_error and "0.50" in report.clearing_error

    _run(integration, bc_client, [provider_build(connection=connection)])
    assert _line_count(bc_client, "STRIPE") == 5


@pytest.fixture
def shop_integration(db, sim_bc):
    return integration_for(
        sim_bc,
        batch="SHOPIFY",
        provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS,
        clearing=SHOPIFY_CLEARING,
        post_payment_journal=True,
    )


def test_shopify_payments_payouts_are_booked_and_posted_end_to_end(
    shop_integration, sim_bc, shopify_client, shopify_sim
):
    from tests.factories import ShopConnectionFactory

    ShopConnectionFactory(integration=shop_integration, shop_currency="SEK")
    client = bc_client_for(sim_bc, shop_integration)
    general_journal_create(client, "SHOPIFY")
    paid = [p for p in shopify_sim.store.payouts.values() if p["status"] == "PAID"]
    amounts: dict[str, Decimal] = defaultdict(lambda: Decimal("100.00"))
    for bt in shopify_sim.store.balance_transactions.values():
        order = bt.get("associatedOrder")
        if order and bt["type"] == "CHARGE":
            amounts[order["name"]] = amounts.get(order["name"], Decimal("0")) + Decimal(bt["amount"]["amount"])
        elif order:
            amounts.setdefault(order["name"], Decimal("100.00"))
    order_links_create(shop_integration, invoices_create(client, dict(amounts), tax_code="ZERO"))
    connection = PaymentProviderConnectionFactory(
        integration=shop_integration, provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS
    )
    provider = provider_build(connection=connection, client=shopify_client)
    # The seeded payouts are from March 2025: move the cursor back to backfill them.
    SyncCursorFactory(
        integration=shop_integration, flow=Flow.PAYOUTS, last_loaded_at=dt.datetime(2025, 3, 15, tzinfo=dt.UTC)
    )

    _run(shop_integration, client, [provider])

    payouts = Payout.objects.filter(integration=shop_integration)
    assert payouts.filter(status=Payout.Status.PAID).count() == len(paid) == 2
    assert payouts.filter(status=Payout.Status.PENDING).get().booking_state == Payout.BookingState.NEW
    reserved = PayoutTransaction.objects.get(raw_type="RESERVED_FUNDS")
    assert (reserved.category, reserved.mapped_type, reserved.error_code) == ("reserve", "adjustment", "")
    transfers = PayoutTransaction.objects.filter(raw_type="TRANSFER")
    assert {(row.category, row.mapped_type) for row in transfers} == {("transfer", "payout")}
    assert transfers.count() == 2  # one per paid payout (its own row); the one in transit is not fetched
    for payout in payouts.filter(status=Payout.Status.PAID):
        report = payout_report(payout=payout)
        assert report.totals_ok and not report.unmatched and not report.unknown
        assert report.clearing_residual == 0
        assert payout.booking_state == Payout.BookingState.POSTED
    entries = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", SHOPIFY_CLEARING))
    assert sum(e.debit_amount - e.credit_amount for e in entries) == Decimal("0")  # every real type booked
    assert {i.status for i in client.list_records(entities.SALES_INVOICES) if i.external_document_number} >= {"Paid"}
