"""Posting primitives shared by documents and journals: exchange rates, VAT setup checks and
G/L entries (balanced, in LCY)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .amounts import dec, money
from .errors import BCError, dialog
from .store import CompanyStore, VatPostingSetup


def bc_date(value: dt.date) -> str:
    """BC's en-US short date as it appears in messages, e.g. 01/15/25."""
    return value.strftime("%m/%d/%y")


def as_date(value: str | dt.date | None, default: dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not value or value == "0001-01-01":
        return default
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise BCError("BadRequest", f"Cannot convert the literal '{value}' to the expected type 'Edm.Date'.")


def exchange_rate(store: CompanyStore, currency_code: str, on: dt.date) -> dict:
    """The rate in force on ``on`` (CurrencyExchangeRate.FindCurrency: FindLast on an open range)."""
    rates = [
        rate
        for rate in store.filter("currencyExchangeRates", currencyCode=currency_code)
        if rate["startingDate"] <= on.isoformat()
    ]
    if not rates:
        raise BCError(
            "Internal_DataNotFoundFilter",
            "There is no Currency Exchange Rate within the filter.  "
            f"Filters: Currency Code: {currency_code}, Starting Date: ''..{bc_date(on)}",
        )
    return max(rates, key=lambda rate: rate["startingDate"])


def lcy_factor(store: CompanyStore, currency_code: str, on: dt.date) -> Decimal:
    """LCY per unit of ``currency_code`` (1 for LCY)."""
    if not currency_code or currency_code == store.lcy_code:
        return Decimal(1)
    if store.find("currencies", code=currency_code) is None:
        raise dialog('The "currencyCode" does not match to a Currency.')
    rate = exchange_rate(store, currency_code, on)
    return dec(rate["relationalExchangeRateAmount"]) / dec(rate["exchangeRateAmount"])


def vat_setup(store: CompanyStore, bus: str, prod: str) -> VatPostingSetup:
    setup = store.vat_setup.get((bus, prod))
    if setup is None:
        raise BCError(
            "Internal_RecordNotFound",
            "The VAT Posting Setup does not exist. Identification fields and values: "
            f"VAT Bus. Posting Group='{bus}',VAT Prod. Posting Group='{prod}'",
        )
    if setup.blocked:
        raise dialog(
            f"Setup is blocked in VAT Posting Setup for VAT Bus. Posting Group {bus} "
            f"and VAT Prod. Posting Group {prod}."
        )
    return setup


def check_posting_date(store: CompanyStore, posting_date: dt.date) -> None:
    setup = store.general_ledger_setup
    low, high = setup.get("allowPostingFrom") or "", setup.get("allowPostingTo") or ""
    iso = posting_date.isoformat()
    if (low and low != "0001-01-01" and iso < low) or (high and high != "0001-01-01" and iso > high):
        raise dialog("The Posting Date is not within your range of allowed posting dates.")


def post_gl(
    store: CompanyStore,
    *,
    posting_date: dt.date,
    document_number: str,
    document_type: str,
    description: str,
    movements: list[tuple],
) -> list[dict]:
    """Write G/L entries; ``movements`` are (account number, LCY amount; + debit, - credit), or
    (account, LCY amount, currency code, amount in that currency) for a line in a foreign currency.

    An entry keeps its transaction currency and amount as BC's G/L Entry does ("Source Currency
    Code", "Source Currency Amount"); API v2.0's generalLedgerEntries page does not show them, so
    they are stored as internal fields."""
    total = sum((dec(movement[1]) for movement in movements), Decimal(0))
    if money(total) != 0:
        raise BCError(
            "Application_DialogException",
            f"{document_type} {document_number} is out of balance by {money(total):.2f}. Please check that "
            "Posting Date, Document Type, Document No. and Amount are correct for each line.",
        )
    entries = []
    for account_number, amount, *source in movements:
        amount = money(amount)
        currency, source_amount = (source[0], money(source[1])) if source else ("", amount)
        if amount == 0 and source_amount == 0:
            continue
        account = store.account(account_number)
        if account is None:
            raise BCError(
                "Internal_RecordNotFound",
                f"The G/L Account does not exist. Identification fields and values: No.='{account_number}'",
            )
        entries.append(
            store.insert(
                "generalLedgerEntries",
                {
                    "entryNumber": store.next_entry_number(),
                    "postingDate": posting_date.isoformat(),
                    "documentNumber": document_number,
                    "documentType": document_type,
                    "accountId": account["id"],
                    "accountNumber": account_number,
                    "description": description,
                    "debitAmount": amount if amount > 0 else 0,
                    "creditAmount": -amount if amount < 0 else 0,
                    "_sourceCurrencyCode": currency,
                    "_sourceCurrencyAmount": source_amount,
                },
            )
        )
    return entries
