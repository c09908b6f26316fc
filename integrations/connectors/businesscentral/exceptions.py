"""Business Central errors as typed exceptions.

BC answers errors with ``{"error": {"code": "...", "message": "...  CorrelationId:  <guid>."}}``.
Every exception keeps BC's code, the message exactly as BC sent it (``raw_message``), the message
without the correlation suffix (``message``, for people and for matching), the HTTP status and
the correlation id. No exception ever carries a request header, so a token cannot leak through one.
"""

from __future__ import annotations

import re
from typing import Any

_CORRELATION_SUFFIX = re.compile(r"\s*CorrelationId:\s*(?P<id>[0-9A-Fa-f-]{36})\.?\s*$")

NOT_FOUND_CODES = frozenset({"Internal_RecordNotFound", "BadRequest_NotFound", "BadRequest_ResourceNotFound"})
VALIDATION_CODES = frozenset(
    {"Internal_DataNotFoundFilter", "Internal_InvalidTableRelation", "Internal_EntityWithSameKeyExists"}
)


class BCError(Exception):
    """Base of every Business Central client error."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        status: int | None = None,
        correlation_id: str = "",
        raw_message: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.status = status
        self.correlation_id = correlation_id
        self.raw_message = message if raw_message is None else raw_message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = f"{self.code}: " if self.code else ""
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{prefix}{self.message}{status}"


class BCAuthError(BCError):
    """Authentication_* / Authorization_* or HTTP 401/403: sign in again or grant permissions."""


class BCAccessKeyRejected(BCAuthError):
    """On-premises: the server refused the user name and web service access key (HTTP 401 to Basic)."""


class BCNotFound(BCError):
    """The record, route or segment does not exist (also a missing setup row such as VAT Posting Setup)."""


class PageNotPublished(BCNotFound):
    """An ODataV4 page (VAT Posting Setup, No. Series) is not published as a web service."""

    def __init__(self, page: str, *, status: int | None = 404, code: str = "", correlation_id: str = "") -> None:
        self.page = page
        super().__init__(
            f"The page '{page}' is not published as an ODataV4 web service in Business Central "
            "(Web Services > New > Object Type Page, tick Published).",
            code=code,
            status=status,
            correlation_id=correlation_id,
        )


class BCConflict(BCError):
    """Request_EntityChanged: the etag sent in If-Match is stale."""


class BCValidationError(BCError):
    """BC refused the data (Application_*, BadRequest_*, bad table relation, empty filter...). Not retryable."""


class BCThrottled(BCError):
    """HTTP 429 still returned after the retry budget was spent."""


class BCServerError(BCError):
    """HTTP 5xx from BC or its gateway."""


class BCTransportError(BCError):
    """No HTTP answer: connection refused or dropped."""


class BCTimeout(BCTransportError):
    """No HTTP answer within the (connect, read) timeout."""


class BCAmbiguousWriteError(BCError):
    """A write may or may not have been applied (timeout, dropped connection, 502/504 after sending).

    Never retried blindly: look the document up (externalDocumentNumber) before creating it again.
    """


class BCPagingLimitExceeded(BCError):
    """A collection had more pages than the client's page cap; refused rather than truncated."""


def split_correlation_id(raw_message: str) -> tuple[str, str]:
    """Return (message without the CorrelationId suffix, correlation id or "")."""
    match = _CORRELATION_SUFFIX.search(raw_message)
    if not match:
        return raw_message, ""
    return raw_message[: match.start()].rstrip(), match.group("id")


def error_class_for(*, status: int | None, code: str) -> type[BCError]:
    if code.startswith(("Authentication_", "Authorization_")) or status in (401, 403):
        return BCAuthError
    if code in NOT_FOUND_CODES:
        return BCNotFound
    if code == "Request_EntityChanged" or status == 409:
        return BCConflict
    if status == 429:
        return BCThrottled
    if status is not None and status >= 500:
        return BCServerError
    if code.startswith(("Application_", "BadRequest")) or code in VALIDATION_CODES:
        return BCValidationError
    if status == 404:
        return BCNotFound
    if status is not None and 400 <= status < 500:
        return BCValidationError
    return BCError


def error_from_envelope(*, status: int | None, body: Any, fallback_message: str = "") -> BCError:
    """Build the typed exception for an error response (a BC envelope or anything else)."""
    error = body.get("error") if isinstance(body, dict) else None
    if error is None and isinstance(body, dict) and "code" in body:
        error = body  # the admin center API answers {"code", "message"} without the "error" wrapper
    if isinstance(error, dict):
        code = str(error.get("code") or "")
        raw_message = str(error.get("message") or "")
    else:
        code, raw_message = "", fallback_message or f"HTTP {status}"
    message, correlation_id = split_correlation_id(raw_message)
    cls = error_class_for(status=status, code=code)
    return cls(message, code=code, status=status, correlation_id=correlation_id, raw_message=raw_message)
