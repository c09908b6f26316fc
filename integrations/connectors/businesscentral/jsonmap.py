"""Generic conversion between BC JSON (camelCase) and the connector's dataclasses (snake_case).

Field ``address_line1`` maps to ``addressLine1``; a field can name its JSON key explicitly with
``field(metadata={"json": "@odata.etag"})``. Values are converted by the field's annotation
(Decimal, date, datetime, nested records, lists of records), so records are typed, and every
record keeps the full response in ``raw`` so fields this code does not name are still available.
A field with ``metadata={"enum": "<BC enum name>"}`` holds an enum member name: decoded from BC's
``_xHHHH_`` wire form on the way in and encoded on the way out (codec.py).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from integrations.connectors.businesscentral.codec import enum_decode, enum_encode

T = TypeVar("T")


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def json_name(f: dataclasses.Field) -> str:
    return f.metadata.get("json") or snake_to_camel(f.name)


def _fields(cls: type) -> tuple[tuple[dataclasses.Field, Any], ...]:
    # (A plain function in front of the cache: mypy does not see type[T] as Hashable.)
    return _fields_cached(cls)


@cache
def _fields_cached(cls: type) -> tuple[tuple[dataclasses.Field, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _parse_datetime(value: str) -> datetime | None:
    if not value or value.startswith("0001-01-01"):
        return None  # BC's "blank" datetime
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _parse_date(value: str) -> date | None:
    if not value or value.startswith("0001-01-01"):
        return None  # BC's "blank" date
    return date.fromisoformat(value[:10])


def convert(value: Any, annotation: Any) -> Any:
    if value is None:
        return None
    target = _unwrap_optional(annotation)
    origin = typing.get_origin(target)
    if origin is list:
        (item_type,) = typing.get_args(target)
        return [convert(item, item_type) for item in value]
    if isinstance(target, type) and dataclasses.is_dataclass(target) and isinstance(value, dict):
        return from_json(target, value)
    if target is Decimal:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if target is datetime and isinstance(value, str):
        return _parse_datetime(value)
    if target is date and isinstance(value, str):
        return _parse_date(value)
    if target is int and not isinstance(value, bool):
        return int(value)
    if target is str:
        return str(value)
    return value


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    """Build a record from BC JSON; a missing key takes the field's default."""
    kwargs: dict[str, Any] = {}
    for f, annotation in _fields(cls):
        if f.name == "raw":
            kwargs["raw"] = data
            continue
        value = data.get(json_name(f))
        if value is not None:  # JSON null keeps the field's default ("" rather than None for text)
            if f.metadata.get("enum") and isinstance(value, str):
                value = enum_decode(value)
            kwargs[f.name] = convert(value, annotation)
    return cls(**kwargs)


def _to_wire(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(value)
    if isinstance(value, list | tuple):
        return [_to_wire(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # JSON has no decimal type: BC reads numbers; float's shortest repr keeps 2-4 decimals exact.
        return float(value)
    return value


def to_json(obj: Any) -> dict[str, Any]:
    """Dataclass -> BC JSON, leaving out None (BC would otherwise blank the field) and ``extra``."""
    payload: dict[str, Any] = {}
    for f, _annotation in _fields(type(obj)):
        value = getattr(obj, f.name)
        if f.name in ("raw", "extra") or value is None:
            continue
        if f.metadata.get("enum") and isinstance(value, str):
            value = enum_encode(value)
        payload[json_name(f)] = _to_wire(value)
    payload.update(getattr(obj, "extra", None) or {})
    return payload
