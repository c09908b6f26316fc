"""Number series (No. Series / No. Series Line, Business Foundation), with BC's error messages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import dialog


@dataclass
class NoSeriesLine:
    line_no: int
    starting_no: str
    ending_no: str = ""
    last_no_used: str = ""
    starting_date: str = ""  # "" = always valid
    last_date_used: str = ""
    warning_no: str = ""
    increment_by: int = 1
    open: bool = True


@dataclass
class NoSeries:
    code: str
    description: str
    default_nos: bool = True
    manual_nos: bool = False
    date_order: bool = False
    lines: list[NoSeriesLine] = field(default_factory=list)

    def open_line(self, on: dt.date) -> NoSeriesLine | None:
        candidates = [
            line
            for line in self.lines
            if line.open and (not line.starting_date or dt.date.fromisoformat(line.starting_date) <= on)
        ]
        return max(candidates, key=lambda line: line.starting_date, default=None)


_TRAILING_DIGITS = re.compile(r"(\d+)(?!.*\d)")


def increment(number: str, by: int = 1) -> str:
    """BC's IncStr: increase the right-most run of digits, keeping its width."""
    match = _TRAILING_DIGITS.search(number)
    if match is None:
        raise dialog(f"The value in the No. field must have a number so that we can assign the next number. {number}")
    digits = match.group(1)
    bumped = str(int(digits) + by).zfill(len(digits))
    return number[: match.start(1)] + bumped + number[match.end(1) :]


def _exceeds(number: str, ending: str) -> bool:
    if not ending:
        return False
    if len(number) != len(ending):
        return len(number) > len(ending)
    return number > ending


def next_number(series: NoSeries, on: dt.date) -> str:
    """Take the next number (mutates the series line), or raise BC's exhausted-series error."""
    line = series.open_line(on)
    if line is None:
        raise dialog(f"You cannot assign new numbers from the number series {series.code}.")
    candidate = increment(line.last_no_used, line.increment_by) if line.last_no_used else line.starting_no
    if _exceeds(candidate, line.ending_no):
        raise dialog(
            f"You cannot assign numbers greater than {line.ending_no} from the number series {series.code}. "
            f"No. assigned: {candidate}"
        )
    line.last_no_used = candidate
    line.last_date_used = on.isoformat()
    if candidate == line.ending_no:
        line.open = False  # BC closes a line when its last number is used
    return candidate


def check_manual_allowed(series: NoSeries) -> None:
    if not series.manual_nos:
        raise dialog(
            "You may not enter numbers manually. If you want to enter numbers manually, "
            f"please activate Manual Nos. in No. Series {series.code}."
        )
