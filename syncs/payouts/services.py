"""Entry points for payouts: stage from a provider, book one payout, re-book after a fix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from integrations.connectors.businesscentral import BCAmbiguousWriteError, BCError, PageNotPublished
from integrations.models import Flow, Integration, PayoutAccountMapping
from syncs.errors import ProductError, classify_exception
from syncs.models import Payout, PayoutTransaction, SyncCursor
from syncs.payouts.configuration import payout_configuration_get
from syncs.payouts.ledger import (
    FX_ROUNDING_TAG,
    ZERO,
    clearing_ledger_read,
    expected_balance,
    fx_rounding_line,
    fx_tolerance,
)
from syncs.payouts.matching import payout_match
from syncs.payouts.posting import (
    TRANSFER_TAG,
    PlannedLine,
    booking_reference,
    journals_resolve,
    line_operation,
    line_write_with_currency,
    lines_existing,
    lines_plan,
    payout_reference,
    transaction_tag,
)
from syncs.payouts.providers.base import PayoutProvider
from syncs.payouts.staging import payouts_stage
from syncs.services.batches import Lanes, batches_send, lanes_for
from syncs.services.dispatch import flow_enqueue

MappedType = PayoutTransaction.MappedType
MatchState = PayoutTransaction.MatchState
BookingState = Payout.BookingState
BOOKABLE = (MappedType.CHARGE, MappedType.REFUND, MappedType.ADJUSTMENT)


@dataclass
class BookResult:
    written: int = 0
    already: int = 0
    failed: int = 0
    unmatched: int = 0
    posted: bool = False
    error_code: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.failed or self.unmatched or self.error_code)


@dataclass
class PayoutsSyncResult:
    seen: int = 0
    booked: int = 0
    incomplete: int = 0
    failed: int = 0
    lines_written: int = 0


def _payout_fail(*, payout: Payout, error: BaseException) -> BookResult:
    classified = classify_exception(error)
    payout.booking_state = BookingState.FAILED
    payout.last_error_code = classified.code
    payout.last_error_message = classified.message
    payout.save(update_fields=["booking_state", "last_error_code", "last_error_message", "updated_at"])
    return BookResult(error_code=classified.code, errors=[classified.message])


def _mark_unknown(rows: list[PayoutTransaction]) -> int:
    """Unknown types stay staged with their raw type and are reported; they are never booked."""
    unknown = [row for row in rows if row.mapped_type == MappedType.UNKNOWN]
    for row in unknown:
        error = classify_exception(ProductError("PAY-004", raw_type=row.raw_type))
        row.match_state, row.error_code, row.error_message = MatchState.UNMATCHED, error.code, error.message
    PayoutTransaction.objects.bulk_update(unknown, ["match_state", "error_code", "error_message"])
    return len(unknown)


def payout_book(*, payout: Payout, bc_client) -> BookResult:
    """Match and write the payout's missing journal lines; post them when the integration says so.

    Safe to call again at any time: lines already written (in the journal, or recorded as booked
    once posted) are never written twice.
    """
    integration = payout.integration
    if payout.status != Payout.Status.PAID or payout.booking_state == BookingState.POSTED:
        return BookResult()
    lcy = integration.base_currency.upper()
    foreign = payout.currency.upper() if payout.currency.upper() != lcy else ""
    try:
        accounts = payout_configuration_get(payout=payout)
        journals = journals_resolve(bc_client=bc_client, configuration=accounts)
        match = payout_match(payout=payout, bc_client=bc_client, lcy=lcy)
        rows = list(payout.transactions.all())
        planned = lines_plan(
            payout=payout,
            rows=rows,
            facts=match.facts,
            accounts=accounts,
            book_transfer=integration.book_payout_transfer,
            rounding_account=integration.rounding_gl_account,
            currency=foreign,
        )
        reference = booking_reference(payout)
        in_journal = lines_existing(bc_client=bc_client, journals=journals, reference=reference)
    except (ProductError, BCError) as error:
        return _payout_fail(payout=payout, error=error)

    result = BookResult(unmatched=_mark_unknown(rows))
    booked = {**(payout.booked_lines or {}), **in_journal}  # BC may hold lines we never heard back about
    todo = [line for line in planned if line.tag not in booked]
    result.already = len(planned) - len(todo)
    line_errors: dict[str, str] = {}
    _lines_write(
        bc_client=bc_client,
        todo=todo,
        journals=journals,
        reference=reference,
        posting_date=payout.arrival_date,
        booked=booked,
        in_journal=in_journal,
        line_errors=line_errors,
        result=result,
        lcy=lcy,
        lanes=lanes_for(integration=integration),
    )
    _rows_update(rows=rows, booked=booked, line_errors=line_errors, planned=planned)
    result.unmatched += sum(
        1 for row in rows if row.mapped_type in BOOKABLE and row.match_state == MatchState.UNMATCHED and row.amount
    )
    if accounts.post_journal:
        result.posted = _journals_post(
            bc_client=bc_client, journals=journals, planned=planned, in_journal=in_journal, result=result
        )
    payout.booked_lines = booked
    if result.posted and result.complete:
        _ledger_check(
            bc_client=bc_client,
            payout=payout,
            accounts=accounts,
            journals=journals,
            planned=planned,
            reference=reference,
            result=result,
        )
    _payout_state_save(payout=payout, booked=payout.booked_lines, result=result, rows=rows, line_errors=line_errors)
    _ledger_residual_report(payout=payout, clearing_account=accounts.clearing_account)
    return result


def _ledger_residual_report(*, payout: Payout, clearing_account: str) -> None:
    """A posted payout whose clearing account BC's ledger shows off zero keeps PAY-005 with BC's
    figure (loud, on the payouts list), though nothing is left for the product to write."""
    if payout.booking_state != BookingState.POSTED or payout.clearing_ledger_balance is None:
        return
    expected = expected_balance(payout=payout, transfer_booked=TRANSFER_TAG in (payout.booked_lines or {}))
    if expected is None or payout.clearing_ledger_balance == expected:
        return
    error = classify_exception(
        ProductError(
            "PAY-005",
            payout=payout_reference(payout),
            account=clearing_account,
            difference=payout.clearing_ledger_balance - expected,
        )
    )
    payout.last_error_code, payout.last_error_message = error.code, error.message
    payout.save(update_fields=["last_error_code", "last_error_message", "updated_at"])


def _lines_write(
    *,
    bc_client,
    todo: list[PlannedLine],
    journals,
    reference: str,
    posting_date,
    booked: dict,
    in_journal: dict,
    line_errors: dict[str, str],
    result: BookResult,
    lcy: str,
    lanes: Lanes,
) -> None:
    """Lines in LCY and customer payments in $batch requests (up to ``lanes.width`` at once); general
    journal lines in a foreign currency one by one through the General Journal page (the only way to
    set their Currency Code). A request whose answer was lost leaves its lines unbooked here, and the
    next run finds them in the journal before writing again."""
    batched = [line for line in todo if not (line.currency and line.kind == "journal")]
    if batched:
        operations = [
            line_operation(
                bc_client=bc_client, line=line, journals=journals, reference=reference, posting_date=posting_date
            )
            for line in batched
        ]
        outcomes = batches_send(client=bc_client, operations=operations, lanes=lanes)
        for line, outcome in zip(batched, outcomes, strict=True):
            if isinstance(outcome, BCError):
                error = classify_exception(outcome)
                line_errors[line.tag] = f"{error.code}|{error.message}"
                result.failed += 1
            elif outcome.ok:
                booked[line.tag] = (outcome.body or {}).get("id", "")
                in_journal[line.tag] = booked[line.tag]
                result.written += 1
            else:
                error = classify_exception(outcome.error or BCError("Business Central rejected the line."))
                line_errors[line.tag] = f"{error.code}|{error.message}"
                result.failed += 1
    for line in todo:
        if line in batched:
            continue
        try:
            try:
                booked[line.tag] = line_write_with_currency(
                    bc_client=bc_client, line=line, journals=journals, reference=reference, posting_date=posting_date
                )
            except PageNotPublished:
                raise ProductError("PAY-007", payout=reference, currency=line.currency, lcy=lcy) from None
        except (ProductError, BCError) as exc:
            error = classify_exception(exc)
            line_errors[line.tag] = f"{error.code}|{error.message}"
            result.failed += 1
            if isinstance(exc, BCAmbiguousWriteError):
                break  # BC may hold the line: the next run finds it in the journal before writing again
            continue
        in_journal[line.tag] = booked[line.tag]
        result.written += 1


def _ledger_check(
    *,
    bc_client,
    payout: Payout,
    accounts: PayoutAccountMapping,
    journals,
    planned: list[PlannedLine],
    reference: str,
    result: BookResult,
) -> None:
    """Read the payout's entries on the clearing account back from BC after posting; a foreign-currency
    payout's LCY conversion difference within the tolerance is booked to the rounding account and
    posted, then read again. The balance BC holds is what the report shows (PAY-005 if not zero)."""
    booked = payout.booked_lines
    try:
        check = clearing_ledger_read(bc_client=bc_client, payout=payout, clearing_account=accounts.clearing_account)
        expected = expected_balance(payout=payout, transfer_booked=TRANSFER_TAG in booked)
        difference = check.balance - expected if expected is not None else ZERO
        foreign = payout.currency.upper() != payout.integration.base_currency.upper()
        rounding_account = payout.integration.rounding_gl_account
        if (
            foreign
            and difference
            and FX_ROUNDING_TAG not in booked
            and rounding_account
            and abs(difference) <= fx_tolerance(payout=payout, lines=len(planned))
        ):
            line = fx_rounding_line(
                payout=payout,
                difference=difference,
                rounding_account=rounding_account,
                clearing_account=accounts.clearing_account,
            )
            operation = line_operation(
                bc_client=bc_client, line=line, journals=journals, reference=reference, posting_date=payout.arrival_date
            )
            outcome = bc_client.batch([operation])[0]
            if not outcome.ok:
                raise outcome.error or BCError("Business Central rejected the line.")
            booked[FX_ROUNDING_TAG] = (outcome.body or {}).get("id", "")
            bc_client.post_journal(journals.general_id)
            check = clearing_ledger_read(bc_client=bc_client, payout=payout, clearing_account=accounts.clearing_account)
    except BCError as error:
        classified = classify_exception(error)
        result.errors.append(f"{classified.code}: {classified.message}")
        result.error_code = classified.code
        return
    payout.clearing_ledger_balance = check.balance
    payout.clearing_ledger_checked_at = timezone.now()


def _rows_update(
    *, rows: list[PayoutTransaction], booked: dict[str, str], line_errors: dict[str, str], planned: list[PlannedLine]
) -> None:
    # A charge with a rounding line is booked once both its lines are.
    extra_tags: dict[int, list[str]] = {}
    for line in planned:
        if line.transaction_id is not None:
            extra_tags.setdefault(line.transaction_id, []).append(line.tag)
    changed = []
    for row in rows:
        tag = transaction_tag(row)
        if row.mapped_type not in BOOKABLE:
            continue
        if tag in booked and all(other in booked for other in extra_tags.get(row.pk, [])):
            row.match_state, row.bc_line_id = MatchState.BOOKED, booked[tag] or row.bc_line_id
            row.error_code = row.error_message = ""
            changed.append(row)
        elif error := next((line_errors[t] for t in [tag, *extra_tags.get(row.pk, [])] if t in line_errors), None):
            row.error_code, row.error_message = error.split("|", 1)
            changed.append(row)
    PayoutTransaction.objects.bulk_update(changed, ["match_state", "bc_line_id", "error_code", "error_message"])


def _journals_post(*, bc_client, journals, planned: list[PlannedLine], in_journal: dict, result: BookResult) -> bool:
    """Post the batches that hold lines of this payout; none left there means they were posted."""
    kinds = {line.kind for line in planned if line.tag in in_journal}
    if FX_ROUNDING_TAG in in_journal:  # written after an earlier posting, not posted yet
        kinds.add("journal")
    targets = [journals.payment_id] if "payment" in kinds else []
    if "journal" in kinds:
        targets.append(journals.general_id)
    try:
        for journal_id in targets:
            bc_client.post_journal(journal_id)
    except BCError as error:
        classified = classify_exception(error)
        result.errors.append(f"{classified.code}: {classified.message}")
        result.error_code = classified.code
        return False
    return True


def _payout_state_save(
    *, payout: Payout, booked: dict, result: BookResult, rows: list[PayoutTransaction], line_errors: dict
) -> None:
    payout.booked_lines = booked
    complete = result.complete
    if complete:
        payout.booking_state = BookingState.POSTED if result.posted else BookingState.BOOKED
        payout.booked_at = payout.booked_at or timezone.now()
        payout.last_error_code = payout.last_error_message = ""
    else:
        payout.booking_state = BookingState.PARTIAL if booked else BookingState.NEW
        first = next((row for row in rows if row.error_code), None)
        if result.error_code:
            payout.last_error_code, payout.last_error_message = result.error_code, "; ".join(result.errors)
        elif first is not None:
            payout.last_error_code, payout.last_error_message = first.error_code, first.error_message
        elif line_errors:
            code, message = next(iter(line_errors.values())).split("|", 1)
            payout.last_error_code, payout.last_error_message = code, message
    payout.save()


def payouts_sync(
    *,
    integration: Integration,
    provider: PayoutProvider,
    bc_client,
    since: dt.datetime | None,
) -> PayoutsSyncResult:
    """Stage the provider's payouts since ``since`` and book every paid one not yet booked."""
    stage, to_book = payouts_stage(integration=integration, provider=provider, since=since)
    result = PayoutsSyncResult(seen=stage.seen)
    for payout in to_book:
        _tally(result, payout_book(payout=payout, bc_client=bc_client))
    return result


def payouts_rebook(*, integration: Integration, payout_ids: list[int], bc_client) -> PayoutsSyncResult:
    """Match and book the given payouts again (after a mapping or an order was fixed)."""
    result = PayoutsSyncResult()
    for payout in Payout.objects.filter(integration=integration, pk__in=payout_ids).order_by("pk"):
        result.seen += 1
        _tally(result, payout_book(payout=payout, bc_client=bc_client))
    return result


def _tally(result: PayoutsSyncResult, booked: BookResult) -> None:
    result.lines_written += booked.written
    if booked.error_code and not booked.written:
        result.failed += 1
    elif booked.complete:
        result.booked += 1
    else:
        result.incomplete += 1


# A payout is listed when created but booked only once paid, days later: read back generously.
CURSOR_OVERLAP = dt.timedelta(days=14)
FIRST_RUN_WINDOW = dt.timedelta(days=30)


def payouts_since(*, integration: Integration, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    cursor = SyncCursor.objects.filter(integration=integration, flow=Flow.PAYOUTS).first()
    if cursor and cursor.last_loaded_at:
        return cursor.last_loaded_at - CURSOR_OVERLAP
    return max(filter(None, [integration.order_exclusion_date, now - FIRST_RUN_WINDOW]))


def payouts_retry(*, payout_ids: list[int], trigger: str = "retry") -> list:
    """Queue one payouts run per integration that re-matches and books the given payouts."""

    by_integration: dict[int, list[int]] = {}
    for payout_id, integration_id in Payout.objects.filter(pk__in=payout_ids).values_list("pk", "integration_id"):
        by_integration.setdefault(integration_id, []).append(payout_id)
    return [
        flow_enqueue(integration_id=integration_id, flow=Flow.PAYOUTS, trigger=trigger, parameters={"payout_ids": ids})
        for integration_id, ids in sorted(by_integration.items())
    ]
