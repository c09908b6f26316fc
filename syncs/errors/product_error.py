"""The one exception every service raises for a known, explainable failure."""

from __future__ import annotations

from syncs.errors.registry import get_error
from syncs.errors.types import ErrorEntry


class ProductError(Exception):
    """``raise ProductError("MAP-001", sku="X")``: the message is rendered from the catalogue entry.

    An unknown code raises at once (a programming error, found by tests), not when it is logged.
    """

    def __init__(self, code: str, /, **params) -> None:
        self.entry: ErrorEntry = get_error(code)
        self.code = code
        self.params = params
        super().__init__(self.entry.render(**params))

    @property
    def message(self) -> str:
        # Rendered on access so a merchant page shows it in the viewer's language.
        return self.entry.render(**self.params)

    @property
    def retryable(self) -> bool:
        return self.entry.retryable
