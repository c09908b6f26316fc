"""Write BC sales documents exactly once, in $batch requests.

For every job: look the externalDocumentNumber up (what exists is linked, never created again),
create what is missing by deep insert, compare BC's total with the shop's, then post (or ship
and invoice). A create whose outcome is unknown (503 mid-batch, a dropped response, throttling)
is never repeated blindly: the next round looks the number up again first. One job's failure
never touches another's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from integrations.connectors.businesscentral import (
    BCAmbiguousWriteError,
    BCError,
    BCServerError,
    BCThrottled,
    BCTransportError,
    entities,
)
from integrations.connectors.businesscentral.batch import MAX_BATCH_OPERATIONS
from integrations.connectors.businesscentral.records import SalesDocument
from integrations.connectors.businesscentral.writes import FieldTooLong, payload_fit
from syncs.errors import ClassifiedError, ProductError, classify_exception
from syncs.mapping import codes
from syncs.mapping.currency import total_tolerance
from syncs.mapping.types import DocumentDraft, DocumentKind
from syncs.services.batches import SERIAL, Lanes, batches_send

ENTITY_BY_KIND: dict[str, entities.EntitySet[Any]] = {
    DocumentKind.INVOICE: entities.SALES_INVOICES,
    DocumentKind.ORDER: entities.SALES_ORDERS,
    DocumentKind.CREDIT_MEMO: entities.SALES_CREDIT_MEMOS,
}
ACTION_BY_KIND = {
    DocumentKind.INVOICE: "post",
    DocumentKind.ORDER: "shipAndInvoice",
    DocumentKind.CREDIT_MEMO: "post",
}
DRAFT = "Draft"
MAX_ROUNDS = 3
# Statuses of an operation whose outcome is unknown: it may have been applied.
_UNCERTAIN = {0, 408, 429, 500, 502, 503, 504}
_UNCERTAIN_ERRORS = (BCAmbiguousWriteError, BCTransportError, BCServerError, BCThrottled)

Checkpoint = Callable[[str, list["DocumentJob"]], None]


@dataclass
class DocumentJob:
    key: str  # the RecordLink's source id
    draft: DocumentDraft
    document: SalesDocument | None = None
    invoice: SalesDocument | None = None  # sales orders: the posted invoice after shipAndInvoice
    created: bool = False
    error: ClassifiedError | None = None
    total_mismatch: dict | None = None
    notes: list[str] = field(default_factory=list)
    cuts: list[dict] = field(default_factory=list)  # texts shortened to BC's field lengths (MAP-017)
    dimensions_done: bool = False  # the header dimensions are on the document

    @property
    def document_id(self) -> str:
        """The BC document's id: only asked of a job whose document was created or found."""
        if self.document is None:
            raise ValueError(f"{self.key} has no document in Business Central yet.")
        return self.document.id

    @property
    def done(self) -> bool:
        return self.error is not None or (self.document is not None and not self.needs_action)

    @property
    def needs_action(self) -> bool:
        if self.document is None or self.error is not None:
            return False
        if self.draft.kind == DocumentKind.ORDER:
            return self.draft.ship_and_invoice and self.invoice is None
        return self.draft.post and self.document.status == DRAFT

    @property
    def final(self) -> SalesDocument | None:
        return self.invoice or self.document


def _uncertain(status: int) -> bool:
    return status in _UNCERTAIN


def _fail(job: DocumentJob, exc: BaseException) -> None:
    job.error = classify_exception(exc)


def _lookup(*, client, jobs: list[DocumentJob]) -> None:
    """Link every job whose externalDocumentNumber already exists in BC."""
    by_kind: dict[DocumentKind, list[DocumentJob]] = {}
    for job in jobs:
        by_kind.setdefault(job.draft.kind, []).append(job)
    for kind, group in by_kind.items():
        numbers = [job.draft.external_document_number for job in group]
        found = client.find_by_external_document_numbers(ENTITY_BY_KIND[kind], numbers)
        invoices = {}
        if kind == DocumentKind.ORDER:
            # A shipped-and-invoiced order is gone; its posted invoice carries the number on.
            invoices = client.find_by_external_document_numbers(entities.SALES_INVOICES, numbers)
        for job in group:
            number = job.draft.external_document_number
            matches = found.get(number) or []
            if matches:
                job.document = matches[0]
                if len(matches) > 1:
                    job.notes.append(f"{len(matches)} documents in BC carry {number}; linked the first.")
            if invoices.get(number):
                job.invoice = invoices[number][0]
                job.document = job.document or job.invoice


def _payload(job: DocumentJob) -> dict | None:
    """The draft as BC accepts it; the cuts are kept on the job, a too-long identifier fails it."""
    try:
        fitted = payload_fit(ENTITY_BY_KIND[job.draft.kind].name, job.draft.to_payload())
    except FieldTooLong as exc:
        _fail(job, ProductError(codes.VALUE_TOO_LONG, field=exc.field, value=exc.value, length=exc.length))
        return None
    job.cuts = [cut.as_dict() for cut in fitted.cuts]
    return fitted.payload


@dataclass(frozen=True)
class Sending:
    """How a page's $batch requests go out: ``lanes.width`` at once, ``batch_size`` operations each."""

    lanes: Lanes = SERIAL
    batch_size: int = MAX_BATCH_OPERATIONS


def _create(*, client, jobs: list[DocumentJob], sending: Sending) -> None:
    payloads = {job.key: _payload(job) for job in jobs}
    jobs = [job for job in jobs if payloads[job.key] is not None]
    if not jobs:
        return
    operations = [client.batch_create(ENTITY_BY_KIND[job.draft.kind], payloads[job.key]) for job in jobs]
    outcomes = batches_send(client=client, operations=operations, lanes=sending.lanes, batch_size=sending.batch_size)
    for job, result in zip(jobs, outcomes, strict=True):
        if isinstance(result, BCError):
            if not isinstance(result, _UNCERTAIN_ERRORS) and not _uncertain(result.status or 0):
                _fail(job, result)
            continue  # unknown outcome: the next round looks the number up again
        if result.ok:
            job.document = result.record(ENTITY_BY_KIND[job.draft.kind].record)
            job.created = True
        elif not _uncertain(result.status):
            _fail(job, result.error or BCError("Unknown error", status=result.status))


def _total_check(job: DocumentJob, *, base_currency: str) -> None:
    """BC computed VAT itself: its total must equal the shop's within the currency's rounding.

    A blank document currency is BC's local currency, the integration's base currency."""
    document = job.document
    if document is None or job.error is not None or job.total_mismatch is not None:
        return
    currency = job.draft.currency_code or base_currency
    expected = job.draft.expected_total
    actual = document.total_amount_including_tax
    tolerance = total_tolerance(currency=currency, line_count=len(job.draft.lines))
    if abs(actual - expected) <= tolerance:
        return
    job.total_mismatch = {
        "bc_total": str(actual),
        "shop_total": str(expected),
        "difference": str(actual - expected),
        "currency": currency,
    }
    if job.needs_action:
        # Never post a document whose amounts disagree with the shop: it stays a draft to fix.
        job.error = classify_exception(
            ProductError(codes.TOTAL_MISMATCH, order=job.draft.external_document_number, **job.total_mismatch)
        )


def _needs_dimensions(job: DocumentJob) -> bool:
    """Dimensions go on a document that is still open to change: a draft, or a sales order not yet invoiced."""
    if not job.draft.dimensions or job.dimensions_done or job.document is None or job.error is not None:
        return False
    if job.draft.kind == DocumentKind.ORDER:
        return job.invoice is None
    return job.document.status == DRAFT


def _dimensions(*, client, jobs: list[DocumentJob]) -> None:
    """Put each document's header dimensions on it before it is posted, exactly once.

    One $batch reads the dimension set lines of every document (what is there is never sent again),
    one $batch adds the missing ones. A refusal fails the job and leaves the document a draft to fix;
    an unknown outcome is read again in the next round."""
    todo = [job for job in jobs if _needs_dimensions(job)]
    if not todo:
        return
    reads = [
        client.batch_get(entities.DIMENSION_SET_LINES, parent=(ENTITY_BY_KIND[job.draft.kind], job.document_id))
        for job in todo
    ]
    try:
        results = client.batch(reads)
    except BCError:
        return
    writes, owners = [], []
    for job, result in zip(todo, results, strict=True):
        if not result.ok:
            if not _uncertain(result.status):
                _fail(job, result.error or BCError("Dimensions could not be read.", status=result.status))
            continue
        present = {str(row.get("code") or "").upper() for row in (result.body or {}).get("value", [])}
        missing = [(code, value) for code, value in job.draft.dimensions if code.upper() not in present]
        if not missing:
            job.dimensions_done = True
            continue
        for code, value in missing:
            fitted = payload_fit(entities.DIMENSION_SET_LINES.name, {"code": code, "valueCode": value})
            writes.append(
                client.batch_create(
                    entities.DIMENSION_SET_LINES,
                    fitted.payload,
                    parent=(ENTITY_BY_KIND[job.draft.kind], job.document_id),
                )
            )
            owners.append(job)
    if not writes:
        return
    try:
        results = client.batch(writes)
    except BCError:
        return
    uncertain: set[int] = set()
    for job, result in zip(owners, results, strict=True):
        if result.ok:
            continue
        if _uncertain(result.status):
            uncertain.add(id(job))
        elif job.error is None:
            _fail(job, result.error or BCError("Dimension refused.", status=result.status))
    for job in {id(job): job for job in owners}.values():
        if job.error is None and id(job) not in uncertain:
            job.dimensions_done = True


def _act(*, client, jobs: list[DocumentJob], sending: Sending) -> None:
    operations = [
        client.batch_action(ENTITY_BY_KIND[job.draft.kind], job.document_id, ACTION_BY_KIND[job.draft.kind])
        for job in jobs
    ]
    outcomes = batches_send(client=client, operations=operations, lanes=sending.lanes, batch_size=sending.batch_size)
    failures = {}
    for job, result in zip(jobs, outcomes, strict=True):
        if not isinstance(result, BCError) and not result.ok and not _uncertain(result.status):
            failures[job.key] = result.error
    _reread(client=client, jobs=jobs)
    for job in jobs:
        # A business refusal stays final unless the re-read shows the action took effect anyway.
        if job.needs_action and job.key in failures:
            _fail(job, failures[job.key] or BCError("Action failed"))


def _reread(*, client, jobs: list[DocumentJob]) -> None:
    """Fetch the documents again: posting changes the number and the status.

    Read by external document number (one range read for a page of consecutive order names, see
    the client), matched by id. A sales order missing from the answer was shipped and invoiced:
    its posted invoice is looked up by the external document number."""
    by_kind: dict[DocumentKind, list[DocumentJob]] = {}
    for job in jobs:
        by_kind.setdefault(job.draft.kind, []).append(job)
    gone = []
    for kind, group in by_kind.items():
        entity = ENTITY_BY_KIND[kind]
        by_id = {job.document_id: job for job in group}
        seen: set[str] = set()
        try:
            found = client.find_by_external_document_numbers(
                entity, [job.draft.external_document_number for job in group]
            )
        except BCError:
            continue  # unknown: the posting is confirmed (or not) by the next round's re-read
        for records in found.values():
            for record in records:
                matched = by_id.get(record.id)
                if matched is not None:
                    matched.document = record
                    seen.add(record.id)
        if kind == DocumentKind.ORDER:
            gone += [job for job in group if job.document_id not in seen]
    if gone:
        found = client.find_by_external_document_numbers(
            entities.SALES_INVOICES, [job.draft.external_document_number for job in gone]
        )
        for job in gone:
            matches = found.get(job.draft.external_document_number)
            if matches:
                job.invoice = matches[0]


def documents_write(
    *,
    client,
    jobs: Iterable[DocumentJob],
    base_currency: str,
    checkpoint: Checkpoint | None = None,
    sending: Sending = Sending(),  # noqa: B008 - frozen
) -> list[DocumentJob]:
    """Create, check and post; returns the jobs with their outcome (document, invoice or error).

    ``base_currency`` is BC's local currency (the integration's), whose documents carry a blank code."""
    jobs = list(jobs)
    last_error: BaseException | None = None
    for _round in range(MAX_ROUNDS):
        todo = [job for job in jobs if job.document is None and job.error is None]
        if not todo:
            break
        try:
            _lookup(client=client, jobs=todo)
        except BCError as exc:
            last_error = exc
            continue
        missing = [job for job in todo if job.document is None]
        if missing:
            _create(client=client, jobs=missing, sending=sending)
            if checkpoint:
                checkpoint("created", jobs)
    for job in jobs:
        if job.document is None and job.error is None:
            _fail(job, last_error or BCError("Business Central did not confirm the document.", status=503))
        _total_check(job, base_currency=base_currency)
    for _round in range(MAX_ROUNDS):
        if not any(_needs_dimensions(job) for job in jobs):
            break
        _dimensions(client=client, jobs=jobs)
    for job in jobs:
        if _needs_dimensions(job):
            _fail(job, BCError("Business Central did not confirm the document's dimensions.", status=503))
    for _round in range(MAX_ROUNDS):
        todo = [job for job in jobs if job.needs_action]
        if not todo:
            break
        _act(client=client, jobs=todo, sending=sending)
    for job in jobs:
        if job.needs_action:
            _fail(job, BCError("Business Central did not confirm the posting.", status=503))
    return jobs
