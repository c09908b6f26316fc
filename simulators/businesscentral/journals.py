"""Journals: customer payment journals (cash receipts) and general journals, their lines, and
posting through ``journals({id})/Microsoft.NAV.post``."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from simulators.businesscentral.resources import generic_create

from .amounts import dec, money
from .documents import check_customer_for
from .errors import NOTHING_TO_POST, BCError, dialog
from .ledger import as_date, check_posting_date, lcy_factor, post_gl
from .numbering import next_number
from .posting import POSTED_STATUSES, apply_to_invoice
from .resources import check_enum, resolve
from .store import EMPTY_GUID, CompanyStore

_LINE_STEP = 10000
ACCOUNT_TYPES = ("G/L Account", "Customer", "Vendor", "Bank Account", "Fixed Asset", "IC Partner", "Employee")

# BC's general journal amount-sign check (codeunit Gen. Jnl.-Check Line, CheckDocType and
# CheckBalDocType): (account type, document type) -> the sign Amount must have. Zero always passes;
# a blank document type is not checked. On the balancing side the rule is mirrored.
SIGN_RULES: dict[tuple[str, str], str] = {
    ("Customer", "Payment"): "negative",
    ("Customer", "Refund"): "positive",
    ("Customer", "Invoice"): "positive",
    ("Customer", "Credit Memo"): "negative",
    ("Customer", "Reminder"): "positive",
    ("Vendor", "Payment"): "positive",
    ("Vendor", "Refund"): "negative",
    ("Vendor", "Invoice"): "negative",
    ("Vendor", "Credit Memo"): "positive",
    ("Vendor", "Finance Charge Memo"): "negative",
    ("Vendor", "Reminder"): "negative",
    ("Employee", "Payment"): "positive",
}
_MIRROR = {"negative": "positive", "positive": "negative"}


def check_amount_sign(
    *, amount: Decimal, document_type: str, account_type: str, balancing_type: str, where: str
) -> None:
    """Raise BC's field error when Amount has the wrong sign for the document and account types."""
    if not amount or not document_type.strip():
        return
    for side, kind in (("account", account_type), ("balancing", balancing_type)):
        rule = SIGN_RULES.get((kind, document_type))
        if rule and side == "balancing":
            rule = _MIRROR[rule]
        if (rule == "negative" and amount > 0) or (rule == "positive" and amount < 0):
            message = f"Amount must be {rule} in Gen. Journal Line {where}."
            raise BCError("Application_FieldValidationException", message)


def _set_balancing_account(store: CompanyStore, values: dict) -> None:
    if "balancingAccountId" in values:
        account_id = values["balancingAccountId"]
        if account_id in (None, "", EMPTY_GUID):
            values["balancingAccountId"], values["balancingAccountNumber"] = EMPTY_GUID, ""
            return
        account = store.get("accounts", account_id)
        if account is None:
            raise dialog('The "balancingAccountId" does not match to a G/L Account.')
        values["balancingAccountNumber"] = account["number"]


def batch_create(store: CompanyStore, entity_set: str, values: dict, parent: dict) -> dict:  # noqa: ARG001
    _set_balancing_account(store, values)
    if entity_set == "journals":
        values["templateDisplayName"] = "GENERAL"
    values.setdefault("_series", "")
    return generic_create(store, entity_set, values, {})


def batch_update(store: CompanyStore, entity_set: str, record: dict, values: dict) -> None:  # noqa: ARG001
    _set_balancing_account(store, values)
    record.update(values)


def find_batch(store: CompanyStore, batch_id: str | None) -> tuple[str, dict] | None:
    for table in ("customerPaymentJournals", "journals"):
        batch = store.get(table, batch_id)
        if batch is not None:
            return table, batch
    return None


def _lines_table(batch_table: str) -> str:
    return "customerPayments" if batch_table == "customerPaymentJournals" else "journalLines"


def _prepare_line(store: CompanyStore, batch_table: str, values: dict, parent: dict) -> dict:
    values = {**values, **parent}
    if not values.get("journalId") and values.get("journalDisplayName"):
        found = store.find(batch_table, code=values["journalDisplayName"])
        values["journalId"] = found["id"] if found else None
    found = find_batch(store, values.get("journalId"))
    if found is None or found[0] != batch_table:
        raise dialog("You must specify a journal batch ID or a journal ID to get a journal line.")
    batch = found[1]
    if values.get("journalDisplayName") and values["journalDisplayName"] != batch["code"]:
        raise dialog("The Journal Id and Journal Display Name do not match.")
    values["journalDisplayName"] = batch["code"]
    table = _lines_table(batch_table)
    existing = store.filter(table, journalId=batch["id"])
    if not values.get("lineNumber"):
        values["lineNumber"] = max((line["lineNumber"] for line in existing), default=0) + _LINE_STEP
    values["postingDate"] = as_date(values.get("postingDate"), store.clock.today()).isoformat()
    if not values.get("documentNumber"):
        if existing:
            values["documentNumber"] = existing[-1]["documentNumber"]
        elif batch.get("_series") and store.number_series.get(batch["_series"]):
            values["documentNumber"] = next_number(store.number_series[batch["_series"]], store.clock.today())
    return values


def _resolve_payment_refs(store: CompanyStore, values: dict) -> None:
    customer = None
    if values.get("customerId") not in (None, "", EMPTY_GUID) or values.get("customerNumber"):
        customer = resolve(
            store,
            values,
            id_field="customerId",
            code_field="customerNumber",
            table="customers",
            table_code_field="number",
            label="Customer",
        )
        values["customerId"], values["customerNumber"] = customer["id"], customer["number"]
        # Gen. Journal Line, GetCustomerAccount: the line takes the customer card's currency (the
        # customer payments page validates Account No. before the batch's balancing account is set).
        values["_currencyCode"] = customer.get("currencyCode") or ""
    sent_id = values.get("appliesToInvoiceId") not in (None, "", EMPTY_GUID)
    if sent_id or values.get("appliesToInvoiceNumber"):
        by_id = store.get("salesInvoices", values["appliesToInvoiceId"]) if sent_id else None
        if sent_id and (by_id is None or by_id["status"] not in POSTED_STATUSES):
            raise dialog('The "appliesToInvoiceId" should be the ID of an Open, Paid, Corrective, or Canceled Invoice.')
        by_number = None
        if values.get("appliesToInvoiceNumber"):
            by_number = next(
                (
                    invoice
                    for invoice in store.filter("salesInvoices", number=values["appliesToInvoiceNumber"])
                    if invoice["status"] in POSTED_STATUSES
                ),
                None,
            )
            if by_number is None:
                raise dialog(
                    'The "appliesToInvoiceNumber" should be the number of an Open, Paid, Corrective, '
                    "or Canceled Invoice."
                )
        if by_id and by_number and by_id["id"] != by_number["id"]:
            raise dialog("The Applies To Invoice values do not match to the same Invoice.")
        invoice = by_id or by_number
        values["appliesToInvoiceId"], values["appliesToInvoiceNumber"] = invoice["id"], invoice["number"]
        if customer is None:
            values["customerId"], values["customerNumber"] = invoice["customerId"], invoice["customerNumber"]
            values["_currencyCode"] = (store.get("customers", invoice["customerId"]) or {}).get("currencyCode") or ""
    if not values.get("description") and values.get("customerId") not in (None, "", EMPTY_GUID):
        values["description"] = store.get("customers", values["customerId"])["displayName"]


def payment_create(store: CompanyStore, values: dict, parent: dict) -> dict:
    values = _prepare_line(store, "customerPaymentJournals", values, parent)
    _resolve_payment_refs(store, values)
    return store.insert("customerPayments", values)


def payment_update(store: CompanyStore, record: dict, values: dict) -> None:
    for frozen in ("journalId", "journalDisplayName"):
        if frozen in values and values[frozen] != record[frozen]:
            raise dialog(f'The "{frozen}" cannot be changed.')
    merged = {**record, **values}
    _resolve_payment_refs(store, merged)
    record.update(merged)


def _resolve_journal_line_refs(store: CompanyStore, values: dict) -> None:
    values.setdefault("accountType", "G/L Account")
    check_enum("accountType", values["accountType"], ACCOUNT_TYPES)
    table = {"G/L Account": "accounts", "Customer": "customers", "Bank Account": "bankAccounts"}.get(
        values["accountType"]
    )
    if table is None:
        raise BCError("BadRequest_MethodNotImplemented", f"Account type {values['accountType']} is not simulated.")
    if values.get("accountId") not in (None, "", EMPTY_GUID) or values.get("accountNumber"):
        account = resolve(
            store,
            values,
            id_field="accountId",
            code_field="accountNumber",
            table=table,
            table_code_field="number",
            label=values["accountType"],
        )
        values["accountId"], values["accountNumber"] = account["id"], account["number"]
        # Gen. Journal Line: a customer line takes the customer card's currency, a bank account line
        # the bank account's (GetCustomerAccount, GetBankAccount); a G/L account line keeps what it has
        # (blank = LCY; the API page has no currency field, the General Journal page 39 has).
        if values["accountType"] in ("Customer", "Bank Account") and not values.get("_currencyFixed"):
            values["_currencyCode"] = account.get("currencyCode") or ""
    values.setdefault("_currencyCode", "")
    values.setdefault("balanceAccountType", "G/L Account")
    check_enum("balanceAccountType", values["balanceAccountType"], ACCOUNT_TYPES)
    bal_table = {"G/L Account": "accounts", "Bank Account": "bankAccounts"}.get(values["balanceAccountType"])
    if bal_table and (
        values.get("balancingAccountId") not in (None, "", EMPTY_GUID) or values.get("balancingAccountNumber")
    ):
        account = resolve(
            store,
            values,
            id_field="balancingAccountId",
            code_field="balancingAccountNumber",
            table=bal_table,
            table_code_field="number",
            label=values["balanceAccountType"],
        )
        values["balancingAccountId"], values["balancingAccountNumber"] = account["id"], account["number"]


def journal_line_create(store: CompanyStore, values: dict, parent: dict) -> dict:
    values = _prepare_line(store, "journals", values, parent)
    _resolve_journal_line_refs(store, values)
    return store.insert("journalLines", values)


def journal_line_update(store: CompanyStore, record: dict, values: dict) -> None:
    merged = {**record, **values}
    _resolve_journal_line_refs(store, merged)
    record.update(merged)


# -- posting ------------------------------------------------------------------------------------


def _gl_account_of(store: CompanyStore, account_type: str, number: str) -> str:
    if account_type == "G/L Account":
        return number
    if account_type == "Bank Account":
        return store.posting.bank_by_bank_account[number]
    if account_type == "Customer":
        return store.posting.receivables
    raise BCError("BadRequest_MethodNotImplemented", f"Account type {account_type} is not simulated.")


def post_journal(store: CompanyStore, batch_id: str) -> None:
    found = find_batch(store, batch_id)
    if found is None:
        raise dialog(f"The General Journal Batch with ID {batch_id} cannot be found.")
    batch_table, batch = found
    table = _lines_table(batch_table)
    lines = [line for line in store.filter(table, journalId=batch["id"]) if line["amount"]]
    if not lines:
        raise dialog(NOTHING_TO_POST)
    plans = [_plan_line(store, batch_table, batch, line) for line in lines]  # validate everything first
    by_document: dict[str, Decimal] = defaultdict(Decimal)
    for line, (movements, _) in zip(lines, plans, strict=True):
        by_document[line["documentNumber"]] += sum((movement[1] for movement in movements), Decimal(0))
    for document_number, difference in by_document.items():
        if money(difference) != 0:
            raise dialog(
                f"Document No. {document_number} is out of balance by {money(difference):.2f}. Please check that "
                "Posting Date, Document Type, Document No. and Amount are correct for each line."
            )
    for line, (movements, effects) in zip(lines, plans, strict=True):
        posting_date = as_date(line["postingDate"], store.clock.today())
        document_type = "Payment" if batch_table == "customerPaymentJournals" else " "
        post_gl(
            store,
            posting_date=posting_date,
            document_number=line["documentNumber"],
            document_type=document_type,
            description=line.get("description") or "",
            movements=movements,
        )
        for effect in effects:
            effect()
        store.delete(table, line["id"])  # BC empties the journal once posted


def _plan_line(store: CompanyStore, batch_table: str, batch: dict, line: dict) -> tuple[list, list]:
    """-> (G/L movements in LCY, side effects to run once everything validated)."""
    check_posting_date(store, as_date(line["postingDate"], store.clock.today()))
    amount = dec(line["amount"])
    effects = []
    movements: list[tuple[str, Decimal]] = []
    if batch_table == "customerPaymentJournals":
        customer = store.get("customers", line.get("customerId"))
        if customer is None:
            raise BCError(
                "Application_FieldValidationException",
                f"Account No. must have a value in Gen. Journal Line: Journal Template Name=CASHRCPT, "
                f"Journal Batch Name={batch['code']}, Line No.={line['lineNumber']}. It cannot be zero or empty.",
            )
        check_customer_for(customer, posting=True)
        # A customer payment line is a Payment to a Customer: Amount is the customer's debit, so money
        # received is negative (BC: "Amount must be negative").
        check_amount_sign(
            amount=amount,
            document_type="Payment",
            account_type="Customer",
            balancing_type="G/L Account",
            where=_where("CASHRCPT", batch, line),
        )
        invoice = store.get("salesInvoices", line.get("appliesToInvoiceId"))
        currency = line.get("_currencyCode") or ""
        if invoice is not None and (invoice.get("currencyCode") or "") != currency:
            # Gen. Jnl.-Apply, CheckAgainstApplnCurrency (Sales & Receivables Setup "Appln. between
            # Currencies" = None, the default): raised when the application is posted [assumed: where].
            raise dialog("All entries in one application must be in the same currency.")
        posting_date = as_date(line["postingDate"], store.clock.today())
        factor = lcy_factor(store, currency, posting_date)  # the line's rate: its posting date's
        lcy = dec(money(amount * factor))
        # Applied to an invoice, the customer's entry is closed at the invoice's own rate; the
        # difference is the currency's realized gain or loss (BC's application posting).
        closed = dec(money(amount * dec(invoice.get("_lcyFactor") or factor))) if invoice and currency else lcy
        movements.append((store.posting.receivables, closed, currency, amount))  # negative: credits the customer
        if closed != lcy:
            movements.append((_realized_account(store, currency, gain=lcy < closed), lcy - closed, currency, 0))
        if batch.get("balancingAccountNumber"):
            movements.append((batch["balancingAccountNumber"], -lcy, currency, -amount))
        effects.append(lambda c=customer, a=closed: _change_balance(store, c, a))
        if invoice is not None:
            effects.append(lambda i=invoice, a=amount: apply_to_invoice(store, i, -a))
        return movements, effects
    account = _gl_account_of(store, line["accountType"], line["accountNumber"])
    currency = line.get("_currencyCode") or ""
    # Amount is in the line's currency; BC converts it at the posting date's rate (Amount (LCY)),
    # both sides of the line with the same figure.
    lcy = dec(money(amount * lcy_factor(store, currency, as_date(line["postingDate"], store.clock.today()))))
    movements.append((account, lcy, currency, amount))
    if line["accountType"] == "Customer":
        customer = store.get("customers", line["accountId"])
        check_customer_for(customer, posting=True)
        effects.append(lambda c=customer, a=lcy: _change_balance(store, c, a))
    balancing = line.get("balancingAccountNumber") or batch.get("balancingAccountNumber")
    if balancing:
        balancing_type = line.get("balanceAccountType") if line.get("balancingAccountNumber") else "G/L Account"
        movements.append((_gl_account_of(store, balancing_type, balancing), -lcy, currency, -amount))
    return movements, effects


def _realized_account(store: CompanyStore, currency_code: str, *, gain: bool) -> str:
    """The currency's Realized Gains Acc. / Realized Losses Acc. (Currency card)."""
    currency = store.find("currencies", code=currency_code) or {}
    field = "_realizedGainsAccount" if gain else "_realizedLossesAccount"
    if not currency.get(field):
        raise BCError(
            "Application_FieldValidationException",
            f"{'Realized Gains Acc.' if gain else 'Realized Losses Acc.'} must have a value in Currency: "
            f"Code={currency_code}. It cannot be zero or empty.",
        )
    return currency[field]


def _where(template: str, batch: dict, line: dict) -> str:
    return f"Journal Template Name='{template}',Journal Batch Name='{batch['code']}',Line No.='{line['lineNumber']}'"


def _change_balance(store: CompanyStore, customer: dict, amount: Decimal) -> None:
    customer["balanceDue"] = money(dec(customer["balanceDue"]) + amount)
    store.touch(customer)
