"""Adyen through its settlement details reports (one connection per merchant account / market).

One report is one payout batch: payout id ``{merchantAccount}-{batch}``, its MerchantPayout line
the transfer to the bank (no such line: nothing was paid out, the payout stays pending). Each
line's ``Merchant Reference`` is the shop's payment reference (the order name) the charge or refund
is matched by. Amounts are in the net (settlement) currency: net = Net Credit - Net Debit, fee =
Commission + Markup + Scheme Fees + Interchange (+ Payment Fees), amount = net + fee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings

from integrations.connectors.adyen import (
    AdyenReportNotFound,
    SettlementLine,
    adyen_reports_client,
    batch_of,
    report_file_name,
)
from integrations.crypto import reveal
from syncs.payouts.adyen_reports import adyen_last_batch, adyen_payout_id, adyen_reports_pending
from syncs.payouts.categories import Category, posting_type
from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

# Every value of the report's Type column.
CATEGORY_BY_TYPE: dict[str, str] = {
    "Settled": Category.CHARGE,
    "Refunded": Category.REFUND,
    "RefundedReversed": Category.REFUND_FAILURE,
    "Chargeback": Category.DISPUTE,
    "SecondChargeback": Category.DISPUTE,
    "ChargebackReversed": Category.DISPUTE_REVERSAL,
    "Fee": Category.FEE,
    "MiscCosts": Category.FEE,
    "PaymentCost": Category.FEE,
    "InvoiceDeduction": Category.FEE,
    "MerchantPayout": Category.TRANSFER,
    "BankInstructionReturned": Category.PAYOUT_REVERSAL,
    "DepositCorrection": Category.ADJUSTMENT,
    "MatchedStatement": Category.ADJUSTMENT,
    "ManualCorrected": Category.ADJUSTMENT,
    "EpaPaid": Category.ADJUSTMENT,
    "Balancetransfer": Category.ADJUSTMENT,
    "PaidOut": Category.ADJUSTMENT,
    "PaidOutReversed": Category.ADJUSTMENT,
}
ORDER_TYPES = frozenset(
    {"Settled", "Refunded", "RefundedReversed", "Chargeback", "SecondChargeback", "ChargebackReversed"}
)
PROBE_AHEAD = 3  # batches tried after the last one staged when no notification announced them


def category_of(record_type: str) -> str:
    return CATEGORY_BY_TYPE.get(record_type, Category.UNKNOWN)


@register_provider
class AdyenProvider(PayoutProvider):
    name = "adyen"

    def __init__(self, client: Any, *, announced: Iterable[str] = (), last_batch: int = 0) -> None:
        self.client = client
        self.announced = list(announced)
        self.last_batch = last_batch
        self._lines: dict[str, list[SettlementLine]] = {}

    @classmethod
    def for_connection(cls, connection: Any, *, client: Any = None) -> AdyenProvider:
        if client is None:
            secret = reveal(connection.api_key)
            client = adyen_reports_client(
                merchant_account=connection.account_id,
                username=connection.username,
                password=secret if connection.username else "",
                api_key="" if connection.username else secret,
                environment=connection.environment or "live",
                root=settings.ADYEN_REPORTS_ROOT,
            )
        return cls(
            client,
            announced=adyen_reports_pending(connection=connection),
            last_batch=adyen_last_batch(connection=connection),
        )

    def _report_names(self) -> Iterator[str]:
        seen: set[int] = set()
        for name in self.announced:
            seen.add(batch_of(name) or 0)
            yield name
        batch = self.last_batch
        misses = 0
        while misses < PROBE_AHEAD:
            batch += 1
            if batch in seen:
                continue
            name = report_file_name(batch)
            try:
                self._lines[name] = self.client.settlement_report(name)
            except AdyenReportNotFound:
                misses += 1
                continue
            misses = 0
            yield name

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]:
        for name in self._report_names():
            lines = self._lines.get(name)
            if lines is None:
                try:
                    lines = self._lines[name] = self.client.settlement_report(name)
                except AdyenReportNotFound:
                    continue  # announced but not downloadable yet: the next run tries again
            yield self._payout(name, lines)

    def _payout(self, name: str, lines: list[SettlementLine]) -> ProviderPayout:
        transfer = next((line for line in lines if line.record_type == "MerchantPayout"), None)
        first = transfer or (lines[0] if lines else None)
        currency = first.net_currency if first else ""
        return ProviderPayout(
            id=adyen_payout_id(merchant_account=self.client.merchant_account, batch=batch_of(name) or 0),
            status=PayoutStatus.PAID if transfer else PayoutStatus.PENDING,
            currency=currency,
            amount=-transfer.net if transfer else sum((line.net for line in lines), Decimal(0)),
            arrival_date=transfer.creation_date.date() if transfer and transfer.creation_date else None,
            raw={"report": name, "lines": len(lines)},
        )

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        name = payout.raw["report"]
        lines = self._lines.get(name) or self.client.settlement_report(name)
        rows = []
        for line in lines:
            category = category_of(line.record_type)
            rows.append(
                ProviderTransaction(
                    id=f"{payout.id}-{line.line_number}",
                    raw_type=line.record_type,
                    category=category,
                    mapped_type=posting_type(category),
                    amount=line.gross,
                    fee=line.fees,
                    net=line.net,
                    currency=line.net_currency or payout.currency,
                    order_reference=self.order_reference(line),
                    source_reference=line.psp_reference or line.modification_reference,
                    raw=line.raw,
                )
            )
        return rows

    def order_reference(self, raw_transaction: Any) -> str:
        if raw_transaction.record_type not in ORDER_TYPES:
            return ""
        return raw_transaction.merchant_reference
