"""The zero check reads the clearing account back from BC's ledger after posting, not the product's
own sums: an entry BC holds that the product never planned shows up in the check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.models import Flow, PaymentProviderConnection
from simulators.businesscentral.ledger import post_gl
from simulators.server import serve
from simulators.stripe import StripeSimulator
from syncs.flows import payouts as payouts_flow
from syncs.models import Payout
from syncs.payouts.providers import provider_build
from syncs.payouts.reconciliation import payout_report
from tests.factories import PaymentProviderConnectionFactory, PayoutAccountMappingFactory, SyncRunFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import (
    FEE_ACCOUNT,
    STRIPE_CLEARING,
    bc_client_for,
    general_journal_create,
    integration_for,
    invoices_create,
    order_links_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_server(settings):
    sim = StripeSimulator()
    with serve(sim) as running:
        settings.STRIPE_API_BASE = running.url
        yield sim


def _posted_integration(sim_bc, **fields):
    integration = integration_for(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        post_payment_journal=True,
        **fields,
    )
    client = bc_client_for(sim_bc, integration)
    general_journal_create(client, "STRIPE")
    return integration, client


def _run(integration, client):
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.STRIPE,
        api_key=StripeSimulator.VALID_KEY,
        currencies=["SEK", "EUR"],
    )
    payouts_flow.payouts_run(
        SyncRunFactory(integration=integration, flow=Flow.PAYOUTS),
        clients=StaticClients(bc_client=client, providers=[provider_build(connection=connection)]),
    )


def _stray_entry(sim_bc, *, payout: dict, amount: Decimal) -> None:
    """An entry on the clearing account, on the payout's date, naming the payout and its fee line: BC
    holds it, the product never wrote it (an accountant's correction, a line posted twice)."""
    store = sim_bc.company("sandbox")
    posting_date = dt.datetime.fromtimestamp(payout["arrival_date"], dt.UTC).date()
    post_gl(
        store,
        posting_date=posting_date,
        document_number="MANUAL-1",
        document_type=" ",
        description=f"Stripe {payout['id']} fees [fees]",
        movements=[(STRIPE_CLEARING, amount), (FEE_ACCOUNT, -amount)],
    )


def test_the_zero_check_is_what_bc_posted_not_the_products_own_sums(sim_bc, stripe_server):
    integration, client = _posted_integration(sim_bc)
    order_links_create(integration, invoices_create(client, {"#6101": Decimal("200.00")}, tax_code="ZERO"))
    stripe_server.account.charge_create(amount=20000, fee=610, metadata={"order_name": "#6101"})
    payout = stripe_server.account.payout_create()
    _stray_entry(sim_bc, payout=payout, amount=Decimal("1.00"))

    _run(integration, client)

    staged = Payout.objects.get()
    report = payout_report(payout=staged)
    assert report.clearing_movement == 0  # the product's own lines add up ...
    assert staged.clearing_ledger_balance == Decimal("1.00")  # ... but BC's ledger holds 1.00 more
    assert report.from_ledger and report.clearing_residual == Decimal("1.00") and not report.clearing_zero
    assert staged.booking_state == Payout.BookingState.POSTED  # nothing left for the product to write
    assert staged.last_error_code == "PAY-005" and "1.00" in staged.last_error_message
    assert STRIPE_CLEARING in report.clearing_error


def test_a_clean_posting_reads_zero_back_from_bc(sim_bc, stripe_server):
    integration, client = _posted_integration(sim_bc)
    order_links_create(integration, invoices_create(client, {"#6201": Decimal("80.00")}, tax_code="ZERO"))
    stripe_server.account.charge_create(amount=8000, fee=250, metadata={"order_name": "#6201"})
    stripe_server.account.payout_create()

    _run(integration, client)

    staged = Payout.objects.get()
    assert (staged.clearing_ledger_balance, staged.last_error_code) == (Decimal("0.00"), "")
    assert staged.clearing_ledger_checked_at is not None and payout_report(payout=staged).from_ledger


def test_a_conversion_difference_beyond_the_tolerance_is_not_booked_to_the_rounding_account(sim_bc, stripe_server):
    integration, client = _posted_integration(sim_bc, rounding_gl_account="3740")
    PayoutAccountMappingFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.STRIPE,
        currency="EUR",
        clearing_account=STRIPE_CLEARING,
        fee_account=FEE_ACCOUNT,
        bank_account="BANK2",
    )
    invoices = invoices_create(client, {"#6301": Decimal("60.00")}, customer="10010", tax_code="ZERO")
    order_links_create(integration, invoices)
    stripe_server.account.charge_create(amount=6000, fee=180, currency="eur", metadata={"order_name": "#6301"})
    payout = stripe_server.account.payout_create(currency="eur")
    _stray_entry(sim_bc, payout=payout, amount=Decimal("0.50"))  # far more than BC's rounding

    _run(integration, client)

    staged = Payout.objects.get()
    assert "fx-rounding" not in staged.booked_lines  # the tolerance (0.05 SEK) keeps real differences out
    assert staged.clearing_ledger_balance == Decimal("0.50")
    assert staged.last_error_code == "PAY-005"
