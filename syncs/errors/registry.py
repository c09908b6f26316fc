"""Look-ups over the catalogue."""

from __future__ import annotations

from syncs.errors.catalogue import ENTRIES
from syncs.errors.types import Category, ErrorEntry

_BY_CODE: dict[str, ErrorEntry] = {}
for _entry in ENTRIES:
    if _entry.code in _BY_CODE:  # pragma: no cover - guarded by a test too
        raise ValueError(f"Duplicate error code {_entry.code}")
    _BY_CODE[_entry.code] = _entry


class UnknownErrorCode(KeyError):
    pass


def get_error(code: str) -> ErrorEntry:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownErrorCode(code)


def find_error(code: str) -> ErrorEntry | None:
    return _BY_CODE.get(code)


def all_errors(*, category: Category | str | None = None) -> list[ErrorEntry]:
    return [e for e in ENTRIES if category is None or e.category == category]
