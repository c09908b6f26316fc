"""Every Stripe balance transaction type the product meets, booked from the simulator into the BC
simulator: disputes, dispute reversals, failed refunds, FX fees, minimum-balance holds and releases,
a failed payout's reversal; manual and not-yet-reconciled payouts are staged but not booked."""

from __future__ import annotations

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
from tests.factories import PaymentProviderConnectionFactory, SyncRunFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import STRIPE_CLEARING, invoices_create, order_links_create

pytestmark = pytest.mark.django_db
Category = PayoutTransaction.Category


@pytest.fixture
def stripe_server(settings):
    sim = StripeSimulator()
    with serve(sim) as running:
        settings.STRIPE_API_BASE = running.url
        yield sim


def _run(integration, bc_client, connection):
    clients = StaticClients(bc_client=bc_client, providers=[provider_build(connection=connection)])
    payouts_flow.payouts_run(SyncRunFactory(integration=integration, flow=Flow.PAYOUTS), clients=clients)


def _clearing_balance(client) -> Decimal:
    entries = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", STRIPE_CLEARING))
    return sum((e.debit_amount - e.credit_amount for e in entries), Decimal("0"))


def test_every_stripe_type_is_categorised_booked_and_the_clearing_account_ends_at_zero(
    integration, bc_client, stripe_server
):
    integration.payout_account_mappings.update(post_journal=True)
    account = stripe_server.account
    invoices = invoices_create(bc_client, {"#4001": Decimal("500.00"), "#4002": Decimal("300.00")}, tax_code="ZERO")
    order_links_create(integration, invoices)
    first = account.charge_create(amount=50000, fee=975, metadata={"order_name": "#4001"})
    second = account.charge_create(amount=30000, fee=600, metadata={"order_name": "#4002"})
    refund = account.refund_create(charge_id=first["id"], amount=10000)
    dispute = account.dispute_create(charge_id=second["id"], fee=1500)
    account.dispute_reverse(dispute=dispute, fee_refund=1500)
    account.refund_fail(refund_id=refund["id"])
    account.balance_transaction_create(type_="stripe_fx_fee", amount=-125)
    account.balance_transaction_create(type_="payout_minimum_balance_hold", amount=-2000)
    account.balance_transaction_create(type_="payout_minimum_balance_release", amount=1500)
    account.balance_transaction_create(type_="adjustment", amount=-300, category="other_adjustment")
    paid = account.payout_create()
    account.payout_fail(payout_id=paid["id"])  # the bank returned it after it was paid
    later = account.payout_create()  # sweeps the payout_failure
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )
    # the first payout, still paid when the product sees it
    account.payouts[paid["id"]]["status"] = "paid"
    _run(integration, bc_client, connection)

    staged = {payout.provider_payout_id: payout for payout in Payout.objects.all()}
    categories = {row.category for row in staged[paid["id"]].transactions.all()}
    assert categories == {
        Category.CHARGE,
        Category.REFUND,
        Category.DISPUTE,
        Category.DISPUTE_REVERSAL,
        Category.REFUND_FAILURE,
        Category.FX_FEE,
        Category.RESERVE,
        Category.ADJUSTMENT,
        Category.TRANSFER,
    }
    assert {row.category for row in staged[later["id"]].transactions.all()} == {
        Category.PAYOUT_REVERSAL,
        Category.TRANSFER,
    }
    assert not PayoutTransaction.objects.filter(error_code="PAY-004").exists()
    for payout in staged.values():
        report = payout_report(payout=payout)
        assert report.totals_ok and not report.unmatched and not report.unknown, payout
        assert report.clearing_residual == 0
        assert payout.booking_state == Payout.BookingState.POSTED
    assert _clearing_balance(bc_client) == Decimal("0")  # read back from BC's ledger


@pytest.mark.parametrize(
    ("automatic", "reconciliation"), [(True, "in_progress"), (False, "not_applicable")], ids=["unreconciled", "manual"]
)
def test_a_stripe_payout_is_booked_only_when_automatic_and_reconciled(
    integration, bc_client, stripe_server, automatic, reconciliation
):
    integration.payout_account_mappings.update(post_journal=True)
    account = stripe_server.account
    order_links_create(integration, invoices_create(bc_client, {"#4101": Decimal("100.00")}, tax_code="ZERO"))
    account.charge_create(amount=10000, fee=200, metadata={"order_name": "#4101"})
    payout = account.payout_create(automatic=automatic, reconciliation_status=reconciliation)
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )

    _run(integration, bc_client, connection)

    staged = Payout.objects.get(provider_payout_id=payout["id"])
    assert (staged.status, staged.booking_state, staged.transactions.count()) == ("paid", "new", 0)
    assert not [r for r in stripe_server.requests if r.startswith("GET /v1/balance_transactions")]

    if automatic:  # reconciliation completes: the next run books it
        account.payouts[payout["id"]]["reconciliation_status"] = "completed"
        _run(integration, bc_client, connection)
        staged.refresh_from_db()
        assert staged.booking_state == Payout.BookingState.POSTED
        assert _clearing_balance(bc_client) == Decimal("0")
