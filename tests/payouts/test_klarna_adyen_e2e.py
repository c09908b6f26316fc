"""A Klarna payout and an Adyen payout, each end to end: provider simulator -> payouts flow -> BC
simulator, posted, and the clearing account back at zero in BC's own ledger."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection as db_connection

from integrations.connectors.businesscentral import entities, odata
from integrations.models import Flow, PaymentProviderConnection
from simulators.adyen import AdyenSimulator
from simulators.klarna import KlarnaSimulator
from simulators.server import serve
from syncs.flows import payouts as payouts_flow
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.providers import provider_build
from syncs.payouts.reconciliation import payout_report
from tests.factories import IntegrationFactory, PaymentProviderConnectionFactory, SyncRunFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import (
    bc_client_for,
    general_journal_create,
    integration_for,
    invoices_create,
    order_links_create,
)

pytestmark = pytest.mark.django_db
Category = PayoutTransaction.Category
KLARNA_CLEARING = "1582"
ADYEN_CLEARING = "1583"


def _run(integration, bc_client, connection):
    clients = StaticClients(bc_client=bc_client, providers=[provider_build(connection=connection)])
    payouts_flow.payouts_run(SyncRunFactory(integration=integration, flow=Flow.PAYOUTS), clients=clients)


def _balance(client, account: str) -> Decimal:
    entries = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", account))
    return sum((e.debit_amount - e.credit_amount for e in entries), Decimal("0"))


def _setup(sim_bc, *, batch, provider, clearing, orders):
    integration = integration_for(sim_bc, batch=batch, provider=provider, clearing=clearing, post_payment_journal=True)
    client = bc_client_for(sim_bc, integration)
    general_journal_create(client, batch)
    order_links_create(integration, invoices_create(client, orders, tax_code="ZERO"))
    return integration, client


def test_a_klarna_payout_is_booked_posted_and_reconciled(sim_bc, settings):
    integration, client = _setup(
        sim_bc,
        batch="KLARNA",
        provider=PaymentProviderConnection.Provider.KLARNA,
        clearing=KLARNA_CLEARING,
        orders={"#8001": Decimal("1000.00"), "#8002": Decimal("400.00")},
    )
    sim = KlarnaSimulator()
    merchant = sim.merchant
    merchant.transaction("SALE", 100000, order_reference="#8001")
    merchant.transaction("SALE", 40000, order_reference="#8002")
    merchant.transaction("RETURN", 15000, order_reference="#8001")
    merchant.transaction("FEE", 2990, detailed_type="PURCHASE_FEE_PERCENTAGE")
    merchant.transaction("FEE_REFUND", 300, detailed_type="PURCHASE_FEE_PERCENTAGE_REFUND")
    merchant.transaction("TAX", 748)
    merchant.transaction("HOLDBACK", 5000, detailed_type="ROLLING_RESERVE")
    merchant.transaction("RELEASE", 2000)
    merchant.transaction("CORRECTION", -1200, detailed_type="CORRECTION_DISPUTE")
    payout = merchant.payout_create(payout_date="2026-11-25T06:00:00Z")
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.KLARNA,
        market="SE",
        username=KlarnaSimulator.USERNAME,
        api_key=KlarnaSimulator.PASSWORD,
        region="EU",
        environment="playground",
        currencies=["SEK"],
    )
    with serve(sim) as running:
        settings.KLARNA_API_ROOT = running.url
        integration.order_exclusion_date = None
        _run(integration, client, connection)

    staged = Payout.objects.get(provider="klarna")
    assert (staged.provider_payout_id, staged.amount) == (payout["payment_reference"], Decimal("1173.62"))
    assert {row.category for row in staged.transactions.all()} == {
        Category.CHARGE,
        Category.REFUND,
        Category.FEE,
        Category.FEE_REFUND,
        Category.RESERVE,
        Category.DISPUTE,
    }
    report = payout_report(payout=staged)
    assert (staged.last_error_code, [row.error_code for row in report.unmatched]) == ("", [])
    assert report.totals_ok and not report.unknown
    assert report.clearing_residual == 0 and staged.booking_state == Payout.BookingState.POSTED
    assert _balance(client, KLARNA_CLEARING) == 0
    invoices = {i.external_document_number: i.status for i in client.list_records(entities.SALES_INVOICES)}
    assert invoices["#8002"] == "Paid"


def test_an_adyen_payout_announced_by_webhook_is_booked_posted_and_reconciled(sim_bc, settings, client):
    integration, bc = _setup(
        sim_bc,
        batch="ADYEN",
        provider=PaymentProviderConnection.Provider.ADYEN,
        clearing=ADYEN_CLEARING,
        orders={"#9001": Decimal("250.00"), "#9002": Decimal("120.00"), "#9003": Decimal("80.00")},
    )
    sim = AdyenSimulator()
    account = sim.account("JunipeerSE")
    account.line("Settled", "250.00", merchant_reference="#9001", commission="3.75")
    account.line("Settled", "120.00", merchant_reference="#9002", commission="1.80")
    account.line("Settled", "80.00", merchant_reference="#9003", commission="1.20")
    account.line("Refunded", "50.00", merchant_reference="#9001", commission="0.25")
    account.line("Chargeback", "80.00", merchant_reference="#9003", commission="7.50")
    account.line("ChargebackReversed", "80.00", merchant_reference="#9003")
    account.line("Fee", "12.00")
    account.line("InvoiceDeduction", "5.00")
    account.line("DepositCorrection", "3.00")
    name = account.batch_close(paid_on="2026-11-25 06:00:00")
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.ADYEN,
        market="SE",
        account_id="JunipeerSE",
        username=AdyenSimulator.USERNAME,
        api_key=AdyenSimulator.PASSWORD,
        environment="test",
        webhook_hmac_key=AdyenSimulator.HMAC_KEY,
    )
    with serve(sim) as running:
        settings.ADYEN_REPORTS_ROOT = running.url
        envelope = sim.notification(merchant_account="JunipeerSE", file_name=name, root=running.url)
        hook = client.post(f"/hooks/adyen/{integration.pk}/", json.dumps(envelope), content_type="application/json")
        assert hook.status_code == 200
        _run(integration, bc, connection)
        probes = [r for r in sim.requests if "batch_2" in r]

    staged = Payout.objects.get(provider="adyen")
    assert (staged.provider_payout_id, staged.amount) == ("JunipeerSE-1", Decimal("365.50"))
    categories = {row.raw_type: row.category for row in staged.transactions.all()}
    assert categories["Chargeback"] == Category.DISPUTE
    assert categories["ChargebackReversed"] == Category.DISPUTE_REVERSAL
    assert categories["MerchantPayout"] == Category.TRANSFER
    report = payout_report(payout=staged)
    assert report.totals_ok and not report.unmatched and not report.unknown
    assert report.clearing_residual == 0 and staged.booking_state == Payout.BookingState.POSTED
    assert _balance(bc, ADYEN_CLEARING) == 0
    assert probes  # the next batch was tried (404: not closed yet)


def test_an_adyen_batch_without_a_notification_is_found_by_trying_the_next_batch(sim_bc, settings):
    integration, bc = _setup(
        sim_bc,
        batch="ADYEN",
        provider=PaymentProviderConnection.Provider.ADYEN,
        clearing=ADYEN_CLEARING,
        orders={"#9101": Decimal("99.00")},
    )
    sim = AdyenSimulator()
    sim.account().line("Settled", "99.00", merchant_reference="#9101", commission="1.49")
    sim.account().batch_close()
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.ADYEN,
        account_id="JunipeerSE",
        api_key=AdyenSimulator.API_KEY,
        environment="test",
        webhook_hmac_key=AdyenSimulator.HMAC_KEY,
    )
    with serve(sim) as running:
        settings.ADYEN_REPORTS_ROOT = running.url
        _run(integration, bc, connection)
        _run(integration, bc, connection)  # a second run starts after batch 1

    staged = Payout.objects.get(provider="adyen")
    assert staged.booking_state == Payout.BookingState.POSTED and _balance(bc, ADYEN_CLEARING) == 0
    assert sum(1 for r in sim.requests if r.endswith("batch_1.csv")) == 1


def test_klarna_and_adyen_credentials_are_encrypted_at_rest_per_market():
    integration = IntegrationFactory()
    made = [
        PaymentProviderConnectionFactory(
            integration=integration,
            provider=PaymentProviderConnection.Provider.KLARNA,
            market=market,
            username=f"K_{market}",
            api_key=f"klarna-password-{market}",
        )
        for market in ("SE", "NO")
    ]
    adyen = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.ADYEN,
        market="SE",
        account_id="JunipeerSE",
        api_key="adyen-report-password",
        webhook_hmac_key=AdyenSimulator.HMAC_KEY,
    )
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT api_key, webhook_hmac_key FROM integrations_paymentproviderconnection")
        stored = " ".join(value for row in cursor.fetchall() for value in row)
    for secret in ("klarna-password-SE", "klarna-password-NO", "adyen-report-password", AdyenSimulator.HMAC_KEY):
        assert secret not in stored
    assert [PaymentProviderConnection.objects.get(pk=c.pk).api_key.reveal() for c in made] == [
        "klarna-password-SE",
        "klarna-password-NO",
    ]
    assert PaymentProviderConnection.objects.get(pk=adyen.pk).webhook_hmac_key.reveal() == AdyenSimulator.HMAC_KEY
