"""OData v4 query building: literals, $filter expressions and query strings.

Filters are built from values, never by pasting strings, so a quote in a shop's order name
(``O'Brien``) cannot break or widen a filter.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote

_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$")
_OPERATORS = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})


def literal(value: object) -> str:
    """Render a Python value as an OData v4 literal.

    Strings are quoted with an embedded quote doubled; GUIDs (``uuid.UUID``), dates and
    datetimes are unquoted, as BC's parser expects. Naive datetimes are refused: a delta sync
    must not depend on the server's time zone.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("OData datetime literals need a timezone-aware datetime.")
        utc = value.astimezone(UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"No OData literal for {type(value).__name__}.")


def _field(name: str) -> str:
    if not _FIELD.match(name):
        raise ValueError(f"Not an OData field name: {name!r}")
    return name


def compare(field: str, operator: str, value: object) -> str:
    if operator not in _OPERATORS:
        raise ValueError(f"Unsupported OData operator: {operator!r}")
    return f"{_field(field)} {operator} {literal(value)}"


def eq(field: str, value: object) -> str:
    return compare(field, "eq", value)


def ne(field: str, value: object) -> str:
    return compare(field, "ne", value)


def gt(field: str, value: object) -> str:
    return compare(field, "gt", value)


def ge(field: str, value: object) -> str:
    return compare(field, "ge", value)


def lt(field: str, value: object) -> str:
    return compare(field, "lt", value)


def le(field: str, value: object) -> str:
    return compare(field, "le", value)


def any_of(field: str, values: Iterable[object]) -> str:
    """``(f eq 'a' or f eq 'b')``: BC rejects ``or`` across fields and ``in`` without schema 2.1."""
    clauses = [eq(field, value) for value in values]
    if not clauses:
        raise ValueError("any_of needs at least one value.")
    return clauses[0] if len(clauses) == 1 else "(" + " or ".join(clauses) + ")"


def all_of(*clauses: str | None) -> str:
    """Join non-empty clauses with ``and`` (each parenthesised when it holds an ``or``)."""
    parts = [f"({c})" if " or " in c and not c.startswith("(") else c for c in clauses if c]
    return " and ".join(parts)


def startswith(field: str, value: str) -> str:
    return f"startswith({_field(field)},{literal(value)})"


def guid(value: str | uuid.UUID) -> uuid.UUID:
    """Mark a value as a GUID literal (unquoted in filters)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def query_params(
    *,
    filter: str | None = None,  # noqa: A002 - the OData option's own name
    select: Iterable[str] | None = None,
    expand: Iterable[str] | str | None = None,
    orderby: str | None = None,
    top: int | None = None,
) -> dict[str, str]:
    params: dict[str, str] = {}
    if filter:
        params["$filter"] = filter
    if select:
        params["$select"] = ",".join(_field(name) for name in select)
    if expand:
        params["$expand"] = expand if isinstance(expand, str) else ",".join(expand)
    if orderby:
        params["$orderby"] = orderby
    if top is not None:
        params["$top"] = str(top)
    return params


def encode_query(params: Mapping[str, str]) -> str:
    """Percent-encode a query string (spaces as %20, never '+', which OData would read literally)."""
    return "&".join(f"{quote(key, safe='$')}={quote(value, safe=chr(39) + '(),:$/')}" for key, value in params.items())
