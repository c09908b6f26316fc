"""The journal lines of one payout, written to BC with $batch, never twice.

For payout P (net N), every line balancing against the provider's clearing account C. Amounts are
BC's: the debit of the line's account, so money a customer paid is negative on the customer (BC's
journal check: a Payment to a Customer must be negative, a Refund to a Customer positive).
  charge   customer payment, amount = minus the charge, applied to the posted invoice it paid; when
           the charge and the invoice's open amount differ by no more than the currency's rounding,
           the payment is minus the open amount and the difference is a general journal line on the
           payment rounding G/L account (tag ``rounding:<transaction>``)
  refund   general journal line on the customer, amount = the money paid back (positive), naming
           the credit memo (the customer payments page only writes Payment lines, which must be
           negative)
  dispute  (disputes, chargebacks and their reversals) general journal line on the configuration's
           disputes G/L account (the fee account when none is set), amount = -dispute
  adjustment  general journal line on the fee G/L account, amount = -adjustment
  fees     one general journal line on the fee G/L account, amount = the payout's fees
  transfer (optional) general journal line on the bank account, amount = N
so C moves by exactly zero once every transaction is booked.

A payout in a foreign currency F (not the company's LCY) is booked in F: a customer payment line takes
the customer card's currency in BC (so the invoice's customer must be in F, which PAY-002 already
holds), and every general journal line is written through the General Journal page (39, ODataV4)
with Currency Code = F, because API v2.0's journalLines has no currency field. BC converts each line
at the posting date's exchange rate, so C is exactly zero in F but can be a few öre off in LCY; the
ledger check (syncs/payouts/ledger.py) books that difference to the rounding account.

Customer payments take their balancing
account from the customer payment journal batch (the API has no per-line field), so that batch must
balance against C. Every line carries externalDocumentNumber = the payout reference and ends its
description with a tag ``[<tag>]``: lines already in the journal or recorded in ``Payout.booked_lines``
are skipped, so a rerun adds nothing and a half-written payout resumes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from integrations.connectors.businesscentral import entities, odata
from integrations.connectors.businesscentral.codec import ACCOUNT_TYPE_BANK, ACCOUNT_TYPE_CUSTOMER, ACCOUNT_TYPE_GL
from integrations.connectors.businesscentral.jsonmap import to_json
from integrations.connectors.businesscentral.payloads import (
    NewCustomerPayment,
    NewGeneralJournalPageLine,
    NewJournalLine,
)
from integrations.connectors.businesscentral.writes import FieldTooLong, payload_fit
from integrations.models import PayoutAccountMapping
from syncs.errors import ProductError
from syncs.models import Payout, PayoutTransaction

MappedType = PayoutTransaction.MappedType
Category = PayoutTransaction.Category
DISPUTE_CATEGORIES = (Category.DISPUTE, Category.DISPUTE_REVERSAL)
MatchState = PayoutTransaction.MatchState
GENERAL_TEMPLATE = "GENERAL"
FEES_TAG = "fees"
TRANSFER_TAG = "transfer"
ROUNDING_TAG = "rounding"
_TAG_RE = re.compile(r"\[([^\[\]]+)\]\s*$")
DESCRIPTION_MAX = 100  # BC Description is Text[100]
EXTERNAL_MAX = 35  # BC External Document No. is Code[35]


@dataclass(frozen=True)
class PlannedLine:
    tag: str
    kind: str  # "payment" (customerPayments) or "journal" (journalLines)
    amount: Decimal
    description: str
    transaction_id: int | None = None
    customer_number: str = ""
    applies_to_invoice_id: str = ""
    applies_to_invoice_number: str = ""
    account_type: str = ""
    account_number: str = ""
    balancing_account_number: str = ""  # the clearing account (journal lines only; see module doc)
    currency: str = ""  # BC's Currency Code of a general journal line; blank = LCY


@dataclass(frozen=True)
class Journals:
    payment_id: str
    payment_code: str
    general_id: str = ""
    general_code: str = ""
    general_template: str = GENERAL_TEMPLATE


def payout_reference(payout: Payout) -> str:
    """The payout id as BC's externalDocumentNumber: a Shopify GID's numeric tail, a Stripe po_ id."""
    return payout.provider_payout_id.rsplit("/", 1)[-1][:EXTERNAL_MAX]


def booking_reference(payout: Payout) -> str:
    """The reference the lines are written and found again by; refused (MAP-018) when BC's Code[35]
    cannot hold it, since a cut reference could match another payout's lines."""
    whole = payout.provider_payout_id.rsplit("/", 1)[-1]
    if len(whole) > EXTERNAL_MAX:
        raise ProductError("MAP-018", field="externalDocumentNumber", value=whole, length=EXTERNAL_MAX)
    return whole


def transaction_tag(row: PayoutTransaction) -> str:
    return row.provider_transaction_id.rsplit("/", 1)[-1]


def tag_of(description: str) -> str:
    match = _TAG_RE.search(description or "")
    return match.group(1) if match else ""


def _describe(text: str, tag: str) -> str:
    suffix = f" [{tag}]"
    return text[: DESCRIPTION_MAX - len(suffix)] + suffix


def lines_plan(
    *,
    payout: Payout,
    rows: list[PayoutTransaction],
    facts: dict[int, dict],
    accounts: PayoutAccountMapping,
    book_transfer: bool,
    rounding_account: str = "",
    currency: str = "",
) -> list[PlannedLine]:
    """Every line the payout needs (already-booked ones included; the writer skips those).

    ``currency``: the payout's currency when it is not the company's LCY, else blank; every general
    journal line then carries it (customer payment lines take it from the customer card in BC)."""
    reference = payout_reference(payout)
    label = payout.get_provider_display() if hasattr(payout, "get_provider_display") else payout.provider
    lines: list[PlannedLine] = []
    for row in rows:
        fact = facts.get(row.pk)
        tag = transaction_tag(row)
        if row.mapped_type == MappedType.CHARGE and fact:
            rounding = Decimal(str(fact.get("rounding") or 0))
            lines.append(
                PlannedLine(
                    tag=tag,
                    kind="payment",
                    amount=-(row.amount - rounding),  # the invoice's open amount exactly, received: negative
                    description=_describe(f"{label} {reference} payment {row.order_reference}", tag),
                    transaction_id=row.pk,
                    customer_number=fact["customer_number"],
                    applies_to_invoice_id=fact["invoice_id"],
                    applies_to_invoice_number=fact["invoice_number"],
                )
            )
            if rounding:
                rounding_tag = f"{ROUNDING_TAG}:{tag}"
                lines.append(
                    PlannedLine(
                        tag=rounding_tag,
                        kind="journal",
                        amount=-rounding,  # the clearing account still takes the whole charge
                        description=_describe(f"{label} {reference} rounding {row.order_reference}", rounding_tag),
                        transaction_id=row.pk,
                        account_type=ACCOUNT_TYPE_GL,
                        account_number=rounding_account,
                        balancing_account_number=accounts.clearing_account,
                        currency=currency,
                    )
                )
        elif row.mapped_type == MappedType.REFUND and fact:
            memo = fact.get("credit_memo_number") or fact["invoice_number"]
            lines.append(
                PlannedLine(
                    tag=tag,
                    kind="journal",
                    amount=-row.amount,  # the refund (negative in the payout) is paid back: positive
                    description=_describe(f"{label} {reference} refund {row.order_reference} {memo}", tag),
                    transaction_id=row.pk,
                    customer_number=fact["customer_number"],
                    account_type=ACCOUNT_TYPE_CUSTOMER,
                    account_number=fact["customer_number"],
                    balancing_account_number=accounts.clearing_account,
                    currency=currency,
                )
            )
        elif row.mapped_type == MappedType.ADJUSTMENT and row.amount:
            account = accounts.dispute_account if row.category in DISPUTE_CATEGORIES else accounts.fee_account
            lines.append(
                PlannedLine(
                    tag=tag,
                    kind="journal",
                    amount=-row.amount,
                    description=_describe(f"{label} {reference} {row.raw_type.lower()}", tag),
                    transaction_id=row.pk,
                    account_type=ACCOUNT_TYPE_GL,
                    account_number=account,
                    balancing_account_number=accounts.clearing_account,
                    currency=currency,
                )
            )
    if payout.fees:
        lines.append(
            PlannedLine(
                tag=FEES_TAG,
                kind="journal",
                amount=payout.fees,
                description=_describe(f"{label} {reference} fees", FEES_TAG),
                account_type=ACCOUNT_TYPE_GL,
                account_number=accounts.fee_account,
                balancing_account_number=accounts.clearing_account,
                currency=currency,
            )
        )
    if book_transfer and payout.amount:
        if not accounts.bank_account:
            raise ProductError("PAY-003", provider=payout.provider, currency=payout.currency)
        lines.append(
            PlannedLine(
                tag=TRANSFER_TAG,
                kind="journal",
                amount=payout.amount,
                description=_describe(f"{label} {reference} transfer to bank", TRANSFER_TAG),
                account_type=ACCOUNT_TYPE_BANK,
                account_number=accounts.bank_account,
                balancing_account_number=accounts.clearing_account,
                currency=currency,
            )
        )
    return lines


def journals_resolve(*, bc_client, configuration: PayoutAccountMapping) -> Journals:
    """The configuration's customer payment journal batch and general journal batch, as BC has them."""
    code = configuration.batch_code
    template = configuration.batch_template or "-"
    if not code:
        raise ProductError("BC-501", template=template, batch="-")
    payment = next(
        iter(bc_client.iter_records(entities.CUSTOMER_PAYMENT_JOURNALS, filter=odata.eq("code", code))), None
    )
    if payment is None:
        raise ProductError("BC-501", template=template, batch=code)
    clearing_account = configuration.clearing_account
    if payment.balancing_account_number != clearing_account:
        raise ProductError(
            "PAY-006",
            batch=code,
            journal_account=payment.balancing_account_number or "-",
            provider=configuration.get_provider_display(),
            currency=configuration.currency,
            clearing_account=clearing_account or "-",
        )
    general_code = configuration.general_batch
    general = next(iter(bc_client.iter_records(entities.JOURNALS, filter=odata.eq("code", general_code))), None)
    return Journals(
        payment_id=payment.id,
        payment_code=code,
        general_id=general.id if general else "",
        general_code=general.code if general else general_code,
        general_template=(general.template_display_name if general else "") or GENERAL_TEMPLATE,
    )


def lines_existing(*, bc_client, journals: Journals, reference: str) -> dict[str, str]:
    """Tag -> line id of this payout's lines still in the journals (written, not yet posted)."""
    found: dict[str, str] = {}
    filter_ = odata.eq("externalDocumentNumber", reference)
    sources: list[tuple[entities.EntitySet[Any], tuple[entities.EntitySet[Any], str]]] = [
        (entities.CUSTOMER_PAYMENTS, (entities.CUSTOMER_PAYMENT_JOURNALS, journals.payment_id))
    ]
    if journals.general_id:
        sources.append((entities.JOURNAL_LINES, (entities.JOURNALS, journals.general_id)))
    for entity, parent in sources:
        for line in bc_client.iter_records(entity, filter=filter_, parent=parent):
            tag = tag_of(line.description)
            if tag:
                found[tag] = line.id
    return found


def line_operation(*, bc_client, line: PlannedLine, journals: Journals, reference: str, posting_date):
    if line.kind == "payment":
        payment = NewCustomerPayment(
            customer_number=line.customer_number or None,
            posting_date=posting_date,
            external_document_number=reference,
            amount=line.amount,
            applies_to_invoice_id=line.applies_to_invoice_id or None,
            applies_to_invoice_number=line.applies_to_invoice_number or None,
            description=line.description,
        )
        return bc_client.batch_create(
            entities.CUSTOMER_PAYMENTS,
            _fit(entities.CUSTOMER_PAYMENTS.name, payment),
            parent=(entities.CUSTOMER_PAYMENT_JOURNALS, journals.payment_id),
        )
    if not journals.general_id:
        raise ProductError("BC-501", template=GENERAL_TEMPLATE, batch=journals.general_code)
    payload = NewJournalLine(
        account_type=line.account_type,
        account_number=line.account_number,
        posting_date=posting_date,
        external_document_number=reference,
        amount=line.amount,
        description=line.description,
        balance_account_type=ACCOUNT_TYPE_GL,
        balancing_account_number=line.balancing_account_number,
    )
    return bc_client.batch_create(
        entities.JOURNAL_LINES,
        _fit(entities.JOURNAL_LINES.name, payload),
        parent=(entities.JOURNALS, journals.general_id),
    )


def line_write_with_currency(*, bc_client, line: PlannedLine, journals: Journals, reference: str, posting_date) -> str:
    """Write one general journal line in a foreign currency through the General Journal page (not
    batchable: a page web service, not API v2.0); returns the line's key as "<batch>:<line no.>"."""
    if not journals.general_id:
        raise ProductError("BC-501", template=GENERAL_TEMPLATE, batch=journals.general_code)
    row = bc_client.general_journal_line_create(
        NewGeneralJournalPageLine(
            journal_template_name=journals.general_template,
            journal_batch_name=journals.general_code,
            account_type=line.account_type,
            account_number=line.account_number,
            posting_date=posting_date,
            external_document_number=reference,
            amount=line.amount,
            description=line.description,
            currency_code=line.currency,
            balance_account_type=ACCOUNT_TYPE_GL,
            balancing_account_number=line.balancing_account_number,
        )
    )
    return f"{row.get('Journal_Batch_Name', journals.general_code)}:{row.get('Line_No', '')}"


def _fit(entity_set: str, payload) -> dict:
    """BC's wire form; descriptions are already cut with their tag kept, so nothing more is cut."""
    try:
        return payload_fit(entity_set, to_json(payload)).payload
    except FieldTooLong as exc:
        raise ProductError("MAP-018", field=exc.field, value=exc.value, length=exc.length) from None
