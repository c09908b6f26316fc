"""The WSGI application: top-level routing, bearer authentication, limits and faults, counters."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import admin_center, api, batch, html_page, odatav4_pages
from .clock import SimClock
from .errors import INVALID_CREDENTIALS, BCError, envelope, not_found_route
from .http import REASONS, ApiRequest, ApiResponse
from .limits import Faults, InjectedFault, Latency, Throttle
from .seed import seed_environments
from .store import CompanyStore, Environment

_ENV_ROUTE = re.compile(r"^/v2\.0/(?:(?P<tenant>[^/]+)/)?(?P<env>[^/]+)/(?P<kind>api/v2\.0|ODataV4)(?:/(?P<rest>.*))?$")
# On-premises: https://server:port/{instance}/api/v2.0/... and /{instance}/ODataV4/... (no tenant, no environment).
_ON_PREMISES_ROUTE = re.compile(r"^/(?P<instance>[^/]+)/(?P<kind>api/v2\.0|ODataV4)(?:/(?P<rest>.*))?$")
DEFAULT_TOKENS = {"test-token": "test-user"}
FIXED_TENANT_ID = "7f3c2d1e-4b5a-4c69-9d8e-0a1b2c3d4e5f"


@dataclass(frozen=True)
class RequestLogEntry:
    method: str
    path: str
    query: str
    status: int
    principal: str
    operations: int


class BusinessCentralSimulator:
    """A faithful-enough Business Central online (API v2.0, ODataV4 pages, admin center), and on-premises
    server instances (``add_on_premises_instance``) with HTTP Basic and web service access keys."""

    def __init__(
        self,
        page_size: int = 100,
        accepted_tokens: dict[str, str] | None = None,
        token_validator: Callable[[str], str | None] | None = None,
        seed: bool = True,
        *,
        tenant_id: str = FIXED_TENANT_ID,
        clock: SimClock | None = None,
        admin_principals: Iterable[str] = (),
    ) -> None:
        self.page_size = page_size
        self.accepted_tokens = dict(DEFAULT_TOKENS if accepted_tokens is None else accepted_tokens)
        self.token_validator = token_validator
        self.tenant_id = tenant_id
        # Principals with an admin role in Entra ID (or delegated admins): only they may call the
        # admin center API; everyone else gets 403 there and uses /environments/v1.2.
        self.admin_principals = set(admin_principals)
        self.clock = clock or SimClock()
        self.throttle = Throttle(self.clock)
        self.latency = Latency(self.clock)
        self.faults = Faults()
        self.environments: dict[str, Environment] = {}
        # On-premises server instance name (case-insensitive) -> the environment holding its data.
        self.on_premises_instances: dict[str, str] = {}
        # (user name, web service access key) -> principal; accepted on on-premises routes only.
        self.access_keys: dict[tuple[str, str], str] = {}
        self.request_log: list[RequestLogEntry] = []
        self.request_count = 0
        self.operation_count = 0
        self._data_lock = threading.RLock()
        self._count_lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        if seed:
            self.environments = seed_environments(self.clock)

    # -- public helpers ------------------------------------------------------------------------

    def company(self, environment: str = "sandbox", name: str = "CRONUS Sverige AB") -> CompanyStore:
        found = self.environments[environment].company_by_name(name)
        if found is None:
            raise KeyError(f"no company {name!r} in environment {environment!r}")
        return found

    def company_id(self, environment: str = "sandbox", name: str = "CRONUS Sverige AB") -> str:
        return self.company(environment, name).id

    def add_environment(self, name: str, type: str = "Sandbox", country_code: str = "SE") -> Environment:  # noqa: A002
        environment = Environment(name=name, type=type, country_code=country_code)
        self.environments[name] = environment
        return environment

    def add_on_premises_instance(self, name: str = "BC", *, environment: str = "sandbox") -> str:
        """Serve ``environment``'s data as the on-premises instance ``name``; returns the instance path."""
        if environment not in self.environments:
            raise KeyError(f"no environment {environment!r}")
        self.on_premises_instances[name.lower()] = environment
        return f"/{name}"

    def add_access_key(self, username: str, access_key: str, *, principal: str | None = None) -> None:
        """A BC user (NavUserPassword) with a web service access key, for HTTP Basic on-premises."""
        self.access_keys[(username, access_key)] = principal or username

    def requests_to(self, method: str, path_contains: str) -> list[RequestLogEntry]:
        return [e for e in self.request_log if e.method == method and path_contains in e.path]

    @contextlib.contextmanager
    def _in_flight(self) -> Iterator[None]:
        """Count the requests being processed at once (``max_in_flight``: the most seen)."""
        with self._count_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            yield
        finally:
            with self._count_lock:
                self.in_flight -= 1

    def reset_counters(self) -> None:
        with self._count_lock:
            self.request_log.clear()
            self.request_count = 0
            self.operation_count = 0

    # -- WSGI ------------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            with self._data_lock:
                status, body = html_page.render(self, path)
            start_response(f"{status} {REASONS.get(status, '')}", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode()]
        principal, response, fault = None, None, None
        operations = 1
        try:
            on_premises_shape = _ENV_ROUTE.match(path) is None and _ON_PREMISES_ROUTE.match(path) is not None
            principal = self._authenticate(environ, on_premises=on_premises_shape)
            raw_body = _read_body(environ)
            body = _parse_json(raw_body) if raw_body else None
            operations = batch.operations_in(body) if path.endswith("/$batch") else 1
            with self._count_lock:
                self.request_count += 1
                self.operation_count += operations
            fault = self.faults.next_fault()
            if fault is not None and fault.kind == "status":
                response = _fault_response(fault)
            else:
                self.throttle.admit(principal)
                with self.throttle.slot(principal), self._in_flight():
                    self.latency.request_delay()
                    for _ in range(operations):
                        self.latency.operation_delay()
                    with self._data_lock:
                        response = self._dispatch(environ, method, path, body, principal)
        except BCError as error:
            response = ApiResponse(
                error.status, envelope(error.code, error.message), {"Content-Type": "application/json"}
            )
            if error.status == 429 and self.throttle.retry_after_seconds:
                response.headers["Retry-After"] = str(self.throttle.retry_after_seconds)
        if principal is not None:
            entry = RequestLogEntry(
                method, path, environ.get("QUERY_STRING", ""), response.status, principal, operations
            )
            with self._count_lock:
                self.request_log.append(entry)
        if fault is not None and fault.kind == "drop_after_commit":
            return _drop_response(environ, start_response)
        return _respond(start_response, response)

    def _on_premises_match(self, path: str) -> re.Match | None:
        if _ENV_ROUTE.match(path):
            return None
        match = _ON_PREMISES_ROUTE.match(path)
        if match is None or match.group("instance").lower() not in self.on_premises_instances:
            return None
        return match

    def _authenticate(self, environ: dict, *, on_premises: bool = False) -> str:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        principal = None
        if scheme.lower() == "bearer" and token.strip():
            token = token.strip()
            principal = self.accepted_tokens.get(token)
            if principal is None and self.token_validator is not None:
                principal = self.token_validator(token)
        elif scheme.lower() == "basic" and on_premises:
            # On-premises with NavUserPassword: user name and web service access key. BC online
            # refuses Basic (access keys are not supported online since 2022).
            principal = self.access_keys.get(_basic_credentials(token))
        if not principal:
            raise BCError("Authentication_InvalidCredentials", INVALID_CREDENTIALS)
        return principal

    def _dispatch(self, environ: dict, method: str, path: str, body: object, principal: str = "") -> ApiResponse:
        host = _host_url(environ)
        if admin_center.matches(path) or admin_center.connect_matches(path):
            if method != "GET":
                raise BCError("BadRequest_MethodNotAllowed", f"'{method}' is not allowed on {path}.")
            if admin_center.connect_matches(path):
                return admin_center.connect_handle(path, self.environments, self.tenant_id, host)
            is_admin = principal in self.admin_principals
            return admin_center.handle(path, self.environments, self.tenant_id, host, is_admin=is_admin)
        match = _ENV_ROUTE.match(path)
        if match is not None:
            tenant = match.group("tenant")
            environment = self.environments.get(match.group("env"))
            if (tenant is not None and tenant.lower() != self.tenant_id) or environment is None:
                raise not_found_route(host + path)
        else:
            match = self._on_premises_match(path)
            if match is None:
                raise not_found_route(host + path)
            environment = self.environments[self.on_premises_instances[match.group("instance").lower()]]
        root = path[: len(path) - len(match.group("rest") or "")].rstrip("/")
        request = ApiRequest(
            method=method,
            path=match.group("rest") or "",
            query_string=environ.get("QUERY_STRING", ""),
            headers=_headers(environ),
            body=body,
            base_url=host + root,
            page_size=self.page_size,
        )
        if match.group("kind") == "ODataV4":
            return odatav4_pages.handle(environment, api.split_path(request.path), request)
        if request.path.strip("/") == "$batch":
            return batch.handle_batch(environment, request)
        return api.handle(environment, request)


def _basic_credentials(token: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("latin-1")
    except (binascii.Error, ValueError):
        return ("", "")
    username, _, key = decoded.partition(":")
    return (username, key)


def _host_url(environ: dict) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    return f"{scheme}://{host}"


def _headers(environ: dict) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _read_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        raise BCError("BadRequest", "Invalid Request Body")


def _fault_response(fault: InjectedFault) -> ApiResponse:
    headers = {"Content-Type": "application/json"}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    return ApiResponse(fault.status, envelope(fault.code, fault.message), headers)


def _respond(start_response, response: ApiResponse) -> list[bytes]:
    payload = b"" if response.body is None or response.status == 204 else json.dumps(response.body).encode()
    headers = dict(response.headers)
    if response.status == 204:
        headers.pop("Content-Type", None)
    headers.setdefault("OData-Version", "4.0")
    headers["request-id"] = str(uuid.uuid4())
    headers["Content-Length"] = str(len(payload))
    start_response(f"{response.status} {REASONS.get(response.status, '')}", list(headers.items()))
    return [payload]


def _drop_response(environ: dict, start_response) -> list[bytes]:
    """The write is committed; now lose the answer. On a real socket (simulators.server) the
    connection is shut down so the client sees a connection error; elsewhere (in-process) a
    500 with an empty body is the closest a WSGI app can get."""
    raw = getattr(getattr(environ.get("wsgi.input"), "raw", None), "_sock", None)
    if isinstance(raw, socket.socket):
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)
        start_response("500 Internal Server Error", [("Content-Length", "0"), ("Connection", "close")])
        return []
    start_response("500 Internal Server Error", [("Content-Length", "0")])
    return []
