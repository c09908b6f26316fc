"""The OData query engine: $filter, $orderby, $top/$skip, server paging with $skiptoken,
and the $select/$expand option parsers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import OR_ON_DISTINCT_FIELDS, BCError

MAX_PAGE_SIZE = 20_000  # BC online's cap; Prefer: odata.maxpagesize may not exceed it

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^']|'')*')
    | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)
    | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})
    | (?P<date>\d{4}-\d{2}-\d{2})
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_/.]*)
    | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"startswith", "endswith", "contains", "substringof", "tolower", "toupper", "trim", "length", "indexof"}


def _bad_filter(text: str, detail: str) -> BCError:
    return BCError("BadRequest", f"Syntax error in the filter '{text}': {detail}")


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise _bad_filter(text, f"unexpected character at position {position}")
        position = match.end()
        kind = match.lastgroup
        raw = match.group(kind)
        if kind == "string":
            tokens.append(("lit", raw[1:-1].replace("''", "'")))
        elif kind == "datetime":
            tokens.append(("lit", _parse_datetime(raw)))
        elif kind == "guid":
            tokens.append(("lit", raw.lower()))
        elif kind == "date":
            tokens.append(("lit", dt.date.fromisoformat(raw)))
        elif kind == "number":
            digits = raw.rstrip("mMdDfFlL")
            tokens.append(("lit", float(digits) if any(c in digits for c in ".eE") else int(digits)))
        elif kind == "name":
            lowered = raw.lower()
            if lowered in {"true", "false"}:
                tokens.append(("lit", lowered == "true"))
            elif lowered == "null":
                tokens.append(("lit", None))
            elif lowered in _COMPARISONS | {"and", "or", "not", "in"}:
                tokens.append(("op", lowered))
            else:
                tokens.append(("name", raw))
        else:
            tokens.append(("punct", raw))
    return tokens


def _parse_datetime(raw: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.position = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, kind: str | None = None, value: Any = None) -> tuple[str, Any]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value is not None and token[1] != value):
            raise _bad_filter(self.text, f"expected {value or kind} at token {self.position + 1}")
        self.position += 1
        return token

    def parse(self) -> tuple:
        node = self.or_expr()
        if self.peek() is not None:
            raise _bad_filter(self.text, f"unexpected '{self.peek()[1]}'")
        return node

    def or_expr(self) -> tuple:
        node = self.and_expr()
        while self.peek() == ("op", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> tuple:
        node = self.not_expr()
        while self.peek() == ("op", "and"):
            self.take()
            node = ("and", node, self.not_expr())
        return node

    def not_expr(self) -> tuple:
        if self.peek() == ("op", "not"):
            self.take()
            return ("not", self.not_expr())
        return self.comparison()

    def comparison(self) -> tuple:
        left = self.primary()
        token = self.peek()
        if token and token[0] == "op" and token[1] in _COMPARISONS:
            self.take()
            return ("cmp", token[1], left, self.primary())
        if token == ("op", "in"):
            self.take()
            self.take("punct", "(")
            values = [self.primary()]
            while self.peek() == ("punct", ","):
                self.take()
                values.append(self.primary())
            self.take("punct", ")")
            return ("in", left, values)
        return left

    def primary(self) -> tuple:
        token = self.take()
        kind, value = token
        if token == ("punct", "("):
            node = self.or_expr()
            self.take("punct", ")")
            return node
        if kind == "lit":
            return ("lit", value)
        if kind == "name":
            if self.peek() == ("punct", "(") and value.lower() in _FUNCTIONS:
                self.take()
                args = [self.or_expr()]
                while self.peek() == ("punct", ","):
                    self.take()
                    args.append(self.or_expr())
                self.take("punct", ")")
                return ("call", value.lower(), args)
            return ("field", value)
        raise _bad_filter(self.text, f"unexpected '{value}'")


def _fields_of(node: tuple) -> set[str]:
    if node[0] == "field":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            found |= _fields_of(part)
        elif isinstance(part, list):
            for item in part:
                found |= _fields_of(item)
    return found


def _check_or(node: tuple) -> None:
    if node[0] == "or" and len(_fields_of(node)) > 1:
        raise BCError("BadRequest", OR_ON_DISTINCT_FIELDS)
    for part in node[1:]:
        if isinstance(part, tuple):
            _check_or(part)


def parse_filter(text: str, known_fields: set[str], type_name: str) -> tuple:
    tree = _Parser(text).parse()
    for name in _fields_of(tree):
        if name not in known_fields:
            raise BCError(
                "BadRequest_NotFound", f"Could not find a property named '{name}' on type 'Microsoft.NAV.{type_name}'."
            )
    _check_or(tree)
    return tree


def _coerce_pair(left: Any, right: Any) -> tuple[Any, Any]:
    """Compare a stored JSON value with a literal of the literal's type."""
    for a, b, flip in ((left, right, False), (right, left, True)):
        if isinstance(b, dt.datetime) and isinstance(a, str):
            try:
                a = _parse_datetime(a)
            except ValueError:
                return left, right
            return (b, a) if flip else (a, b)
        if isinstance(b, dt.date) and not isinstance(b, dt.datetime) and isinstance(a, str):
            try:
                a = dt.date.fromisoformat(a[:10])
            except ValueError:
                return left, right
            return (b, a) if flip else (a, b)
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() if _looks_like_guid(left) else left, right.lower() if _looks_like_guid(right) else right
    return left, right


def _looks_like_guid(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def _evaluate(node: tuple, record: dict) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "field":
        return record.get(node[1])
    if kind == "and":
        return bool(_evaluate(node[1], record)) and bool(_evaluate(node[2], record))
    if kind == "or":
        return bool(_evaluate(node[1], record)) or bool(_evaluate(node[2], record))
    if kind == "not":
        return not _evaluate(node[1], record)
    if kind == "in":
        value = _evaluate(node[1], record)
        return any(_compare("eq", value, _evaluate(option, record)) for option in node[2])
    if kind == "cmp":
        return _compare(node[1], _evaluate(node[2], record), _evaluate(node[3], record))
    if kind == "call":
        return _call(node[1], [_evaluate(arg, record) for arg in node[2]])
    raise AssertionError(kind)


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _coerce_pair(left, right)
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    try:
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    except TypeError:
        return False


def _call(name: str, args: list[Any]) -> Any:
    text = [str(a) if a is not None else "" for a in args]
    if name == "startswith":
        return text[0].startswith(text[1])
    if name == "endswith":
        return text[0].endswith(text[1])
    if name == "contains":
        return text[1] in text[0]
    if name == "substringof":
        return text[0] in text[1]
    if name == "tolower":
        return text[0].lower()
    if name == "toupper":
        return text[0].upper()
    if name == "trim":
        return text[0].strip()
    if name == "length":
        return len(text[0])
    if name == "indexof":
        return text[0].find(text[1])
    raise AssertionError(name)


def matches(tree: tuple | None, record: dict) -> bool:
    return tree is None or bool(_evaluate(tree, record))


# -- $orderby, paging --------------------------------------------------------------------------


def _sort_key(value: Any) -> tuple:
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, float(value))
    return (2, str(value))


def order(records: list[dict], orderby: str | None, known_fields: set[str], type_name: str) -> list[dict]:
    if not orderby:
        return records
    ordered = list(records)
    for clause in reversed([part.strip() for part in orderby.split(",") if part.strip()]):
        name, _, direction = clause.partition(" ")
        if name not in known_fields:
            raise BCError(
                "BadRequest_NotFound", f"Could not find a property named '{name}' on type 'Microsoft.NAV.{type_name}'."
            )
        ordered.sort(key=lambda r, n=name: _sort_key(r.get(n)), reverse=direction.strip().lower() == "desc")
    return ordered


def encode_skiptoken(offset: int) -> str:
    raw = json.dumps({"o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_skiptoken(token: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        return int(json.loads(base64.urlsafe_b64decode(padded))["o"])
    except (ValueError, KeyError, TypeError):
        raise BCError("BadRequest", f"The skip token '{token}' is not valid.")


def parse_int_option(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise BCError("BadRequest", f"Invalid value '{value}' for the query option '{name}'.")
    if number < 0:
        raise BCError("BadRequest", f"Invalid value '{value}' for the query option '{name}'.")
    return number


def max_page_size_from(prefer: str | None) -> int | None:
    for part in (prefer or "").split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "odata.maxpagesize" and value.strip().isdigit():
            return min(int(value), MAX_PAGE_SIZE)
    return None


@dataclass
class Page:
    rows: list[dict]
    next_offset: int | None  # offset for the next page's $skiptoken, None when this is the last page


def paginate(records: list[dict], *, top: int | None, skip: int | None, skiptoken: str | None, page_size: int) -> Page:
    """With $top: exactly that slice, no nextLink (as BC). Otherwise pages of ``page_size``."""
    offset = decode_skiptoken(skiptoken) if skiptoken else 0
    start = (skip or 0) + offset
    if top is not None:
        return Page(records[start : start + min(top, MAX_PAGE_SIZE)], None)
    end = start + page_size
    # The token counts rows after $skip: the nextLink keeps the original $skip beside it.
    return Page(records[start:end], offset + page_size if end < len(records) else None)


# -- $select / $expand ------------------------------------------------------------------------


@dataclass
class ExpandItem:
    name: str
    options: dict[str, str] = field(default_factory=dict)


def split_top_level(text: str, separator: str) -> list[str]:
    parts, depth, current, quoted = [], 0, [], False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == separator and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def parse_expand(text: str | None) -> list[ExpandItem]:
    items = []
    for part in split_top_level(text or "", ","):
        name, paren, rest = part.partition("(")
        options: dict[str, str] = {}
        if paren:
            for option in split_top_level(rest[:-1], ";"):
                key, _, value = option.partition("=")
                options[key.strip()] = value.strip()
        items.append(ExpandItem(name.strip(), options))
    return items


def parse_select(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [name.strip() for name in text.split(",") if name.strip()]


ExpandResolver = Callable[[dict, ExpandItem], Any]
