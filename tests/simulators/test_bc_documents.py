"""Sales documents: deep insert with VAT, setup errors with BC's exact messages, posting,
orders, credit memos and payments, over real HTTP."""

from __future__ import annotations

import datetime as dt

from tests.simulators.conftest import error_of


def _invoice(bc, customer="10000", lines=None, **header):
    lines = lines if lines is not None else [{"lineType": "Item", "lineObjectNumber": "1000", "quantity": 3}]
    return bc.post("salesInvoices", json={"customerNumber": customer, "externalDocumentNumber": "SHOP-1001",
                                          **header, "salesInvoiceLines": lines})  # fmt: skip


def _gl(bc, document_number):
    rows = bc.get(f"generalLedgerEntries?$filter=documentNumber eq '{document_number}'").json()["value"]
    return {(r["accountNumber"], r["debitAmount"], r["creditAmount"]) for r in rows}


def test_deep_insert_computes_line_vat_and_totals(bc):
    response = _invoice(bc, lines=[
        {"lineType": "Item", "lineObjectNumber": "1000", "quantity": 3},  # 149 SEK, STANDARD 25 %
        {"lineType": "Item", "lineObjectNumber": "1002", "quantity": 1, "unitPrice": 250},  # book, LOW 6 %
        {"lineType": "Account", "lineObjectNumber": "3540", "quantity": 1, "unitPrice": 49, "description": "Frakt"},
    ])  # fmt: skip
    assert response.status_code == 201
    invoice = response.json()
    assert invoice["status"] == "Draft" and invoice["number"] == "10200021"
    assert "salesInvoiceLines" not in invoice
    assert (invoice["totalAmountExcludingTax"], invoice["totalTaxAmount"], invoice["totalAmountIncludingTax"]) == (
        746.0, 139.0, 885.0,  # 447 + 250 + 49; VAT 111.75 + 15 + 12.25
    )  # fmt: skip
    lines = bc.get(f"salesInvoices({invoice['id']})/salesInvoiceLines").json()["value"]
    assert [(line["sequence"], line["taxCode"], line["taxPercent"], line["amountIncludingTax"]) for line in lines] == [
        (10000, "STANDARD", 25.0, 558.75), (20000, "LOW", 6.0, 265.0), (30000, "STANDARD", 25.0, 61.25),
    ]  # fmt: skip


def test_prices_including_vat_on_orders_and_oss_rates(bc):
    order = bc.post("salesOrders", json={"customerNumber": "10010", "pricesIncludeTax": True, "salesOrderLines": [
        {"lineObjectNumber": "1000", "quantity": 1, "unitPrice": 11.9}]}).json()  # fmt: skip
    assert order["currencyCode"] == "EUR"
    assert (order["totalAmountExcludingTax"], order["totalTaxAmount"], order["totalAmountIncludingTax"]) == (
        10.0, 1.9, 11.9,  # OSS-DE 19 %
    )  # fmt: skip


def test_missing_vat_posting_setup_fails_line_insert_and_posting(bc):
    # Seeded gap: EXPORT x LOW. The whole deep insert is undone.
    response = _invoice(bc, customer="10060", lines=[{"lineObjectNumber": "1002", "quantity": 1}])
    assert response.status_code == 404
    assert error_of(response) == (
        "Internal_RecordNotFound",
        "The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EXPORT',VAT Prod. Posting Group='LOW'",
    )
    assert bc.get("salesInvoices?$filter=customerNumber eq '10060'").json()["value"] == []
    invoice = _invoice(bc).json()
    bc.sim.company().remove_vat_posting_setup("DOMESTIC", "STANDARD")
    posted = bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post")
    assert posted.status_code == 404
    assert "VAT Bus. Posting Group='DOMESTIC',VAT Prod. Posting Group='STANDARD'" in error_of(posted)[1]
    assert bc.get(f"salesInvoices({invoice['id']})").json()["status"] == "Draft"


def test_blocked_vat_setup_customer_and_item(bc):
    company = bc.sim.company()
    company.block_vat_posting_setup("EU", "STANDARD")
    blocked_setup = _invoice(bc, customer="20010")
    assert error_of(blocked_setup) == (
        "Application_DialogException",
        "Setup is blocked in VAT Posting Setup for VAT Bus. Posting Group EU and VAT Prod. Posting Group STANDARD.",
    )
    blocked_customer = _invoice(bc, customer="20030")
    assert error_of(blocked_customer) == (
        "Application_DialogException",
        "You cannot create this type of document when Customer 20030 is blocked with type All",
    )
    blocked_item = _invoice(bc, lines=[{"lineObjectNumber": "1009", "quantity": 1}])
    assert error_of(blocked_item) == (
        "Application_FieldValidationException",
        "Blocked must be equal to 'No'  in Item: No.=1009. Current value is 'Yes'.",
    )
    invoice = _invoice(bc, customer="20000").json()
    company.block_customer("20000", "Invoice")
    posted = bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post")
    assert (
        error_of(posted)[1] == "You cannot post this type of document when Customer 20000 is blocked with type Invoice"
    )


def test_number_series_exhausted_manual_and_ahead(bc):
    company = bc.sim.company()
    # number is read-only on the API page (APIV2SalesInvoices: Editable = false), Manual Nos. or not.
    for manual_nos in (False, True):
        company.number_series["S-INV"].manual_nos = manual_nos
        manual = _invoice(bc, number="SHOP-1001")
        assert manual.status_code == 400
        assert error_of(manual) == ("BadRequest_InvalidOperation", "Control 'number' is read-only.")
    ahead = company.add_record_ahead_of_series("S-INV", ahead=1)
    assert ahead == "10200021"
    collision = _invoice(bc)
    assert error_of(collision)[0] == "Internal_EntityWithSameKeyExists"
    company.exhaust_number_series("S-INV")
    exhausted = _invoice(bc)
    assert error_of(exhausted) == (
        "Application_DialogException", "You cannot assign new numbers from the number series S-INV.",
    )  # fmt: skip


def test_currency_and_exchange_rate_errors(bc):
    unknown = _invoice(bc, currencyCode="GBP")
    assert error_of(unknown) == ("Application_DialogException", 'The "currencyCode" does not match to a Currency.')
    company = bc.sim.company()
    company.set_exchange_rates_start("EUR", dt.date(2025, 2, 1))
    missing = _invoice(bc, customer="10010", invoiceDate="2025-01-15")
    assert missing.status_code == 400
    assert error_of(missing) == (
        "Internal_DataNotFoundFilter",
        "There is no Currency Exchange Rate within the filter.  "
        "Filters: Currency Code: EUR, Starting Date: ''..01/15/25",
    )
    assert _invoice(bc, customer="10010", invoiceDate="2025-02-01").status_code == 201
    company.remove_currency("EUR")
    assert error_of(_invoice(bc, currencyCode="EUR"))[1] == 'The "currencyCode" does not match to a Currency.'


def test_posting_keeps_id_moves_number_and_books_gl(bc):
    stock_before = bc.get("items?$filter=number eq '1000'").json()["value"][0]["inventory"]
    invoice = _invoice(bc).json()  # 3 x 149 = 447 + 111.75 VAT
    assert bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post").status_code == 204
    posted = bc.get(f"salesInvoices({invoice['id']})").json()
    assert (posted["number"], posted["status"], posted["remainingAmount"]) == ("10300016", "Open", 558.75)
    assert _gl(bc, "10300016") == {("1510", 558.75, 0), ("3001", 0, 447.0), ("2611", 0, 111.75)}
    assert bc.get("items?$filter=number eq '1000'").json()["value"][0]["inventory"] == stock_before - 3
    customer = bc.get("customers?$filter=number eq '10000'").json()["value"][0]
    assert customer["balanceDue"] == 558.75
    again = bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post")
    assert error_of(again) == ("Application_DialogException", "The action can be applied to a draft invoice only.")
    empty = bc.post("salesInvoices", json={"customerNumber": "10000"}).json()
    nothing = bc.post(f"salesInvoices({empty['id']})/Microsoft.NAV.post")
    assert error_of(nothing)[1] == "There is nothing to post."


def test_foreign_currency_invoice_posts_in_lcy(bc):
    invoice = _invoice(bc, customer="10010", lines=[{"lineObjectNumber": "1000", "quantity": 1, "unitPrice": 100}])
    bc.post(f"salesInvoices({invoice.json()['id']})/Microsoft.NAV.post")
    # 100 EUR + 19 % at 11.45 SEK/EUR
    assert _gl(bc, "10300016") == {("1510", 1362.55, 0), ("3106", 0, 1145.0), ("2614", 0, 217.55)}


def test_ship_and_invoice_creates_posted_invoice(bc):
    order = bc.post("salesOrders", json={"customerNumber": "20000", "salesOrderLines": [
        {"lineObjectNumber": "1001", "quantity": 2}]}).json()  # fmt: skip
    assert order["number"] == "10100006"
    assert bc.post(f"salesOrders({order['id']})/Microsoft.NAV.shipAndInvoice").status_code == 204
    invoices = bc.get(f"salesInvoices?$filter=orderNumber eq '{order['number']}'").json()["value"]
    assert len(invoices) == 1
    assert (invoices[0]["orderId"], invoices[0]["status"], invoices[0]["totalAmountIncludingTax"]) == (
        order["id"], "Open", 222.5,
    )  # fmt: skip
    assert bc.get(f"salesOrders({order['id']})").status_code == 404


def test_credit_memo_applies_to_invoice_and_payment_makes_it_paid(bc):
    invoice = _invoice(bc).json()
    bc.post(f"salesInvoices({invoice['id']})/Microsoft.NAV.post")
    memo = bc.post("salesCreditMemos", json={"customerNumber": "10000", "invoiceId": invoice["id"],
        "salesCreditMemoLines": [{"lineObjectNumber": "1000", "quantity": 1}]}).json()  # fmt: skip
    assert memo["invoiceNumber"] == "10300016"
    assert bc.post(f"salesCreditMemos({memo['id']})/Microsoft.NAV.post").status_code == 204
    assert bc.get(f"salesCreditMemos({memo['id']})").json()["number"] == "10900002"
    assert bc.get(f"salesInvoices({invoice['id']})").json()["remainingAmount"] == 558.75 - 186.25

    journal = bc.get("customerPaymentJournals?$filter=code eq 'STRIPE'").json()["value"][0]
    payments = f"customerPaymentJournals({journal['id']})/customerPayments"
    wrong_sign = bc.post(payments, json={"appliesToInvoiceNumber": "10300016", "amount": 372.5})
    assert bc.post(f"journals({journal['id']})/Microsoft.NAV.post").status_code == 400
    assert error_of(bc.post(f"journals({journal['id']})/Microsoft.NAV.post")) == (
        "Application_FieldValidationException",
        "Amount must be negative in Gen. Journal Line Journal Template Name='CASHRCPT',Journal Batch Name='STRIPE',"
        "Line No.='10000'.",
    )
    fixed = {"amount": -372.5, "externalDocumentNumber": "po_123"}
    payment = bc.patch(f"{payments}({wrong_sign.json()['id']})", json=fixed, headers={"If-Match": "*"}).json()
    assert (payment["customerNumber"], payment["appliesToInvoiceId"], payment["documentNumber"]) == (
        "10000", invoice["id"], "G02011",
    )  # fmt: skip
    assert bc.post(f"journals({journal['id']})/Microsoft.NAV.post").status_code == 204
    paid = bc.get(f"salesInvoices({invoice['id']})").json()
    assert (paid["status"], paid["remainingAmount"]) == ("Paid", 0)
    assert _gl(bc, "G02011") == {("1510", 0, 372.5), ("1580", 372.5, 0)}
    assert bc.get("customers?$filter=number eq '10000'").json()["value"][0]["balanceDue"] == 0
    assert bc.get(f"customerPaymentJournals({journal['id']})/customerPayments").json()["value"] == []
    empty = bc.post(f"journals({journal['id']})/Microsoft.NAV.post")
    assert error_of(empty) == ("Application_DialogException", "There is nothing to post.")


def test_payment_validation_messages(bc):
    draft = _invoice(bc).json()
    journal = bc.get("customerPaymentJournals?$filter=code eq 'BANK'").json()["value"][0]
    response = bc.post(f"customerPaymentJournals({journal['id']})/customerPayments",
                       json={"appliesToInvoiceId": draft["id"], "amount": 1})  # fmt: skip
    assert error_of(response)[1] == (
        'The "appliesToInvoiceId" should be the ID of an Open, Paid, Corrective, or Canceled Invoice.'
    )
    flat = bc.post("customerPayments", json={"customerNumber": "10000", "amount": 1})
    assert error_of(flat)[1] == "You must specify a journal batch ID or a journal ID to get a journal line."
    unknown = bc.post("journals(11111111-1111-1111-1111-111111111111)/Microsoft.NAV.post")
    assert error_of(unknown)[1] == (
        "The General Journal Batch with ID 11111111-1111-1111-1111-111111111111 cannot be found."
    )


def test_general_journal_fee_and_transfer_lines(bc):
    journal = bc.get("journals?$filter=code eq 'GENERAL'").json()["value"][0]
    lines = f"journals({journal['id']})/journalLines"
    raw_name = bc.post(lines, json={"accountType": "G/L Account", "accountNumber": "6064", "amount": 1})
    assert error_of(raw_name)[0] == "BadRequest"  # enum values travel in wire form only
    fee = bc.post(lines, json={"accountType": "G_x002F_L_x0020_Account", "accountNumber": "6064", "amount": 12.5,
                               "balancingAccountNumber": "1580", "documentNumber": "PAYOUT-1"})  # fmt: skip
    assert fee.status_code == 201, fee.text
    assert fee.json()["accountType"] == "G_x002F_L_x0020_Account"
    bank = bc.post(lines, json={"accountType": "Bank_x0020_Account", "accountNumber": "BANK1", "amount": 987.5,
                                "balancingAccountNumber": "1580", "documentNumber": "PAYOUT-1"})  # fmt: skip
    assert bank.status_code == 201, bank.text
    assert bc.post(f"journals({journal['id']})/Microsoft.NAV.post").status_code == 204
    assert _gl(bc, "PAYOUT-1") == {("6064", 12.5, 0), ("1580", 0, 12.5), ("1930", 987.5, 0), ("1580", 0, 987.5)}
    unbalanced = bc.post(lines, json={"accountNumber": "6064", "amount": 5, "documentNumber": "X-1"})
    assert unbalanced.status_code == 201
    failed = bc.post(f"journals({journal['id']})/Microsoft.NAV.post")
    assert "is out of balance by 5.00" in error_of(failed)[1]
