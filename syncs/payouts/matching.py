"""Charges and refunds of a payout -> the BC invoices (and credit memos) they belong to.

A charge is matched to the invoice the orders flow synced for its order (RecordLink), read back
from BC by id in batches; an order without a usable link is searched in BC by the reference field
(externalDocumentNumber = the shop's order name), also in batches. No invoice -> PAY-001 naming
the reference and the field searched. Only posted invoices can take a payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from integrations.connectors.businesscentral import entities, odata
from syncs.errors import ProductError, classify_exception
from syncs.mapping.currency import currency_precision
from syncs.models import EntityType, Payout, PayoutTransaction, RecordLink

MatchState = PayoutTransaction.MatchState
MappedType = PayoutTransaction.MappedType
REFERENCE_FIELD = "externalDocumentNumber"
POSTED = ("Open", "Paid", "Corrective", "Canceled")
ID_CHUNK = 40  # GUID filters: 40 ids keep the URL well under BC's limits


@dataclass(frozen=True)
class InvoiceRef:
    id: str
    number: str
    customer_number: str
    currency: str
    status: str
    remaining: Decimal | None = None  # open amount; None when BC did not say
    customer_currency: str | None = None  # the customer card's currency (blank card = LCY); None: unknown


@dataclass
class MatchResult:
    matched: int = 0
    unmatched: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # provider transaction id -> error code
    facts: dict[int, dict] = field(default_factory=dict)  # row pk -> what posting needs (invoice, customer)


def _chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _ref(invoice, lcy: str) -> InvoiceRef:
    return InvoiceRef(
        id=invoice.id,
        number=invoice.number,
        customer_number=invoice.customer_number,
        currency=(invoice.currency_code or lcy).upper(),
        status=invoice.status,
        remaining=getattr(invoice, "remaining_amount", None),
    )


def invoices_find(*, integration, bc_client, order_names: Iterable[str], lcy: str) -> dict[str, InvoiceRef]:
    """Posted BC invoices by order name: through RecordLinks first, then by searching BC."""
    names = sorted({name for name in order_names if name})
    invoice_ids: dict[str, str] = {}
    for link in RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ORDER,
        source_reference__in=names,
        state=RecordLink.State.SYNCED,
    ).only("source_reference", "target_id", "details"):
        invoice_id = (link.details or {}).get("invoice_id") or link.target_id
        if invoice_id:
            invoice_ids[link.source_reference] = invoice_id
    found: dict[str, InvoiceRef] = {}
    by_id = {invoice_id: name for name, invoice_id in invoice_ids.items()}
    for group in _chunks(sorted(by_id), ID_CHUNK):
        for invoice in bc_client.iter_records(
            entities.SALES_INVOICES, filter=odata.any_of("id", [odata.guid(value) for value in group])
        ):
            if invoice.status in POSTED:
                found[by_id[invoice.id]] = _ref(invoice, lcy)
    missing = [name for name in names if name not in found]
    if missing:
        # The invoice carries the integration's document-number prefix (several shops, one company).
        prefix = integration.document_number_prefix
        by_number = {f"{prefix}{name}": name for name in missing}
        for number, invoices in bc_client.find_by_external_document_numbers(
            entities.SALES_INVOICES, list(by_number)
        ).items():
            posted = [invoice for invoice in invoices if invoice.status in POSTED]
            if posted and number in by_number:
                found[by_number[number]] = _ref(posted[0], lcy)
    return _with_customer_currencies(bc_client=bc_client, found=found, lcy=lcy)


def _with_customer_currencies(*, bc_client, found: dict[str, InvoiceRef], lcy: str) -> dict[str, InvoiceRef]:
    """Each invoice's customer card currency: a payment line takes it in BC (not the invoice's), and
    BC refuses to apply a payment to an invoice in another currency."""
    numbers = sorted({ref.customer_number for ref in found.values() if ref.customer_number})
    currencies: dict[str, str] = {}
    for group in _chunks(numbers, ID_CHUNK):
        for customer in bc_client.iter_records(entities.CUSTOMERS, filter=odata.any_of("number", group)):
            currencies[customer.number] = (customer.currency_code or lcy).upper()
    return {name: replace(ref, customer_currency=currencies.get(ref.customer_number)) for name, ref in found.items()}


def credit_memos_find(*, integration, order_names: Iterable[str]) -> dict[str, list[str]]:
    """Credit memo numbers synced for each order (refund links are named "<order>-R<refund>")."""
    result: dict[str, list[str]] = {}
    names = {name for name in order_names if name}
    if not names:
        return result
    links = RecordLink.objects.filter(
        integration=integration, entity_type=EntityType.REFUND, state=RecordLink.State.SYNCED
    ).only("source_reference", "target_number")
    for link in links:
        order_name = link.source_reference.rsplit("-R", 1)[0]
        if order_name in names and link.target_number:
            result.setdefault(order_name, []).append(link.target_number)
    return result


def _fail(row: PayoutTransaction, error: ProductError) -> None:
    classified = classify_exception(error)
    row.match_state = MatchState.UNMATCHED
    row.error_code = classified.code
    row.error_message = classified.message


def payout_match(*, payout: Payout, bc_client, lcy: str) -> MatchResult:
    """Match every not-yet-booked charge and refund of ``payout``; saves each row's outcome."""
    result = MatchResult()
    rows = [
        row
        for row in payout.transactions.all()
        if row.match_state != MatchState.BOOKED and row.mapped_type in (MappedType.CHARGE, MappedType.REFUND)
    ]
    names = [row.order_reference for row in rows]
    invoices = invoices_find(integration=payout.integration, bc_client=bc_client, order_names=names, lcy=lcy)
    memos = credit_memos_find(integration=payout.integration, order_names=names)
    for row in rows:
        invoice = invoices.get(row.order_reference)
        if invoice is None:
            _fail(
                row,
                ProductError("PAY-001", reference=row.order_reference or row.source_reference, field=REFERENCE_FIELD),
            )
        elif invoice.currency != row.currency.upper():
            _fail(
                row,
                ProductError(
                    "PAY-002", payout_currency=row.currency, invoice=invoice.number, invoice_currency=invoice.currency
                ),
            )
        elif invoice.customer_currency is not None and invoice.customer_currency != invoice.currency:
            _fail(
                row,
                ProductError(
                    "PAY-014",
                    invoice=invoice.number,
                    invoice_currency=invoice.currency,
                    customer_number=invoice.customer_number,
                    currency=invoice.customer_currency,
                ),
            )
        elif (rounding := _rounding(row, invoice, payout.integration.payment_rounding_tolerance)) and (
            not payout.integration.rounding_gl_account
        ):
            _fail(
                row,
                ProductError(
                    "PAY-009",
                    reference=row.order_reference,
                    amount=row.amount,
                    invoice=invoice.number,
                    remaining=invoice.remaining,
                    difference=rounding,
                ),
            )
        else:
            row.match_state = MatchState.MATCHED
            row.error_code = row.error_message = ""
            row.bc_document_number = invoice.number
            result.facts[row.pk] = _bc_facts(row, invoice, memos)
            if rounding:
                result.facts[row.pk] |= {"applied": invoice.remaining, "rounding": rounding}
        if row.match_state == MatchState.MATCHED:
            result.matched += 1
        else:
            result.unmatched += 1
            result.errors[row.provider_transaction_id] = row.error_code
    PayoutTransaction.objects.bulk_update(rows, ["match_state", "error_code", "error_message", "bc_document_number"])
    return result


def _rounding(row: PayoutTransaction, invoice: InvoiceRef, tolerance: Decimal | None = None) -> Decimal:
    """charge - open amount, when the two differ by no more than the rounding tolerance (BC adds VAT
    per net line and converts currencies per line, so its total can be a few cents off the shop's);
    otherwise 0: the charge is applied as is. The tolerance is never below the currency's rounding."""
    if row.mapped_type != MappedType.CHARGE or invoice.remaining is None or invoice.status != "Open":
        return Decimal("0")
    difference = row.amount - invoice.remaining
    if abs(difference) <= max(currency_precision(row.currency), tolerance or Decimal("0")):
        return difference
    return Decimal("0")


def _bc_facts(row: PayoutTransaction, invoice: InvoiceRef, memos: dict[str, list[str]]) -> dict:
    """What posting needs to write the row's customer payment line."""
    facts = {"invoice_id": invoice.id, "invoice_number": invoice.number, "customer_number": invoice.customer_number}
    if row.mapped_type == MappedType.REFUND and memos.get(row.order_reference):
        facts["credit_memo_number"] = memos[row.order_reference][0]
    return facts
