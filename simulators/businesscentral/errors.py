"""BC's error envelope and the code -> HTTP status mapping."""

from __future__ import annotations

import uuid

# Codes whose status is not 400. Everything else (BadRequest*, Application_*, Unknown) is 400.
_STATUS_BY_CODE: dict[str, int] = {
    "BadRequest_NotFound": 404,
    "BadRequest_ResourceNotFound": 404,
    "BadRequest_MethodNotAllowed": 405,
    "BadRequest_MethodNotImplemented": 501,
    "Request_EntityChanged": 409,
    "Internal_RecordNotFound": 404,
    "Internal_CompanyNotFound": 404,
    "Internal_TenantUnavailable": 503,
    "Internal_ServerError": 500,
    "Authentication_InvalidCredentials": 401,
    "Authorization_NotAuthorized": 403,
}


def status_for(code: str) -> int:
    return _STATUS_BY_CODE.get(code, 400)


class BCError(Exception):
    """An error BC would report; the app turns it into the envelope with the mapped status."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else status_for(code)


def envelope(code: str, message: str, correlation_id: str | None = None) -> dict:
    """``{"error":{"code","message"}}`` with BC online's two-space CorrelationId suffix."""
    correlation_id = correlation_id or str(uuid.uuid4())
    return {"error": {"code": code, "message": f"{message}  CorrelationId:  {correlation_id}."}}


# Messages quoted from BC (AL labels / documented responses), kept in one place.
INVALID_CREDENTIALS = "The server has rejected the client credentials."
MISSING_IF_MATCH = (
    "Could not validate the client concurrency token required by the service. "
    "Please provide a valid token in the client request."
)
ENTITY_CHANGED = "Another user has already changed the record."
OR_ON_DISTINCT_FIELDS = "The 'OR' operator is not supported on distinct fields on an OData filter."
NOTHING_TO_POST = "There is nothing to post."


def not_found_route(url: str) -> BCError:
    return BCError("BadRequest_NotFound", f"No HTTP resource was found that matches the request URI '{url}'.")


def resource_not_found(segment: str) -> BCError:
    return BCError("BadRequest_ResourceNotFound", f"Resource not found for the segment '{segment}'.")


def dialog(message: str) -> BCError:
    """An AL ``Error()`` raised by business logic."""
    return BCError("Application_DialogException", message)
