"""The Shopify simulator as a WSGI application.

    POST {root}/{shop domain}/admin/api/{version}/graphql.json   (X-Shopify-Access-Token)
    POST {root}/admin/api/{version}/graphql.json                 (shop taken from the Host header)
    GET  {root}/bulk/{id}.jsonl                                  (bulk operation results)
    GET/POST {root}/{shop domain}/admin/oauth/authorize          (install page, oauth.py)
    POST {root}/{shop domain}/admin/oauth/access_token           (code and refresh grants)

Besides the custom app's static ``access_token``, every unexpired token issued through the install
flow is accepted (``sim.app``: oauth.AppAuth).

Every GraphQL answer carries ``extensions.cost`` (requested/actual cost and the bucket's
throttleStatus). A query costing more than is available answers THROTTLED (HTTP 200, as Shopify
does); one costing more than the bucket can ever hold answers MAX_COST_EXCEEDED. A wrong token
answers 401, an unknown shop 404. Queries are validated against schema.graphql by graphql-core.
Versions as in versions.py: the served version is named in ``X-Shopify-API-Version``.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl

from graphql import GraphQLError, OperationType, execute_sync, get_operation_ast, parse, validate

from simulators.shopify import cost
from simulators.shopify import schema as schema_module
from simulators.shopify import seed as seeding
from simulators.shopify.bucket import CostBucket
from simulators.shopify.clock import SimClock
from simulators.shopify.faults import Faults
from simulators.shopify.oauth import AppAuth, parse_form
from simulators.shopify.store import Store
from simulators.shopify.versions import resolve as resolve_version
from simulators.shopify.webhooks import WebhookSender

GRAPHQL_PATH = re.compile(r"^(?:/(?P<shop>[^/]+))?/admin/api/(?P<version>[0-9]{4}-[0-9]{2}|unstable)/graphql\.json$")
OAUTH_PATH = re.compile(r"^(?:/(?P<shop>[^/]+))?/admin/oauth/(?P<action>authorize|access_token)$")
BULK_PATH = re.compile(r"^/bulk/(?P<number>[0-9]+)\.jsonl$")
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


class ShopifySimulator:
    def __init__(
        self,
        *,
        shop_domain: str = "demo-shop.myshopify.com",
        access_token: str = "shpat_test",
        seed: int | None = 42,
        clock: SimClock | None = None,
        bucket_size: float = 1000.0,
        restore_rate: float = 50.0,
        bulk_polls: int = 1,
        client_id: str = "sim-client-id",
        client_secret: str = "sim-client-secret",  # noqa: S107 - the simulator's own test secret
    ) -> None:
        self.shop_domain = shop_domain
        self.access_token = access_token
        self.clock = clock or SimClock()
        self.store = Store(shop_domain=shop_domain, clock=self.clock)
        self.bucket = CostBucket(clock=self.clock, maximum=bucket_size, restore_rate=restore_rate)
        self.bulk_polls = bulk_polls  # polls that still see RUNNING before a bulk operation completes
        self.faults = Faults()  # per-record userErrors, off by default (see faults.py)
        self.schema = schema_module.build(self.store, self)
        self.webhooks = WebhookSender(self)
        self.app = AppAuth(self, client_id=client_id, client_secret=client_secret)
        self.stats = self.store.stats
        self.api_versions: set[str] = set()
        if seed is not None:
            seeding.seed(self.store, seed=seed)

    # --- conveniences for tests and benchmarks ------------------------------------------------

    def generate_orders(self, n: int, *, seed: int = 0) -> list[str]:
        with self.store.lock:
            return seeding.generate_orders(self.store, n, seed=seed)

    def payout_create_for_orders(
        self,
        order_ids: list[str],
        *,
        fee_rate: Decimal = seeding.FEE_RATE,
        fixed_fee: Decimal = seeding.FEE_FIXED,
        status: str = "PAID",
    ) -> dict | None:
        """A Shopify Payments payout of these orders' card payments, served like the seeded ones."""
        with self.store.lock:
            return seeding.payout_create_for_orders(
                self.store, order_ids, fee_rate=fee_rate, fixed_fee=fixed_fee, status=status
            )

    def payout_create_in_currency(
        self, rows: list[tuple[str, Decimal, Decimal, str]], *, currency: str, issued_at: str, status: str = "PAID"
    ) -> dict:
        """A payout in another currency of (type, amount, fee, order name) rows (see seeding)."""
        with self.store.lock:
            return seeding.payout_create_in_currency(
                self.store, rows, currency=currency, issued_at=issued_at, status=status
            )

    def set_throttle(self, *, maximum: float | None = None, restore_rate: float | None = None) -> None:
        self.bucket.configure(maximum=maximum, restore_rate=restore_rate)

    # --- GraphQL ---------------------------------------------------------------------------------

    def graphql(
        self, query: str, variables: dict | None = None, operation_name: str | None = None, *, base_url: str = ""
    ) -> dict:
        self.stats["requests"] += 1
        try:
            document = parse(query)
        except GraphQLError as exc:
            return self._errors([exc.formatted])
        errors = validate(self.schema, document)
        if errors:
            return self._errors([e.formatted for e in errors])
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return self._errors([{"message": "Unknown or ambiguous operation name."}])
        fragments = {d.name.value: d for d in document.definitions if d.__class__.__name__ == "FragmentDefinitionNode"}
        try:
            requested = cost.requested_cost(self.schema, operation, fragments, variables or {})
        except cost.CostError as exc:
            return self._errors([{"message": str(exc), "extensions": {"code": "argumentLiteralsIncompatible"}}])
        if requested > self.bucket.maximum:
            message = (
                f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({int(self.bucket.maximum)})."
            )
            return self._errors(
                [
                    {
                        "message": message,
                        "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": self.bucket.maximum},
                    }
                ]
            )
        if not self.bucket.try_charge(requested):
            self.stats["throttled"] += 1
            return {
                "errors": [
                    {
                        "message": "Throttled",
                        "extensions": {
                            "code": "THROTTLED",
                            "documentation": "https://shopify.dev/api/usage/rate-limits",
                        },
                    }
                ],
                "extensions": {"cost": self._cost(requested, None)},
            }
        with self.store.lock:
            result = execute_sync(
                self.schema,
                document,
                variable_values=variables or {},
                operation_name=operation_name,
                context_value={"bulk": False, "base_url": base_url, "sim": self},
            )
        if operation.operation == OperationType.MUTATION:
            # Writes by root field ("mutation:productUpdate"), so tests can count what a sync wrote.
            for selection in operation.selection_set.selections:
                self.stats[f"mutation:{getattr(selection, 'name', None) and selection.name.value}"] += 1
                self.stats["mutations"] += 1
        actual = cost.actual_cost(self.schema, operation, fragments, result.data)
        self.bucket.refund(max(0, requested - actual))
        body: dict = {"data": result.data}
        if result.errors:
            self.stats["graphql_errors"] += 1
            body["errors"] = [e.formatted for e in result.errors]
        body["extensions"] = {"cost": self._cost(requested, actual)}
        return body

    def _cost(self, requested: int, actual: int | None) -> dict:
        return {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": self.bucket.status()}

    def _errors(self, errors: list[dict]) -> dict:
        self.stats["graphql_errors"] += 1
        return {"errors": errors}

    # --- WSGI --------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        bulk_match = BULK_PATH.match(path)
        if bulk_match and method == "GET":
            body = self.store.bulk_files.get(bulk_match["number"])
            if body is None:
                return _respond(start_response, 404, {"errors": "Not Found"})
            start_response("200 OK", [("Content-Type", "application/jsonl"), ("Content-Length", str(len(body)))])
            return [body]
        oauth_match = OAUTH_PATH.match(path)
        if oauth_match:
            return self._oauth(environ, start_response, oauth_match)
        match = GRAPHQL_PATH.match(path)
        if not match:
            return _respond(start_response, 404, {"errors": "Not Found"})
        shop = match["shop"] or environ.get("HTTP_HOST", "").split(":")[0]
        if shop != self.shop_domain:
            return _respond(start_response, 404, {"errors": "Not Found"})
        if method != "POST":
            return _respond(start_response, 405, {"errors": "Method Not Allowed"})
        token = environ.get("HTTP_X_SHOPIFY_ACCESS_TOKEN", "")
        if token != self.access_token and not self.app.access_valid(token):
            self.stats["auth_failures"] += 1
            return _respond(start_response, 401, {"errors": INVALID_TOKEN})
        self.api_versions.add(match["version"])
        served = resolve_version(match["version"])
        if served is None:
            return _respond(start_response, 404, {"errors": "Not Found"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
            query = payload["query"]
        except (ValueError, KeyError, TypeError):
            return _respond(start_response, 400, {"errors": {"query": "Required parameter missing or invalid"}})
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        prefix = environ.get("SCRIPT_NAME", "")
        body = self.graphql(
            query, payload.get("variables"), payload.get("operationName"), base_url=f"{scheme}://{host}{prefix}"
        )
        return _respond(start_response, 200, body, api_version=served)

    def _oauth(self, environ, start_response, match):
        shop = match["shop"] or environ.get("HTTP_HOST", "").split(":")[0]
        if shop != self.shop_domain:
            return _respond(start_response, 404, {"errors": "Not Found"})
        method = environ.get("REQUEST_METHOD", "GET")
        if match["action"] == "access_token":
            if method != "POST":
                return _respond(start_response, 405, {"errors": "Method Not Allowed"})
            with self.store.lock:
                status, body = self.app.token(parse_form(environ))
            return _respond(start_response, status, body)
        if method == "GET":
            params = dict(parse_qsl(environ.get("QUERY_STRING", "")))
            status, headers, body = self.app.authorize_page(params)
        elif method == "POST":
            with self.store.lock:
                status, headers, body = self.app.approve(parse_form(environ))
        else:
            return _respond(start_response, 405, {"errors": "Method Not Allowed"})
        reasons = {200: "200 OK", 302: "302 Found", 400: "400 Bad Request"}
        start_response(reasons[status], [*headers.items(), ("Content-Length", str(len(body)))])
        return [body]


def _respond(start_response, status: int, body: dict, *, api_version: str = ""):
    reasons = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
    reasons |= {429: "Too Many Requests", 503: "Service Unavailable"}
    data = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if api_version:
        headers.append(("X-Shopify-API-Version", api_version))
    start_response(f"{status} {reasons[status]}", headers)
    return [data]


__all__ = ["ShopifySimulator"]
