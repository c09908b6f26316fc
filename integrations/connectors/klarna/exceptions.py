"""Klarna Settlements API errors: the envelope ``{error_code, error_messages, correlation_id}``."""

from __future__ import annotations


class KlarnaError(Exception):
    """Klarna could not be reached or answered with an error (never holds the credentials).

    ``code`` is the product's error code (syncs/errors/catalogue.py); Klarna's own ``error_code``
    is ``vendor_code``.
    """

    product_code = "PAY-103"

    def __init__(
        self, message: str, *, vendor_code: str = "", status: int | None = None, correlation_id: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = self.product_code
        self.vendor_code = vendor_code
        self.status = status
        self.correlation_id = correlation_id


class KlarnaAuthError(KlarnaError):
    """401/403: the API username or password was refused."""

    product_code = "PAY-101"


class KlarnaNotFound(KlarnaError):
    """404: no payout with that payment reference."""


class KlarnaBadRequest(KlarnaError):
    """400: a parameter Klarna rejected (dates, size above 500, ...)."""


class KlarnaServerError(KlarnaError):
    """429 or 5xx after the retries ran out."""

    product_code = "PAY-102"


class KlarnaTransportError(KlarnaError):
    """No answer: connection refused, DNS, timeout."""

    product_code = "PAY-102"
