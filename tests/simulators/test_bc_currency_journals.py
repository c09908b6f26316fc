"""The BC simulator's journal lines in a foreign currency: the General Journal page (39) over ODataV4,
customer payments in the customer's currency, conversion at the posting date's rate, realized
gains on application, and G/L entries that keep their transaction currency (docs/vendor-contracts.md,
"payouts in a foreign currency")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.simulators.conftest import error_of

EUR_RATE = Decimal("11.45")  # the seed's rate in force today


def _page(bc, bc_server) -> str:
    return f"{bc_server.environment_url()}/ODataV4/Company('CRONUS Sverige AB')/GeneralJournal"


def _general_batch(bc) -> dict:
    return bc.get("journals?$filter=code eq 'GENERAL'").json()["value"][0]


def _entries(bc, account: str) -> list[dict]:
    return bc.get(f"generalLedgerEntries?$filter=accountNumber eq '{account}'").json()["value"]


def _line(**fields) -> dict:
    return {
        "Journal_Template_Name": "GENERAL",
        "Journal_Batch_Name": "GENERAL",
        "Account_Type": "G_x002F_L_x0020_Account",
        "Account_No": "6064",
        "Description": "fees",
        "Currency_Code": "EUR",
        "Amount": 10.75,
        "Bal_Account_Type": "G_x002F_L_x0020_Account",
        "Bal_Account_No": "1580",
        **fields,
    }


def test_a_general_journal_line_in_eur_posts_at_the_posting_dates_rate_and_keeps_its_currency(bc, bc_server):
    created = bc.post(_page(bc, bc_server), json=_line())
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["Currency_Code"], row["Amount"], row["Line_No"]) == ("EUR", 10.75, 10000)
    listed = bc.get(f"{_page(bc, bc_server)}?$filter=Currency_Code eq 'EUR'").json()["value"]
    assert [r["Description"] for r in listed] == ["fees"]
    api_line = bc.get(f"journals({_general_batch(bc)['id']})/journalLines").json()["value"][0]
    assert "currencyCode" not in api_line and api_line["amount"] == 10.75  # API v2.0 shows no currency

    assert bc.post(f"journals({_general_batch(bc)['id']})/Microsoft.NAV.post").status_code == 204

    expected = float((Decimal("10.75") * EUR_RATE).quantize(Decimal("0.01")))  # 123.09 SEK
    [fee] = _entries(bc, "6064")
    [clearing] = _entries(bc, "1580")
    assert (fee["debitAmount"], clearing["creditAmount"]) == (expected, expected)
    stored = bc.sim.company().filter("generalLedgerEntries", accountNumber="1580")[0]
    assert (stored["_sourceCurrencyCode"], stored["_sourceCurrencyAmount"]) == ("EUR", -10.75)


def test_the_general_journal_page_refuses_an_unknown_currency_or_batch_and_can_be_unpublished(bc, bc_server):
    unknown = bc.post(_page(bc, bc_server), json=_line(Currency_Code="XYZ"))
    assert unknown.status_code == 400 and "(XYZ)" in error_of(unknown)[1]
    missing = bc.post(_page(bc, bc_server), json=_line(Journal_Batch_Name="NOPE"))
    assert "Gen. Journal Batch does not exist" in error_of(missing)[1]
    bc.sim.company().unpublish_odatav4_pages("GeneralJournal")
    assert bc.post(_page(bc, bc_server), json=_line()).status_code == 404


def test_a_customer_payment_is_in_the_customers_currency_and_closes_the_invoice_at_its_own_rate(bc):
    invoice = bc.post(
        "salesInvoices",
        json={
            "customerNumber": "10010",  # EUR
            "salesInvoiceLines": [
                {"lineType": "Account", "lineObjectNumber": "3001", "quantity": 1, "unitPrice": 100, "taxCode": "ZERO"}
            ],
        },
    ).json()
    assert invoice["currencyCode"] == "EUR"
    assert bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post").status_code == 204
    store = bc.sim.company()
    [receivable] = store.filter("generalLedgerEntries", accountNumber="1510")
    assert (receivable["debitAmount"], receivable["_sourceCurrencyCode"], receivable["_sourceCurrencyAmount"]) == (
        1145.0,
        "EUR",
        100.0,
    )  # the invoice in LCY at its date's rate, and in its own currency
    later = store.clock.today() + dt.timedelta(days=1)
    currency = store.find("currencies", code="EUR")
    store.insert(
        "currencyExchangeRates",
        {"currencyCode": "EUR", "startingDate": later.isoformat(), "exchangeRateAmount": 1,
         "relationalCurrencyCode": "", "relationalExchangeRateAmount": 11.60, "_currencyId": currency["id"]},
    )  # fmt: skip
    journal = bc.get("customerPaymentJournals?$filter=code eq 'STRIPE'").json()["value"][0]
    payment = bc.post(
        f"customerPaymentJournals({journal['id']})/customerPayments",
        json={"postingDate": later.isoformat(), "amount": -100, "appliesToInvoiceId": invoice["id"]},
    )
    assert payment.status_code == 201 and "currencyCode" not in payment.json()

    assert bc.post(f"journals({journal['id']})/Microsoft.NAV.post").status_code == 204

    assert bc.get(f"salesInvoices({invoice['id']})").json()["status"] == "Paid"
    [clearing] = _entries(bc, "1580")
    assert clearing["debitAmount"] == 1160.0  # the payment at its own date's rate
    [gain] = _entries(bc, "3960")
    assert gain["creditAmount"] == 15.0  # 100 EUR closed at 11.45, received at 11.60
    stored = store.filter("generalLedgerEntries", accountNumber="1580")[0]
    assert (stored["_sourceCurrencyCode"], stored["_sourceCurrencyAmount"]) == ("EUR", 100.0)
