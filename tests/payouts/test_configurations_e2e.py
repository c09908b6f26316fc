"""Payout configurations end to end: a payout is booked with its provider's configuration for its market
and currency (batch, clearing, disputes account, posting), disputes land on the disputes account and the
clearing account is back at zero in BC's own ledger; a payout no configuration matches is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities, odata
from integrations.models import PaymentProviderConnection
from simulators.klarna import KlarnaSimulator
from simulators.server import serve
from syncs.models import Payout
from tests.factories import PaymentProviderConnectionFactory, PayoutAccountMappingFactory
from tests.payouts.conftest import FEE_ACCOUNT, general_journal_create
from tests.payouts.test_klarna_adyen_e2e import _balance, _run, _setup

pytestmark = pytest.mark.django_db
KLARNA = PaymentProviderConnection.Provider.KLARNA
KLARNA_CLEARING = "1582"
STRIPE_CLEARING = "1580"
DISPUTES_ACCOUNT = "6570"


def _klarna_connection(integration, market: str):
    return PaymentProviderConnectionFactory(
        integration=integration,
        provider=KLARNA,
        market=market,
        username=KlarnaSimulator.USERNAME,
        api_key=KlarnaSimulator.PASSWORD,
        region="EU",
        environment="playground",
        currencies=["SEK"],
    )


def test_the_market_picks_the_configuration_and_disputes_go_to_their_account(sim_bc, settings):
    integration, client = _setup(
        sim_bc, batch="KLARNA", provider=KLARNA, clearing=KLARNA_CLEARING, orders={"#8101": Decimal("500.00")}
    )
    # The SE configuration books to KLARNA/1582 with its own disputes account; another market's books
    # to STRIPE/1580 and must not be touched.
    integration.payout_account_mappings.update(market="SE", disputes_account=DISPUTES_ACCOUNT)
    general_journal_create(client, "STRIPE")
    PayoutAccountMappingFactory(
        integration=integration, provider=KLARNA, market="NO", currency="SEK", journal_template="CASHRCPT",
        journal_batch="STRIPE", clearing_account=STRIPE_CLEARING, fee_account=FEE_ACCOUNT, bank_account="BANK1",
    )  # fmt: skip
    sim = KlarnaSimulator()
    sim.merchant.transaction("SALE", 50000, order_reference="#8101")
    sim.merchant.transaction("REVERSAL", 12000, order_reference="#8101")  # a dispute: money taken back
    sim.merchant.transaction("FEE", 1500, detailed_type="PURCHASE_FEE_PERCENTAGE")
    sim.merchant.payout_create(payout_date="2026-11-25T06:00:00Z")
    connection = _klarna_connection(integration, "SE")
    disputes_before = _balance(client, DISPUTES_ACCOUNT)
    with serve(sim) as running:
        settings.KLARNA_API_ROOT = running.url
        _run(integration, client, connection)

    payout = Payout.objects.get(provider="klarna")
    assert (payout.market, payout.last_error_code, payout.booking_state) == ("SE", "", Payout.BookingState.POSTED)
    assert _balance(client, KLARNA_CLEARING) == 0
    assert _balance(client, STRIPE_CLEARING) == 0 and not client.list_records(
        entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", STRIPE_CLEARING)
    )
    # The dispute (120.00 taken back) is an expense on the disputes account, not on the fee account.
    assert _balance(client, DISPUTES_ACCOUNT) - disputes_before == Decimal("120.00")
    fee_lines = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", FEE_ACCOUNT))
    assert sum((e.debit_amount - e.credit_amount for e in fee_lines), Decimal("0")) == Decimal("15.00")


def test_a_payout_no_configuration_matches_fails_with_its_code_and_writes_nothing(sim_bc, settings):
    integration, client = _setup(
        sim_bc, batch="KLARNA", provider=KLARNA, clearing=KLARNA_CLEARING, orders={"#8201": Decimal("100.00")}
    )
    integration.payout_account_mappings.update(market="SE")
    sim = KlarnaSimulator()
    sim.merchant.transaction("SALE", 10000, order_reference="#8201")
    sim.merchant.payout_create(payout_date="2026-11-25T06:00:00Z")
    connection = _klarna_connection(integration, "FI")
    with serve(sim) as running:
        settings.KLARNA_API_ROOT = running.url
        _run(integration, client, connection)

    payout = Payout.objects.get(provider="klarna")
    assert (payout.market, payout.booking_state, payout.last_error_code) == (
        "FI",
        Payout.BookingState.FAILED,
        "PAY-013",
    )
    assert "Klarna FI in SEK" in payout.last_error_message
    assert payout.booked_lines == {}
    assert client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", KLARNA_CLEARING)) == []
