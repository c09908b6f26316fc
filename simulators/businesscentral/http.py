"""Transport-neutral request/response objects shared by the WSGI app and $batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl


@dataclass
class ApiRequest:
    method: str
    path: str  # below the API root, e.g. "companies(<id>)/customers"
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: object = None
    base_url: str = ""  # e.g. "http://127.0.0.1:8123/v2.0/<tenant>/sandbox/api/v2.0"
    page_size: int = 100  # the server's page size (BC online: 20,000)

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class ApiResponse:
    status: int
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)


REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
