"""EUR payouts into a SEK company, end to end: provider simulator -> payouts flow -> BC simulator,
booked in EUR (BC's currency code on every line), posted, and the clearing account back at exactly
zero in EUR and in SEK, read from BC's own G/L entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import BCError, entities, odata
from integrations.models import Flow, PaymentProviderConnection
from simulators.adyen import AdyenSimulator
from simulators.klarna import KlarnaSimulator
from simulators.server import serve
from simulators.stripe import StripeSimulator
from syncs.flows import payouts as payouts_flow
from syncs.models import Payout
from syncs.payouts.posting import tag_of
from syncs.payouts.providers import provider_build
from syncs.payouts.reconciliation import payout_report
from tests.factories import (
    PaymentProviderConnectionFactory,
    PayoutAccountMappingFactory,
    ShopConnectionFactory,
    SyncRunFactory,
)
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import (
    FEE_ACCOUNT,
    SHOPIFY_CLEARING,
    STRIPE_CLEARING,
    bc_client_for,
    general_journal_create,
    integration_for,
    invoices_create,
    order_links_create,
)

pytestmark = pytest.mark.django_db
EUR_CUSTOMER = "10010"  # the seed's German collective customer, in EUR
ROUNDING_ACCOUNT = "3740"
REALIZED_GAINS = "3960"
KLARNA_CLEARING = "1582"
ADYEN_CLEARING = "1583"
INVOICE_RATE = Decimal("11.45")  # the seed's EUR rate in force today
PAYOUT_RATE = Decimal("11.4873")  # a new rate from the payout's date


def _run(integration, bc_client, providers):
    payouts_flow.payouts_run(
        SyncRunFactory(integration=integration, flow=Flow.PAYOUTS),
        clients=StaticClients(bc_client=bc_client, providers=providers),
    )


def _eur_setup(sim_bc, *, batch, provider, clearing, bank, orders):
    integration = integration_for(
        sim_bc,
        batch=batch,
        provider=provider,
        clearing=clearing,
        post_payment_journal=True,
        rounding_gl_account=ROUNDING_ACCOUNT,
    )
    PayoutAccountMappingFactory(
        integration=integration,
        provider=provider,
        currency="EUR",
        clearing_account=clearing,
        fee_account=FEE_ACCOUNT,
        bank_account=bank,
    )
    client = bc_client_for(sim_bc, integration)
    general_journal_create(client, batch)
    invoices = invoices_create(client, orders, customer=EUR_CUSTOMER, tax_code="ZERO")
    assert {invoice.currency_code for invoice in invoices.values()} == {"EUR"}
    order_links_create(integration, invoices)
    return integration, client


def _new_rate(sim_bc, on: dt.date) -> None:
    """EUR moves between the invoices and the payout: a rate from the payout's date."""
    store = sim_bc.company("sandbox")
    currency = store.find("currencies", code="EUR")
    store.insert(
        "currencyExchangeRates",
        {"currencyCode": "EUR", "startingDate": on.isoformat(), "exchangeRateAmount": 1,
         "relationalCurrencyCode": "", "relationalExchangeRateAmount": float(PAYOUT_RATE),
         "_currencyId": currency["id"]},
    )  # fmt: skip


def _ledger(client, account: str) -> Decimal:
    """Debit minus credit in LCY, as API v2.0 reads BC's G/L entries."""
    entries = client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", account))
    return sum((e.debit_amount - e.credit_amount for e in entries), Decimal("0"))


def _ledger_in_currency(sim_bc, account: str, currency: str = "EUR") -> tuple[Decimal, list[str]]:
    """The sum of the entries booked in ``currency`` (BC's G/L Entry "Source Currency Code" / "Source
    Currency Amount", which API v2.0 does not show), read from the simulated BC's ledger itself, and
    the descriptions of the entries booked in another currency (LCY)."""
    entries = sim_bc.company("sandbox").filter("generalLedgerEntries", accountNumber=account)
    total = sum(
        (Decimal(str(e["_sourceCurrencyAmount"])) for e in entries if e.get("_sourceCurrencyCode") == currency),
        Decimal("0"),
    )
    others = [e["description"] for e in entries if e.get("_sourceCurrencyCode") != currency]
    return total, others


def _assert_reconciled_in_both_currencies(
    sim_bc, client, staged: Payout, clearing: str, *, fx_rounding: Decimal | None
):
    """``fx_rounding``: the LCY difference BC's per-line conversion leaves, booked to the rounding
    account (None: whatever it is, within the tolerance)."""
    assert (staged.booking_state, staged.last_error_code) == (Payout.BookingState.POSTED, "")
    assert _ledger(client, clearing) == 0  # LCY, from BC's G/L entries
    in_eur, in_lcy = _ledger_in_currency(sim_bc, clearing)
    assert in_eur == 0  # the payout's lines, booked in EUR, sum to zero in EUR
    assert all(text.endswith("[fx-rounding]") for text in in_lcy) and len(in_lcy) <= 1  # the only LCY line
    rounded = _ledger(client, ROUNDING_ACCOUNT)
    if fx_rounding is None:
        assert abs(rounded) <= Decimal("0.05") and bool(in_lcy) == bool(rounded)
    else:
        assert [text.endswith("[fx-rounding]") for text in in_lcy] == [True]
        assert rounded == fx_rounding  # BC's per-line conversion difference
    assert _ledger(client, REALIZED_GAINS) < 0  # the invoices closed at their own rate; EUR rose
    report = payout_report(payout=staged)
    assert report.from_ledger and report.clearing_residual == 0 and report.clearing_zero
    assert staged.clearing_ledger_balance == 0
    statuses = {i.external_document_number: i.status for i in client.list_records(entities.SALES_INVOICES)}
    return statuses


@pytest.fixture
def stripe_server(settings):
    sim = StripeSimulator()
    with serve(sim) as running:
        settings.STRIPE_API_BASE = running.url
        yield sim


def test_a_stripe_payout_in_eur_posts_and_reconciles_to_zero_in_eur_and_sek(sim_bc, stripe_server):
    integration, client = _eur_setup(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        bank="BANK2",  # the company's EUR bank account
        orders={"#7101": Decimal("94.02"), "#7102": Decimal("236.51")},
    )
    account = stripe_server.account
    first = account.charge_create(amount=9402, fee=361, currency="eur", metadata={"order_name": "#7101"})
    account.charge_create(amount=23651, fee=220, currency="eur", metadata={"order_name": "#7102"})
    account.refund_create(charge_id=first["id"], amount=758)
    payout = account.payout_create(currency="eur")
    _new_rate(sim_bc, dt.datetime.fromtimestamp(payout["arrival_date"], dt.UTC).date())
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.STRIPE,
        api_key=StripeSimulator.VALID_KEY,
        currencies=["SEK", "EUR"],
    )

    _run(integration, client, [provider_build(connection=connection)])

    staged = Payout.objects.get()
    assert (staged.currency.upper(), staged.amount) == ("EUR", Decimal("317.14"))
    statuses = _assert_reconciled_in_both_currencies(
        sim_bc, client, staged, STRIPE_CLEARING, fx_rounding=Decimal("0.01")
    )
    assert statuses["#7102"] == "Paid"
    in_eur, _ = _ledger_in_currency(sim_bc, "1940")
    assert in_eur == Decimal("317.14")  # the transfer reached the EUR bank account's G/L account in EUR

    _run(integration, client, [provider_build(connection=connection)])  # nothing twice
    assert _ledger(client, STRIPE_CLEARING) == 0 and _ledger(client, ROUNDING_ACCOUNT) == Decimal("0.01")


def test_a_shopify_payments_payout_in_eur_posts_and_reconciles_to_zero_in_eur_and_sek(
    sim_bc, shopify_client, shopify_sim
):
    integration, client = _eur_setup(
        sim_bc,
        batch="SHOPIFY",
        provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS,
        clearing=SHOPIFY_CLEARING,
        bank="BANK1",  # a bank account without a currency takes the line's EUR
        orders={"#7201": Decimal("180.00"), "#7202": Decimal("45.50")},
    )
    ShopConnectionFactory(integration=integration, shop_currency="SEK")
    today = sim_bc.company("sandbox").clock.today()
    payout = shopify_sim.payout_create_in_currency(
        [
            ("CHARGE", Decimal("180.00"), Decimal("4.10"), "#7201"),
            ("CHARGE", Decimal("45.50"), Decimal("1.52"), "#7202"),
            ("REFUND", Decimal("-20.00"), Decimal("0"), "#7201"),
        ],
        currency="EUR",
        issued_at=f"{today.isoformat()}T00:00:00Z",
    )
    _new_rate(sim_bc, today)
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS, currencies=["EUR"]
    )

    _run(integration, client, [provider_build(connection=connection, client=shopify_client)])

    staged = Payout.objects.get(provider_payout_id=payout["id"])
    assert (staged.currency.upper(), staged.amount) == ("EUR", Decimal("199.88"))
    statuses = _assert_reconciled_in_both_currencies(
        sim_bc, client, staged, SHOPIFY_CLEARING, fx_rounding=Decimal("-0.01")
    )
    assert statuses["#7202"] == "Paid"


def test_a_klarna_payout_in_eur_posts_and_reconciles_to_zero_in_eur_and_sek(sim_bc, settings):
    integration, client = _eur_setup(
        sim_bc,
        batch="KLARNA",
        provider=PaymentProviderConnection.Provider.KLARNA,
        clearing=KLARNA_CLEARING,
        bank="BANK2",
        orders={"#7401": Decimal("412.37"), "#7402": Decimal("88.80")},
    )
    sim = KlarnaSimulator()
    merchant = sim.merchant_add(username="K_DE", password="klarna-de", currency="EUR", purchase_country="DE")
    merchant.transaction("SALE", 41237, order_reference="#7401")
    merchant.transaction("SALE", 8880, order_reference="#7402")
    merchant.transaction("RETURN", 1999, order_reference="#7401")
    merchant.transaction("FEE", 1311, detailed_type="PURCHASE_FEE_PERCENTAGE")
    today = sim_bc.company("sandbox").clock.today()
    payout = merchant.payout_create(payout_date=f"{today.isoformat()}T00:00:00Z")
    _new_rate(sim_bc, today)
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.KLARNA,
        market="DE",
        username="K_DE",
        api_key="klarna-de",
        region="EU",
        environment="playground",
        currencies=["EUR"],
    )
    with serve(sim) as running:
        settings.KLARNA_API_ROOT = running.url
        integration.order_exclusion_date = None
        _run(integration, client, [provider_build(connection=connection)])

    staged = Payout.objects.get(provider_payout_id=payout["payment_reference"])
    assert (staged.currency.upper(), staged.amount) == ("EUR", Decimal("468.07"))
    statuses = _assert_reconciled_in_both_currencies(sim_bc, client, staged, KLARNA_CLEARING, fx_rounding=None)
    assert statuses["#7402"] == "Paid"


def test_an_adyen_batch_in_eur_posts_and_reconciles_to_zero_in_eur_and_sek(sim_bc, settings):
    integration, client = _eur_setup(
        sim_bc,
        batch="ADYEN",
        provider=PaymentProviderConnection.Provider.ADYEN,
        clearing=ADYEN_CLEARING,
        bank="BANK2",
        orders={"#7501": Decimal("129.95"), "#7502": Decimal("74.10")},
    )
    sim = AdyenSimulator()
    account = sim.account("JunipeerDE")
    account.currency = "EUR"
    account.line("Settled", "129.95", merchant_reference="#7501", commission="2.27")
    account.line("Settled", "74.10", merchant_reference="#7502", commission="1.41")
    account.line("Refunded", "15.00", merchant_reference="#7501", commission="0.13")
    account.line("Fee", "3.33")
    today = sim_bc.company("sandbox").clock.today()
    account.batch_close(paid_on=f"{today.isoformat()} 00:00:00")
    _new_rate(sim_bc, today)
    connection = PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.ADYEN,
        market="DE",
        account_id="JunipeerDE",
        api_key=AdyenSimulator.API_KEY,
        environment="test",
        webhook_hmac_key=AdyenSimulator.HMAC_KEY,
        currencies=["EUR"],
    )
    with serve(sim) as running:
        settings.ADYEN_REPORTS_ROOT = running.url
        _run(integration, client, [provider_build(connection=connection)])

    staged = Payout.objects.get(provider="adyen")
    assert (staged.currency.upper(), staged.amount) == ("EUR", Decimal("181.91"))
    statuses = _assert_reconciled_in_both_currencies(sim_bc, client, staged, ADYEN_CLEARING, fx_rounding=None)
    assert statuses["#7502"] == "Paid"


def test_without_the_general_journal_web_service_a_eur_payout_stops_with_pay_007(sim_bc, stripe_server):
    integration, client = _eur_setup(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        bank="BANK2",
        orders={"#7301": Decimal("50.00")},
    )
    sim_bc.company("sandbox").unpublish_odatav4_pages("GeneralJournal")
    stripe_server.account.charge_create(amount=5000, fee=150, currency="eur", metadata={"order_name": "#7301"})
    stripe_server.account.payout_create(currency="eur")
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )

    _run(integration, client, [provider_build(connection=connection)])

    staged = Payout.objects.get()
    assert staged.last_error_code == "PAY-007" and staged.booking_state != Payout.BookingState.POSTED
    assert "GeneralJournal" in staged.last_error_message and "EUR" in staged.last_error_message
    assert "fees" not in staged.booked_lines and "transfer" not in staged.booked_lines  # they wait for the fix


def test_eur_lines_written_through_the_page_are_found_again_and_never_written_twice(sim_bc, stripe_server):
    integration, client = _eur_setup(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        bank="BANK2",
        orders={"#7601": Decimal("120.00")},
    )
    # The accountant posts: lines stay in the journals (posting is the payout configuration's switch).
    integration.payout_account_mappings.update(post_journal=False)
    charge = stripe_server.account.charge_create(
        amount=12000, fee=300, currency="eur", metadata={"order_name": "#7601"}
    )
    stripe_server.account.refund_create(charge_id=charge["id"], amount=2000)
    stripe_server.account.payout_create(currency="eur")
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )
    page = sim_bc.company("sandbox")

    _run(integration, client, [provider_build(connection=connection)])
    staged = Payout.objects.get()
    staged.booked_lines = {}  # as if every acknowledgement had been lost
    staged.booking_state = Payout.BookingState.PARTIAL
    staged.save()
    _run(integration, client, [provider_build(connection=connection)])

    lines = page.rows("journalLines")
    tags = sorted(tag_of(line["description"]) for line in lines)
    assert len(tags) == 3 and {"fees", "transfer"} <= set(tags)  # and the refund: each once
    assert {line["_currencyCode"] for line in lines} == {"EUR"}
    assert len(page.rows("customerPayments")) == 1
    assert Payout.objects.get().booking_state == Payout.BookingState.BOOKED


def test_an_invoice_in_another_currency_than_its_customer_is_not_paid_so_the_journal_still_posts(sim_bc, stripe_server):
    # A SEK invoice of the EUR customer (shop-currency invoicing of a German order): BC would book the
    # payment in the customer's EUR and refuse to post the whole journal ("All entries in one
    # application must be in the same currency.").
    integration, client = _eur_setup(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        bank="BANK2",
        orders={"#7701": Decimal("50.00")},
    )
    sek = invoices_create(
        client, {"#7702": Decimal("300.00")}, customer=EUR_CUSTOMER, tax_code="ZERO", currency_code=""
    )
    order_links_create(integration, sek)
    stripe_server.account.charge_create(amount=5000, fee=150, currency="eur", metadata={"order_name": "#7701"})
    stripe_server.account.charge_create(amount=30000, fee=900, currency="sek", metadata={"order_name": "#7702"})
    stripe_server.account.payout_create(currency="sek")
    stripe_server.account.payout_create(currency="eur")
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )

    _run(integration, client, [provider_build(connection=connection)])

    sek_payout = Payout.objects.get(currency__iexact="SEK")
    [charge] = sek_payout.transactions.filter(raw_type="charge")
    assert charge.error_code == "PAY-014" and EUR_CUSTOMER in charge.error_message
    assert sek_payout.booking_state != Payout.BookingState.POSTED
    eur_payout = Payout.objects.get(currency__iexact="EUR")
    assert eur_payout.booking_state == Payout.BookingState.POSTED  # the journal posted: nothing blocked it
    statuses = {i.external_document_number: i.status for i in client.list_records(entities.SALES_INVOICES)}
    assert (statuses["#7701"], statuses["#7702"]) == ("Paid", "Open")


class _SecondGeneralPostFails:
    """The product's BC client, except that posting the general journal fails once, the second time
    (the rounding line's own posting): BC was unavailable at that moment."""

    def __init__(self, client, general_id: str) -> None:
        self._client, self._general_id, self._posts = client, general_id, 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def post_journal(self, journal_id: str) -> None:
        if journal_id == self._general_id:
            self._posts += 1
            if self._posts == 2:
                raise BCError("Business Central is busy.", code="Internal_ServerError", status=500)
        self._client.post_journal(journal_id)


def test_a_rounding_line_left_unposted_is_posted_by_the_next_run_and_never_written_twice(sim_bc, stripe_server):
    integration, client = _eur_setup(
        sim_bc,
        batch="STRIPE",
        provider=PaymentProviderConnection.Provider.STRIPE,
        clearing=STRIPE_CLEARING,
        bank="BANK2",
        orders={"#7801": Decimal("94.02"), "#7802": Decimal("236.51")},
    )
    account = stripe_server.account
    first = account.charge_create(amount=9402, fee=361, currency="eur", metadata={"order_name": "#7801"})
    account.charge_create(amount=23651, fee=220, currency="eur", metadata={"order_name": "#7802"})
    account.refund_create(charge_id=first["id"], amount=758)
    payout = account.payout_create(currency="eur")
    _new_rate(sim_bc, dt.datetime.fromtimestamp(payout["arrival_date"], dt.UTC).date())
    connection = PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.STRIPE, api_key=StripeSimulator.VALID_KEY
    )
    general = client.list_records(entities.JOURNALS, filter=odata.eq("code", "STRIPE"))[0]

    _run(integration, _SecondGeneralPostFails(client, general.id), [provider_build(connection=connection)])
    staged = Payout.objects.get()
    assert staged.booking_state == Payout.BookingState.PARTIAL and "fx-rounding" in staged.booked_lines
    assert _ledger(client, STRIPE_CLEARING) == Decimal("0.01")  # the rounding line waits in the journal

    _run(integration, client, [provider_build(connection=connection)])

    staged = Payout.objects.get()
    _assert_reconciled_in_both_currencies(sim_bc, client, staged, STRIPE_CLEARING, fx_rounding=Decimal("0.01"))
