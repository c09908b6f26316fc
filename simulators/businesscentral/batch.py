"""OData JSON $batch: ``{"requests":[...]}`` -> ``{"responses":[...]}``, executed in order.

With ``Isolation: snapshot`` every change is rolled back when any operation fails; the
responses still report each operation's own result.
"""

from __future__ import annotations

from . import api
from .errors import BCError, envelope
from .http import ApiRequest, ApiResponse
from .store import Environment

MAX_OPERATIONS = 100


def operations_in(body: object) -> int:
    if isinstance(body, dict) and isinstance(body.get("requests"), list):
        return len(body["requests"])
    return 1


def _relative(url: str) -> str:
    marker = "/api/v2.0/"
    if marker in url:
        return url.split(marker, 1)[1]
    return url.lstrip("/")


def handle_batch(environment: Environment, request: ApiRequest) -> ApiResponse:
    body = request.body
    if request.method != "POST":
        raise BCError("BadRequest_MethodNotAllowed", f"'{request.method}' requests for '$batch' are not allowed.")
    if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
        raise BCError("BadRequest", "Invalid Request Body")
    operations = body["requests"]
    if len(operations) > MAX_OPERATIONS:
        raise BCError(
            "BadRequest",
            f"The batch request contains {len(operations)} operations. "
            f"A batch request can contain at most {MAX_OPERATIONS} operations.",
        )
    atomic = (request.header("isolation") or "").strip().lower() == "snapshot"
    snapshots = {cid: company.snapshot() for cid, company in environment.companies.items()} if atomic else {}
    responses, failed = [], False
    for operation in operations:
        response = _run(environment, request, operation)
        failed = failed or response.status >= 400
        entry = {"id": str(operation.get("id", "")), "status": response.status, "headers": response.headers}
        if response.body is not None:
            entry["body"] = response.body
        responses.append(entry)
    if atomic and failed:
        for cid, snapshot in snapshots.items():
            environment.companies[cid].restore(snapshot)
    return ApiResponse(200, {"responses": responses}, {"Content-Type": "application/json"})


def _run(environment: Environment, outer: ApiRequest, operation: object) -> ApiResponse:
    if not isinstance(operation, dict) or "method" not in operation or "url" not in operation:
        return ApiResponse(400, envelope("BadRequest", "Invalid Request Body"), {})
    path, _, query = _relative(str(operation["url"])).partition("?")
    headers = {str(k).lower(): str(v) for k, v in (operation.get("headers") or {}).items()}
    inner = ApiRequest(
        method=str(operation["method"]).upper(),
        path=path,
        query_string=query,
        headers=headers,
        body=operation.get("body"),
        base_url=outer.base_url,
        page_size=outer.page_size,
    )
    if inner.path.strip("/") == "$batch":
        return ApiResponse(400, envelope("BadRequest", "A $batch request cannot contain another $batch."), {})
    return api.handle(environment, inner)
