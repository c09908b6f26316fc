"""The reconciliation report of one payout (no BC call) and its CSV.

The totals check: the provider's transactions add up to what it paid out. The zero check: the
clearing account moves by exactly zero (the transfer to the bank included), or, without a booked
transfer, by exactly the payout's net, which the bank statement then clears. Once the payout is
posted the zero check is BC's: the clearing account's G/L entries of the payout as read back from
BC after posting (``Payout.clearing_ledger_balance``, LCY; syncs/payouts/ledger.py); before that it
is the booked lines' own sum in the payout's currency, marked as not yet confirmed by BC.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from syncs.errors import ProductError
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.configuration import payout_configuration_find
from syncs.payouts.ledger import expected_balance
from syncs.payouts.posting import FEES_TAG, TRANSFER_TAG, payout_reference

MappedType = PayoutTransaction.MappedType
MatchState = PayoutTransaction.MatchState
ZERO = Decimal("0")
CSV_COLUMNS = (
    "provider",
    "payout",
    "transaction",
    "raw_type",
    "mapped_type",
    "order_reference",
    "source_reference",
    "amount",
    "fee",
    "net",
    "currency",
    "state",
    "bc_document",
    "error_code",
    "error_message",
    "category",
)


@dataclass
class PayoutReport:
    payout: Payout
    reference: str
    clearing_account: str = ""
    journal_batch: str = ""  # the configuration's customer payment journal batch
    matched: list[PayoutTransaction] = field(default_factory=list)
    unmatched: list[PayoutTransaction] = field(default_factory=list)
    refunds: list[PayoutTransaction] = field(default_factory=list)
    adjustments: list[PayoutTransaction] = field(default_factory=list)
    unknown: list[PayoutTransaction] = field(default_factory=list)
    other: list[PayoutTransaction] = field(default_factory=list)  # the payout's own and fee transactions
    charges_total: Decimal = ZERO
    refunds_total: Decimal = ZERO
    adjustments_total: Decimal = ZERO
    unknown_total: Decimal = ZERO
    transactions_net: Decimal = ZERO
    fees_booked: bool = False
    transfer_booked: bool = False
    clearing_movement: Decimal = ZERO
    clearing_residual: Decimal = ZERO
    from_ledger: bool = False  # the zero check is BC's ledger read back after posting

    @property
    def fees(self) -> Decimal:
        return self.payout.fees

    @property
    def net(self) -> Decimal:
        return self.payout.amount

    @property
    def totals_ok(self) -> bool:
        return self.transactions_net == self.net

    @property
    def clearing_zero(self) -> bool:
        return self.clearing_residual == ZERO

    @property
    def totals_error(self) -> str:
        if self.totals_ok:
            return ""
        return ProductError("PAY-008", payout=self.reference, total=self.transactions_net, net=self.net).message

    @property
    def clearing_error(self) -> str:
        if self.clearing_zero:
            return ""
        return ProductError(
            "PAY-005", payout=self.reference, account=self.clearing_account or "-", difference=self.clearing_residual
        ).message


def payout_report(*, payout: Payout) -> PayoutReport:
    accounts = payout_configuration_find(payout=payout)
    report = PayoutReport(
        payout=payout,
        reference=payout_reference(payout),
        clearing_account=accounts.clearing_account if accounts else "",
        journal_batch=accounts.batch_code if accounts else "",
    )
    booked = payout.booked_lines or {}
    for row in payout.transactions.order_by("pk"):
        if row.mapped_type != MappedType.PAYOUT:
            report.transactions_net += row.net
        is_booked = row.match_state == MatchState.BOOKED
        if row.mapped_type == MappedType.CHARGE:
            report.charges_total += row.amount
            (report.matched if row.match_state in (MatchState.MATCHED, MatchState.BOOKED) else report.unmatched).append(
                row
            )
        elif row.mapped_type == MappedType.REFUND:
            report.refunds_total += row.amount
            report.refunds.append(row)
        elif row.mapped_type == MappedType.ADJUSTMENT:
            report.adjustments_total += row.amount
            report.adjustments.append(row)
        elif row.mapped_type == MappedType.UNKNOWN:
            report.unknown_total += row.amount
            report.unknown.append(row)
        else:
            report.other.append(row)
        if is_booked:
            report.clearing_movement += row.amount
    report.fees_booked = FEES_TAG in booked or not payout.fees
    report.transfer_booked = TRANSFER_TAG in booked
    if FEES_TAG in booked:
        report.clearing_movement -= payout.fees
    if report.transfer_booked:
        report.clearing_movement -= payout.amount
    report.clearing_residual = report.clearing_movement - (ZERO if report.transfer_booked else payout.amount)
    if payout.clearing_ledger_checked_at is not None and payout.clearing_ledger_balance is not None:
        expected = expected_balance(payout=payout, transfer_booked=report.transfer_booked)
        if expected is not None:
            report.clearing_residual = payout.clearing_ledger_balance - expected
            report.from_ledger = True
    return report


def payout_report_csv(*, payout: Payout) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    reference = payout_reference(payout)
    for row in payout.transactions.order_by("pk"):
        writer.writerow(
            [
                payout.provider,
                reference,
                row.provider_transaction_id,
                row.raw_type,
                row.mapped_type,
                row.order_reference,
                row.source_reference,
                row.amount,
                row.fee,
                row.net,
                row.currency,
                row.match_state,
                row.bc_document_number,
                row.error_code,
                row.error_message,
                row.category,
            ]
        )
    return out.getvalue()
