"""Adyen report download errors."""

from __future__ import annotations


class AdyenError(Exception):
    """Adyen could not be reached or refused the download (never holds the credentials).

    ``code`` is the product's error code (syncs/errors/catalogue.py).
    """

    product_code = "PAY-103"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = self.product_code
        self.status = status


class AdyenAuthError(AdyenError):
    """401/403: the report user's credentials were refused."""

    product_code = "PAY-101"


class AdyenReportNotFound(AdyenError):
    """404: no such report (yet): the batch is not closed, or the file name is wrong."""


class AdyenTransportError(AdyenError):
    """No answer: connection refused, DNS, timeout, or 5xx after the retries."""

    product_code = "PAY-102"


class AdyenReportFormatError(AdyenError):
    """The file is not a settlement details report (no header row with the expected columns)."""

    product_code = "PAY-104"
