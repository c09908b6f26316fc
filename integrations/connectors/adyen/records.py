"""Settlement details report lines as dataclasses, parsed by header name (never by position).

Adyen's layout differs between its legacy and its migrated platform, and merchants can add or
reorder columns, so only the header names are relied on. Amounts are decimals in major units;
debit and credit columns hold one side each, empty when not applicable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from integrations.connectors.adyen.exceptions import AdyenReportFormatError

REQUIRED_COLUMNS = ("Merchant Account", "Psp Reference", "Merchant Reference", "Type", "Net Currency")
FEE_COLUMNS = ("Commission (NC)", "Markup (NC)", "Scheme Fees (NC)", "Interchange (NC)", "Payment Fees (NC)")
# Record types that belong to the batch rather than to one payment.
BATCH_LEVEL_TYPES = frozenset({"Fee", "MiscCosts", "MerchantPayout", "DepositCorrection", "InvoiceDeduction"})


def _decimal(value: str | None) -> Decimal:
    try:
        return Decimal((value or "").strip() or "0")
    except InvalidOperation:
        raise AdyenReportFormatError(f"Not an amount: {value!r}.") from None


@dataclass(frozen=True)
class SettlementLine:
    line_number: int
    record_type: str
    merchant_account: str
    psp_reference: str
    merchant_reference: str
    modification_reference: str
    payment_method: str
    creation_date: dt.datetime | None
    gross_currency: str
    gross_debit: Decimal
    gross_credit: Decimal
    net_currency: str
    net_debit: Decimal
    net_credit: Decimal
    fees: Decimal  # commission + markup + scheme fees + interchange (+ payment fees), in the net currency
    batch_number: str
    raw: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def net(self) -> Decimal:
        """What the line adds to (or takes from) the payout."""
        return self.net_credit - self.net_debit

    @property
    def gross(self) -> Decimal:
        """The line's amount before Adyen's costs, in the net currency."""
        return self.net + self.fees


def parse_report(text: str) -> list[SettlementLine]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise AdyenReportFormatError(f"Not a settlement details report: missing columns {', '.join(missing)}.")
    lines = []
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values()):
            continue
        created = (row.get("Creation Date") or "").strip()
        lines.append(
            SettlementLine(
                line_number=number,
                record_type=(row.get("Type") or "").strip(),
                merchant_account=(row.get("Merchant Account") or "").strip(),
                psp_reference=(row.get("Psp Reference") or "").strip(),
                merchant_reference=(row.get("Merchant Reference") or "").strip(),
                modification_reference=(row.get("Modification Reference") or "").strip(),
                payment_method=(row.get("Payment Method") or "").strip(),
                creation_date=dt.datetime.strptime(created, "%Y-%m-%d %H:%M:%S") if created else None,
                gross_currency=(row.get("Gross Currency") or "").strip().upper(),
                gross_debit=_decimal(row.get("Gross Debit (GC)")),
                gross_credit=_decimal(row.get("Gross Credit (GC)")),
                net_currency=(row.get("Net Currency") or "").strip().upper(),
                net_debit=_decimal(row.get("Net Debit (NC)")),
                net_credit=_decimal(row.get("Net Credit (NC)")),
                fees=sum((_decimal(row.get(name)) for name in FEE_COLUMNS), Decimal("0")),
                batch_number=(row.get("Batch Number") or "").strip(),
                raw={key: value for key, value in row.items() if key},
            )
        )
    return lines
