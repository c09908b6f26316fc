"""Shopify's search syntax, the part the connector uses.

``updated_at:>='2025-01-01T00:00:00Z' name:#1001 OR name:#1002 test:false``: terms are ANDed,
``OR`` joins neighbouring terms into one group. Comparators ``:`` ``:>`` ``:>=`` ``:<`` ``:<=``.
Filters the simulator does not know are ignored, as Shopify ignores unknown filters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

TERM = re.compile(r"""(\w+):(>=|<=|>|<)?('[^']*'|"[^"]*"|\S+)|(OR)|(\S+)""")


def _clean(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def parse(query: str | None) -> list[list[tuple[str, str, str]]]:
    """AND of OR-groups of (field, op, value)."""
    groups: list[list[tuple[str, str, str]]] = []
    join_next = False
    for match in TERM.finditer(query or ""):
        field, op, value, or_word, bare = match.groups()
        if or_word:
            join_next = True
            continue
        if bare:  # free text: not supported, ignored
            continue
        term = (field.lower(), op or "=", _clean(value))
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return groups


def _compare(actual, op: str, wanted: str) -> bool:
    if actual is None:
        return False
    if isinstance(actual, bool):
        return op == "=" and str(actual).lower() == wanted.lower()
    if isinstance(actual, (list, tuple, set)):
        return op == "=" and wanted.lower() in {str(a).lower() for a in actual}
    actual = str(actual)
    if op == "=":
        return actual.lower() == wanted.lower()
    left, right = _instant(actual), _instant(wanted)
    if left is None or right is None:
        left, right = actual, wanted
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[op]


def _instant(value: str) -> dt.datetime | None:
    """ISO date or timestamp (``Z`` or an offset) as an aware datetime; a bare date is its midnight UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def matcher(query: str | None, fields: dict[str, Callable[[dict], object]]) -> Callable[[dict], bool]:
    groups = [[term for term in group if term[0] in fields] for group in parse(query)]
    groups = [group for group in groups if group]
    if not groups:
        return lambda record: True

    def matches(record: dict) -> bool:
        return all(any(_compare(fields[f](record), op, v) for f, op, v in group) for group in groups)

    return matches
