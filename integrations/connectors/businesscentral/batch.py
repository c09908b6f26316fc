"""OData JSON $batch: operations in, one result per operation out (one failure fails only itself)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from integrations.connectors.businesscentral.exceptions import BCError, error_from_envelope
from integrations.connectors.businesscentral.jsonmap import from_json

MAX_BATCH_OPERATIONS = 100  # BC online's operational limit
R = TypeVar("R")


@dataclass(frozen=True)
class BatchOperation:
    method: str
    url: str  # relative to the API root: "companies(<id>)/customers"
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    id: str | None = None

    @property
    def is_write(self) -> bool:
        return self.method.upper() != "GET"


@dataclass(frozen=True)
class BatchResult:
    id: str
    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    error: BCError | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def record(self, cls: type[R]) -> R:
        if not self.ok or not isinstance(self.body, dict):
            raise self.error or BCError(f"Batch operation {self.id} returned no record.", status=self.status)
        return from_json(cls, self.body)


def chunks(operations: Sequence[BatchOperation], size: int = MAX_BATCH_OPERATIONS) -> Iterator[list]:
    for start in range(0, len(operations), size):
        yield list(operations[start : start + size])


def request_body(operations: Sequence[tuple[str, BatchOperation]]) -> dict[str, Any]:
    requests_ = []
    for op_id, op in operations:
        headers = dict(op.headers)
        entry: dict[str, Any] = {"id": op_id, "method": op.method.upper(), "url": op.url}
        if op.body is not None:
            headers.setdefault("Content-Type", "application/json")
            entry["body"] = op.body
        if headers:
            entry["headers"] = headers
        requests_.append(entry)
    return {"requests": requests_}


def parse_results(body: Any, op_ids: Sequence[str]) -> list[BatchResult]:
    """Results in the order of ``op_ids``; an operation BC did not answer becomes a status-0 error."""
    answered: dict[str, dict] = {}
    for response in (body or {}).get("responses", []) if isinstance(body, dict) else []:
        answered[str(response.get("id"))] = response
    results = []
    for op_id in op_ids:
        response = answered.get(op_id)
        if response is None:
            results.append(
                BatchResult(id=op_id, status=0, error=BCError(f"Business Central returned no result for {op_id}."))
            )
            continue
        status = int(response.get("status") or 0)
        inner = response.get("body")
        error = None if 200 <= status < 300 else error_from_envelope(status=status, body=inner)
        results.append(
            BatchResult(id=op_id, status=status, body=inner, headers=response.get("headers") or {}, error=error)
        )
    return results
