"""The zero check from BC's own ledger: the clearing account's G/L entries of one payout, read back
after posting (API v2.0 generalLedgerEntries), not the product's own sums.

Entries are found by the clearing account, the payout's posting date and the payout reference in
their description (every line's description starts "<provider> <reference> ..." and ends with its
tag; BC copies a journal line's description to its G/L entries). Amounts are BC's: debit minus
credit in LCY (the page shows no transaction-currency amounts).

A payout in a foreign currency is converted by BC line by line at the posting date's rate, so the
clearing account can end a few öre off zero in LCY although it is exactly zero in the payout's
currency. ``fx_rounding_line`` books that difference on the rounding account, in LCY, balancing
against the clearing account, when it is within the tolerance: the integration's payment rounding
tolerance, and never less than one LCY rounding unit per line BC converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from integrations.connectors.businesscentral import entities, odata
from integrations.connectors.businesscentral.codec import ACCOUNT_TYPE_GL
from syncs.mapping.currency import currency_precision, money_round
from syncs.models import Payout
from syncs.payouts.posting import PlannedLine, payout_reference, tag_of

FX_ROUNDING_TAG = "fx-rounding"
ZERO = Decimal("0")


@dataclass
class LedgerCheck:
    balance: Decimal = ZERO  # debit - credit of the payout's entries on the clearing account, LCY
    entries: int = 0
    tags: set[str] = field(default_factory=set)


def clearing_ledger_read(*, bc_client, payout: Payout, clearing_account: str) -> LedgerCheck:
    """The payout's G/L entries on the clearing account, as BC posted them."""
    reference = payout_reference(payout)
    clauses = [odata.eq("accountNumber", clearing_account)]
    if payout.arrival_date:
        clauses.append(odata.eq("postingDate", payout.arrival_date))
    check = LedgerCheck()
    booked = set(payout.booked_lines or {})
    for entry in bc_client.iter_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.all_of(*clauses)):
        description = entry.description or ""
        if f" {reference} " not in f" {description} " or tag_of(description) not in booked:
            continue
        check.balance += entry.debit_amount - entry.credit_amount
        check.entries += 1
        check.tags.add(tag_of(description))
    check.balance = money_round(check.balance, payout.integration.base_currency)
    return check


def expected_balance(*, payout: Payout, transfer_booked: bool) -> Decimal | None:
    """What the clearing account must hold for the payout: zero once the transfer is booked; the net
    when it is not (the bank statement clears it); unknown (None) in LCY for a foreign payout without
    a transfer line, whose LCY value BC computes."""
    if transfer_booked:
        return ZERO
    if payout.currency.upper() == payout.integration.base_currency.upper():
        return payout.amount
    return None


def fx_tolerance(*, payout: Payout, lines: int) -> Decimal:
    unit = currency_precision(payout.integration.base_currency)
    return max(payout.integration.payment_rounding_tolerance or ZERO, unit * max(lines, 1))


def fx_rounding_line(
    *, payout: Payout, difference: Decimal, rounding_account: str, clearing_account: str
) -> PlannedLine:
    """An LCY line moving ``difference`` (the clearing account's LCY balance) to the rounding account."""
    label = payout.get_provider_display() if hasattr(payout, "get_provider_display") else payout.provider
    reference = payout_reference(payout)
    suffix = f" [{FX_ROUNDING_TAG}]"
    return PlannedLine(
        tag=FX_ROUNDING_TAG,
        kind="journal",
        amount=difference,
        description=f"{label} {reference} exchange rate rounding"[: 100 - len(suffix)] + suffix,
        account_type=ACCOUNT_TYPE_GL,
        account_number=rounding_account,
        balancing_account_number=clearing_account,
    )
