"""Number series: numbers left, records numbered ahead of a series, manual numbering (pages 456/457)."""

from __future__ import annotations

import re

from django.conf import settings

from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Series, SeriesLine, Status

# The documents the integration makes, in BC's own words.
PURPOSES = {
    "customers": "Customers",
    "salesInvoices": "Sales invoices",
    "postedSalesInvoices": "Posted sales invoices",
    "salesOrders": "Sales orders",
    "salesCreditMemos": "Sales credit memos",
    "postedSalesCreditMemos": "Posted sales credit memos",
    "paymentJournal": "Payment journal documents",
    "items": "Items",  # only when the product flow creates items (both ways)
}
# W1 (CRONUS) series codes, used when no BC record shows which series a purpose uses.
DEFAULT_SERIES = {
    "customers": "CUST",
    "salesInvoices": "S-INV",
    "postedSalesInvoices": "S-INV+",
    "salesOrders": "S-ORD",
    "salesCreditMemos": "S-CR",
    "postedSalesCreditMemos": "S-CR+",
    "paymentJournal": "GJNL-RCPT",
    "items": "ITEM",
}
_TRAILING_DIGITS = re.compile(r"(\d+)(?!.*\d)")


def split_number(number: str) -> tuple[str, int, int, str] | None:
    """``"S-INV-0042"`` -> (prefix, value, width, suffix), as BC's IncStr sees it."""
    match = _TRAILING_DIGITS.search(number or "")
    if match is None:
        return None
    return number[: match.start(1)], int(match.group(1)), len(match.group(1)), number[match.end(1) :]


def in_line(number: str, line: SeriesLine) -> bool:
    parts, start = split_number(number), split_number(line.starting_no)
    if parts is None or start is None or parts[0] != start[0] or parts[3] != start[3] or parts[2] != start[2]:
        return False
    end = split_number(line.ending_no)
    return parts[1] >= start[1] and (end is None or parts[1] <= end[1])


def open_line(series: Series) -> SeriesLine | None:
    candidates = [line for line in series.lines if line.open]
    return candidates[-1] if candidates else None


def remaining(line: SeriesLine) -> int | None:
    """Numbers left on a line; None when the line has no end."""
    end = split_number(line.ending_no)
    if end is None:
        return None
    last = split_number(line.last_no_used)
    start = split_number(line.starting_no)
    if last is not None:
        next_value = last[1] + line.increment_by
    elif start is not None:
        next_value = start[1]
    else:
        return None  # no number to count from (BC refuses such a line when it is used)
    return max(0, (end[1] - next_value) // max(line.increment_by, 1) + 1)


def next_number(series: Series) -> str:
    """The number BC gives next from the series' open line (its IncStr of the last number used)."""
    line = open_line(series)
    if line is None:
        return ""
    if not line.last_no_used:
        return line.starting_no
    parts = split_number(line.last_no_used)
    if parts is None:
        return ""
    prefix, value, width, suffix = parts
    return f"{prefix}{str(value + line.increment_by).zfill(width)}{suffix}"


def series_by_purpose(snap: BCSnapshot) -> dict[str, Series]:
    """Which series each purpose uses: the one BC's own records are numbered from, else the W1 default."""
    defaults = {**DEFAULT_SERIES, **getattr(settings, "PREFLIGHT_NUMBER_SERIES", {})}
    found: dict[str, Series] = {}
    all_series = snap.number_series or {}
    for purpose in PURPOSES:
        numbers = snap.numbers_by_purpose.get(purpose, [])
        scores = {
            series.code: sum(1 for n in numbers if any(in_line(n, line) for line in series.lines))
            for series in all_series.values()
        }
        best = max(scores, key=lambda code: scores[code], default=None)
        if best and scores[best]:
            found[purpose] = all_series[best]
        elif defaults.get(purpose) in all_series:
            found[purpose] = all_series[defaults[purpose]]
    return found


def _in_use(facts: IntegrationFacts, snap: BCSnapshot) -> dict[str, Series]:
    """The series of the documents the integration makes: items only when it creates them."""
    return {p: s for p, s in series_by_purpose(snap).items() if p != "items" or facts.creates_items}


def _not_published(name: str, snap: BCSnapshot) -> CheckResult | None:
    missing = sorted(snap.unpublished_pages & {"NoSeries", "NoSeriesLines"})
    if snap.number_series is not None and not missing:
        return None
    missing = missing or ["NoSeries", "NoSeriesLines"]
    pages = {"NoSeries": "456", "NoSeriesLines": "457"}
    problems = [
        CheckResult.problem(
            name, Status.FAIL, "BC-601", [{"page": pages[p], "service_name": p}], page_id=pages[p], service_name=p
        )
        for p in missing
    ]
    return combine(name, problems, "")


def check_available(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "number_series.available"
    if blocked := _not_published(name, snap):
        return [blocked]
    threshold = getattr(settings, "PREFLIGHT_SERIES_WARN_REMAINING", 100)
    problems, checked = [], []
    for purpose, series in sorted(_in_use(facts, snap).items()):
        if series.code in checked:
            continue
        checked.append(series.code)
        line = open_line(series)
        left = remaining(line) if line else 0
        objects = [{"series": series.code, "purpose": purpose, "remaining": left}]
        if left == 0:
            problems.append(CheckResult.problem(name, Status.FAIL, "BC-201", objects, series_code=series.code))
        elif left is not None and left < threshold:
            problems.append(
                CheckResult.problem(name, Status.WARN, "BC-204", objects, series_code=series.code, remaining=left)
            )
    return [combine(name, problems, f"Number series with numbers left: {listing(checked)}.", checked)]


def check_overlap(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "number_series.overlap"
    if blocked := _not_published(name, snap):
        return [blocked]
    problems = []
    for purpose, series in sorted(_in_use(facts, snap).items()):
        line = open_line(series)
        if line is None or not line.last_no_used:
            continue
        last = split_number(line.last_no_used)
        if last is None:
            continue  # a last number without digits: nothing to compare with
        ahead = sorted(
            n
            for n in snap.numbers_by_purpose.get(purpose, [])
            if in_line(n, line) and (parts := split_number(n)) is not None and parts[1] > last[1]
        )
        if ahead:
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "BC-205",
                    [{"series": series.code, "purpose": purpose, "numbers": ahead, "last_used": line.last_no_used}],
                    entity=PURPOSES[purpose],
                    numbers=", ".join(ahead),
                    series_code=series.code,
                    last_used=line.last_no_used,
                )
            )
    return [combine(name, problems, "No records are numbered ahead of their number series.")]


def check_manual_numbering(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "number_series.manual"
    if blocked := _not_published(name, snap):
        return [blocked]
    found = series_by_purpose(snap)
    wanted = []  # sales documents always take BC's series: their number is read-only in the API
    if facts.customer_manual_numbering:
        wanted.append("customers")
    problems = []
    for purpose in wanted:
        series = found.get(purpose)
        if series is not None and not series.manual_nos:
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "BC-206",
                    [{"series": series.code, "purpose": purpose}],
                    entity=PURPOSES[purpose].lower(),
                    series_code=series.code,
                )
            )
    ok = "Manual numbering matches Business Central." if wanted else "The integration uses BC's number series."
    return [combine(name, problems, ok)]
