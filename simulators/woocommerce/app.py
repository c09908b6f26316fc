"""WooCommerceSimulator: a WSGI app serving the REST API v3 subset in schema.py.

Behaviour from the vendor reference (../shared/reference/woocommerce-rest-v3.json):
- consumer key/secret as HTTP basic auth or ``consumer_key``/``consumer_secret`` query
  parameters (those first), over HTTPS only; a wrong secret answers 401
  ``woocommerce_rest_authentication_error`` with ``WWW-Authenticate: Basic``; a read-only key
  cannot write; no credentials (or plain HTTP) answers 401 ``woocommerce_rest_cannot_view``.
- errors are ``{"code", "message", "data": {"status"}}``; an unknown route is 404 ``rest_no_route``.
- collections page by ``page`` (>= 1) and ``per_page`` (1..100) with ``X-WP-Total``,
  ``X-WP-TotalPages`` and a ``Link`` header; a page past the end is an empty list.
- batch endpoints take at most 100 items (413 ``woocommerce_rest_request_entity_too_large``).
Assumption (stricter than WordPress, which drops them silently): a write that names a read-only
field is refused with 400 ``rest_invalid_param``, so a connector that writes one is caught.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlencode

from simulators.woocommerce import schema
from simulators.woocommerce.orders import RefundRefused, refund_create
from simulators.woocommerce.seed import seed
from simulators.woocommerce.store import Clock, Store, site_stamp, stamp
from simulators.woocommerce.webhooks import WebhookSender

BASE = "/wp-json/wc/v3"
MAX_BATCH = 100


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **data) -> None:
        self.status, self.code, self.message, self.headers, self.data = status, code, message, headers or {}, data
        super().__init__(message)


@dataclass
class Fault:
    status: int
    times: int = 1
    path: str = ""
    retry_after: str | None = None
    page: str | None = None  # an HTML page instead of WordPress's error body (a plugin or the host answering)
    location: str | None = None  # a redirect target


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]


def _invalid(name: str, why: str) -> ApiError:
    return ApiError(400, "rest_invalid_param", f"Invalid parameter(s): {name}", params={name: why})


def render(record: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: record[name] for name in fields if name in record}


def render_order(order: dict[str, Any]) -> dict[str, Any]:
    body = render(order, schema.ORDER)
    body["billing"] = render(order["billing"], schema.BILLING)
    body["shipping"] = render(order["shipping"], schema.ORDER_SHIPPING)
    for key, fields in (
        ("line_items", schema.LINE_ITEM),
        ("tax_lines", schema.TAX_LINE),
        ("shipping_lines", schema.SHIPPING_LINE),
        ("fee_lines", schema.FEE_LINE),
        ("coupon_lines", schema.COUPON_LINE),
    ):
        body[key] = [render(item, fields) for item in order[key]]
    return body


def render_note(note: dict[str, Any]) -> dict[str, Any]:
    return render(note, schema.ORDER_NOTE)


def render_refund(refund: dict[str, Any]) -> dict[str, Any]:
    body = render(refund, schema.REFUND)
    body["line_items"] = [render(item, schema.REFUND_LINE_ITEM) for item in refund["line_items"]]
    body["shipping_lines"] = [render(item, schema.SHIPPING_LINE) for item in refund["shipping_lines"]]
    return body


def render_customer(customer: dict[str, Any]) -> dict[str, Any]:
    body = render(customer, schema.CUSTOMER)
    body["billing"] = render(customer["billing"], schema.BILLING)
    body["shipping"] = render(customer["shipping"], schema.CUSTOMER_SHIPPING)
    return body


def render_product(product: dict[str, Any]) -> dict[str, Any]:
    return render(product, schema.PRODUCT)


def render_variation(variation: dict[str, Any]) -> dict[str, Any]:
    return render(variation, schema.VARIATION)


class WooCommerceSimulator:
    def __init__(
        self,
        *,
        consumer_key: str = "ck_test",
        consumer_secret: str = "cs_test",
        permissions: str = "read_write",
        https: bool = True,
        source: str = "https://woo.example.test/",
        seeded: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.permissions = permissions
        self.https = https
        self.store = Store(clock=clock) if clock is not None else Store()
        self.webhooks = WebhookSender(source=source)
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str, dict[str, list[str]], Any]] = []
        self._lock = threading.Lock()
        if seeded:
            seed(self.store)
        self._routes: list[tuple[re.Pattern, dict[str, Callable[..., Response]]]] = [
            (re.compile(r"^/orders$"), {"GET": self._orders_list}),
            (
                re.compile(r"^/orders/(?P<order_id>\d+)$"),
                {"GET": self._order_get, **self._editable(self._order_update)},
            ),
            (
                re.compile(r"^/orders/(?P<order_id>\d+)/refunds$"),
                {"GET": self._refunds_list, "POST": self._refund_create},
            ),
            (re.compile(r"^/orders/(?P<order_id>\d+)/refunds/(?P<refund_id>\d+)$"), {"GET": self._refund_get}),
            (
                re.compile(r"^/orders/(?P<order_id>\d+)/notes$"),
                {"GET": self._notes_list, "POST": self._note_create},
            ),
            (re.compile(r"^/customers$"), {"GET": self._customers_list}),
            (re.compile(r"^/customers/(?P<customer_id>\d+)$"), {"GET": self._customer_get}),
            (re.compile(r"^/products$"), {"GET": self._products_list, "POST": self._product_create}),
            (re.compile(r"^/products/batch$"), self._editable(self._products_batch)),
            (
                re.compile(r"^/products/(?P<product_id>\d+)$"),
                {"GET": self._product_get, **self._editable(self._product_update)},
            ),
            (re.compile(r"^/products/(?P<product_id>\d+)/variations$"), {"GET": self._variations_list}),
            (re.compile(r"^/products/(?P<product_id>\d+)/variations/batch$"), self._editable(self._variations_batch)),
            (re.compile(r"^/settings/(?P<group_id>[\w-]+)/(?P<setting_id>[\w-]+)$"), {"GET": self._setting_get}),
            (re.compile(r"^/webhooks$"), {"GET": self._webhooks_list, "POST": self._webhook_create}),
            (
                re.compile(r"^/webhooks/(?P<webhook_id>\d+)$"),
                {"GET": self._webhook_get, "DELETE": self._webhook_delete},
            ),
            (
                re.compile(r"^/products/(?P<product_id>\d+)/variations/(?P<variation_id>\d+)$"),
                {"GET": self._variation_get, **self._editable(self._variation_update)},
            ),
        ]

    @staticmethod
    def _editable(handler: Callable[..., Response]) -> dict[str, Callable[..., Response]]:
        return {"POST": handler, "PUT": handler, "PATCH": handler}

    # --- test controls -------------------------------------------------------------------------

    @property
    def clock(self):
        return self.store.clock

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        path: str = "",
        retry_after: str | None = None,
        page: str | None = None,
        location: str | None = None,
    ) -> None:
        """The next ``times`` requests whose path contains ``path`` answer ``status`` (optionally an
        HTML ``page`` or a redirect to ``location``, as a cache/security plugin or the host does)."""
        self.faults.append(
            Fault(status=status, times=times, path=path, retry_after=retry_after, page=page, location=location)
        )

    def order_json(self, order_id: int) -> dict[str, Any]:
        with self.store.lock:
            return render_order(self.store.orders[order_id])

    # --- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        response = self.handle(environ)
        if isinstance(response.body, bytes):  # an HTML page from "the host"
            headers = [("Content-Type", "text/html; charset=UTF-8"), *response.headers.items()]
            body = response.body
        else:
            headers = [("Content-Type", "application/json; charset=UTF-8"), *response.headers.items()]
            body = b"" if response.body is None else json.dumps(response.body).encode()
        headers.append(("Content-Length", str(len(body))))
        reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
        start_response(f"{response.status} {reason.get(response.status, 'Status')}", headers)
        return [body]

    def handle(self, environ) -> Response:
        method = environ["REQUEST_METHOD"].upper()
        path = environ.get("PATH_INFO", "")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self._error(ApiError(400, "rest_invalid_json", "Invalid JSON body passed."))
        with self._lock:
            self.requests.append((method, path, query, body))
            fault = next((f for f in self.faults if f.path in path and f.times > 0), None)
            if fault is not None:
                fault.times -= 1
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                if fault.location is not None:
                    headers["Location"] = fault.location
                if fault.page is not None or fault.location is not None:
                    return Response(fault.status, (fault.page or "").encode(), headers)
                return self._error(ApiError(fault.status, "sim_fault", "Injected fault.", headers=headers))
        if not path.startswith(BASE + "/") and path != BASE:
            return self._error(
                ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")
            )
        try:
            self._authenticate(environ, method, query)
            route = path[len(BASE) :]
            for pattern, handlers in self._routes:
                match = pattern.match(route)
                if match is None:
                    continue
                handler = handlers.get(method)
                if handler is None:
                    break
                with self.store.lock:
                    params = {k: int(v) if v.isdigit() else v for k, v in match.groupdict().items()}
                    return handler(query=query, body=body, **params)
            raise ApiError(404, "rest_no_route", "No route was found matching the URL and request method.")
        except ApiError as exc:
            return self._error(exc)

    @staticmethod
    def _error(exc: ApiError) -> Response:
        return Response(
            exc.status,
            {"code": exc.code, "message": exc.message, "data": {"status": exc.status, **exc.data}},
            exc.headers,
        )

    def _authenticate(self, environ, method: str, query: dict[str, list[str]]) -> None:
        key = query.get("consumer_key", [""])[0]
        secret = query.get("consumer_secret", [""])[0]
        basic = False
        if not key:
            header = environ.get("HTTP_AUTHORIZATION", "")
            if header.startswith("Basic "):
                try:
                    key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                    basic = True
                except ValueError:
                    key = ""
        if not self.https or not key:
            # Plain HTTP: WooCommerce only tries OAuth 1.0a, which these requests do not carry.
            verb = "list resources" if method == "GET" else "edit this resource"
            raise ApiError(401, "woocommerce_rest_cannot_view", f"Sorry, you cannot {verb}.")
        challenge = {"WWW-Authenticate": 'Basic realm="WooCommerce REST API"'} if basic else {}
        if key != self.consumer_key:
            raise ApiError(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.", headers=challenge)
        if secret != self.consumer_secret:
            raise ApiError(
                401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.", headers=challenge
            )
        if method in ("POST", "PUT", "PATCH", "DELETE") and self.permissions == "read":
            raise ApiError(
                401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions."
            )
        if method == "GET" and self.permissions == "write":
            raise ApiError(
                401, "woocommerce_rest_authentication_error", "The API key provided does not have read permissions."
            )

    # --- query parameters ----------------------------------------------------------------------

    @staticmethod
    def _int(query, name: str, default: int, *, minimum: int = 1, maximum: int | None = None) -> int:
        raw = query.get(name, [None])[0]
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise _invalid(name, f"{name} is not of type integer.") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise _invalid(name, f"{name} must be between {minimum} and {maximum}.")
        return value

    @staticmethod
    def _list(query, name: str) -> list[str]:
        values: list[str] = []
        for raw in query.get(name, []) + query.get(f"{name}[]", []):
            values += [v for v in raw.split(",") if v]
        return values

    @staticmethod
    def _enum(query, name: str, allowed: Iterable[str], default: str) -> str:
        value = query.get(name, [default])[0]
        if value not in allowed:
            raise _invalid(name, f"{name} is not one of {', '.join(allowed)}.")
        return value

    @staticmethod
    def _date(query, name: str) -> str | None:
        raw = query.get(name, [None])[0]
        if raw is None:
            return None
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise _invalid(name, "Invalid date.") from None
        return stamp(parsed) if parsed.tzinfo else parsed.isoformat(timespec="seconds")

    def _page(
        self,
        query,
        items: list[dict[str, Any]],
        *,
        path: str,
        orderby_enum: tuple[str, ...] = schema.ORDERBY,
        default_orderby: str = "date",
        default_order: str = "desc",
    ) -> Response:
        page = self._int(query, "page", 1)
        per_page = self._int(query, "per_page", 10, maximum=100)
        direction = self._enum(query, "order", schema.ORDER_DIRECTIONS, default_order)
        orderby = self._enum(query, "orderby", orderby_enum, default_orderby)
        include = [int(v) for v in self._list(query, "include") if v.isdigit()]
        if include:
            items = [item for item in items if item["id"] in include]
        key = {
            "id": "id",
            "include": "id",
            "date": "date_created_gmt",
            "registered_date": "date_created_gmt",
            "modified": "date_modified_gmt",
            "name": "name" if "name" in (items[0] if items else {}) else "last_name",
        }[orderby]
        items = sorted(items, key=lambda item: (item.get(key) or "", item["id"]), reverse=direction == "desc")
        total = len(items)
        pages = math.ceil(total / per_page) if total else 0
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        plain = {k: v[0] for k, v in query.items() if k not in ("consumer_key", "consumer_secret")}
        links = []
        if page > 1:
            links.append(f'<{BASE}{path}?{urlencode({**plain, "page": min(page - 1, max(pages, 1))})}>; rel="prev"')
        if pages > page:
            links.append(f'<{BASE}{path}?{urlencode({**plain, "page": page + 1})}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response(200, chunk, headers)

    def _window(self, query, items: list[dict[str, Any]], *, created: str, modified: str) -> list[dict[str, Any]]:
        gmt = query.get("dates_are_gmt", ["false"])[0].lower() in ("1", "true")
        suffix = "_gmt" if gmt else ""
        for name, field, keep in (
            ("after", created, lambda value, bound: value > bound),
            ("before", created, lambda value, bound: value < bound),
            ("modified_after", modified, lambda value, bound: value > bound),
            ("modified_before", modified, lambda value, bound: value < bound),
        ):
            bound = self._date(query, name)
            if bound is not None:
                items = [item for item in items if item.get(field + suffix) and keep(item[field + suffix], bound)]
        return items

    # --- orders and refunds --------------------------------------------------------------------

    def _order(self, order_id: int) -> dict[str, Any]:
        order = self.store.orders.get(order_id)
        if order is None:
            raise ApiError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return order

    def _orders_list(self, *, query, body) -> Response:
        statuses = self._list(query, "status") or ["any"]
        for status in statuses:
            if status not in schema.ORDER_STATUS_FILTER:
                raise _invalid("status", f"status[0] is not one of {', '.join(schema.ORDER_STATUS_FILTER)}.")
        items = list(self.store.orders.values())
        if "any" not in statuses:
            items = [order for order in items if order["status"] in statuses]
        customer = query.get("customer", [None])[0]
        if customer is not None:
            items = [order for order in items if str(order["customer_id"]) == customer]
        exclude = {int(v) for v in self._list(query, "exclude") if v.isdigit()}
        items = [order for order in items if order["id"] not in exclude]
        items = self._window(query, items, created="date_created", modified="date_modified")
        response = self._page(query, items, path="/orders")
        response.body = [render_order(order) for order in response.body]
        return response

    def _order_get(self, *, query, body, order_id: int) -> Response:
        return Response(200, render_order(self._order(order_id)), {})

    def _refuse_readonly(self, resource: str, body: Any, writable: Iterable[str]) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.")
        readonly = sorted(set(body) & set(schema.READONLY[resource]))
        if readonly:
            raise _invalid(readonly[0], f"{', '.join(readonly)} is read-only.")
        unknown = sorted(set(body) - set(writable))
        if unknown:
            raise _invalid(unknown[0], f"{', '.join(unknown)} is not supported by the simulator.")
        return body

    def _order_update(self, *, query, body, order_id: int) -> Response:
        order = self._order(order_id)
        changes = self._refuse_readonly("orders", body, schema.ORDER_WRITABLE)
        if "status" in changes and changes["status"] not in schema.ORDER_STATUSES:
            raise _invalid("status", f"status is not one of {', '.join(schema.ORDER_STATUSES)}.")
        now = self.store.clock.now()
        before = order["status"]
        for name, value in changes.items():
            if name == "meta_data":
                self._meta_update(order, value)
                continue
            order[name] = {**order[name], **value} if isinstance(order.get(name), dict) else value
        if order["status"] != before:
            self._status_changed(order, before=before, now=now)
        order["date_modified"], order["date_modified_gmt"] = site_stamp(now), stamp(now)
        if order["status"] != before:
            # woocommerce_update_order is one of order.updated's hooks (reference: webhooks.topics); the
            # simulator fires it on a status change only [simplification: WooCommerce fires on every save].
            self.webhooks.fire("order.updated", render_order(order))
        return Response(200, render_order(order), {})

    def _status_changed(self, order: dict[str, Any], *, before: str, now: dt.datetime) -> None:
        """WC_Order::status_transition: a system note "Order status changed from X to Y.", and
        ``date_completed`` set when the order becomes completed (WC_Order::maybe_set_date_completed)."""
        if order["status"] == "completed" and not order.get("date_completed"):
            order["date_completed"], order["date_completed_gmt"] = site_stamp(now), stamp(now)
        titles = {status: status.replace("-", " ").title() for status in schema.ORDER_STATUSES}
        self.note_add(
            order["id"],
            f"Order status changed from {titles.get(before, before)} to {titles[order['status']]}.",
            author="system",
        )

    def note_add(self, order_id: int, note: str, *, customer_note: bool = False, author: str = "system") -> dict:
        """Add an order note as WC_Order::add_order_note does (a test control as well as the route's work)."""
        now = self.store.clock.now()
        record = {
            "id": self.store.next_id(),
            "_order_id": order_id,
            "author": author,
            "date_created": site_stamp(now),
            "date_created_gmt": stamp(now),
            "note": note,
            "customer_note": customer_note,
        }
        self.store.notes[record["id"]] = record
        return record

    def _notes_list(self, *, query, body, order_id: int) -> Response:
        self._order(order_id)
        kind = self._enum(query, "type", schema.ORDER_NOTE_TYPES, "any")
        notes = [note for note in self.store.notes.values() if note["_order_id"] == order_id]
        if kind != "any":
            notes = [note for note in notes if note["customer_note"] == (kind == "customer")]
        notes.sort(key=lambda note: note["id"], reverse=True)  # get_comments: newest first
        return Response(200, [render_note(note) for note in notes], {})

    def _note_create(self, *, query, body, order_id: int) -> Response:
        if isinstance(body, dict) and body.get("id"):
            raise ApiError(400, "woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.")
        request = self._refuse_readonly("order_notes", body, schema.ORDER_NOTE_CREATE)
        if self.store.orders.get(order_id) is None:
            raise ApiError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
        if "note" not in request:
            raise ApiError(400, "rest_missing_callback_param", "Missing parameter(s): note", params=["note"])
        for name in ("customer_note", "added_by_user"):
            if name in request and not isinstance(request[name], bool):
                raise _invalid(name, f"{name} is not of type boolean.")
        if not isinstance(request["note"], str):
            raise _invalid("note", "note is not of type string.")
        author = "shop manager" if request.get("added_by_user") else "system"
        note = self.note_add(order_id, request["note"], customer_note=bool(request.get("customer_note")), author=author)
        location = f"{BASE}/orders/{order_id}/notes/{note['id']}"
        return Response(201, render_note(note), {"Location": location})

    def _meta_update(self, record: dict[str, Any], entries: Any) -> None:
        """meta_data writes: an entry with an id updates that row; without one the row with the same
        key is updated, else one is added (WC_Data::update_meta_data) [assumption: read from the
        reference's meta_data_write note, the key rule not in it]."""
        if not isinstance(entries, list):
            raise _invalid("meta_data", "meta_data is not of type array.")
        rows = record.setdefault("meta_data", [])
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise _invalid("meta_data", "meta_data items need a key.")
            match = next((r for r in rows if r["id"] == entry.get("id")), None) if entry.get("id") else None
            match = match or next((r for r in rows if r["key"] == entry["key"]), None)
            if match is not None:
                match["value"] = entry.get("value")
            else:
                next_id = 1 + max((row.get("id") or 0 for row in rows), default=0)
                rows.append({"id": next_id, "key": entry["key"], "value": entry.get("value")})

    def _refunds_of(self, order_id: int) -> list[dict[str, Any]]:
        return [refund for refund in self.store.refunds.values() if refund["_order_id"] == order_id]

    def _refunds_list(self, *, query, body, order_id: int) -> Response:
        if order_id not in self.store.orders:
            raise ApiError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        response = self._page(query, self._refunds_of(order_id), path=f"/orders/{order_id}/refunds")
        response.body = [render_refund(refund) for refund in response.body]
        return response

    def _refund_get(self, *, query, body, order_id: int, refund_id: int) -> Response:
        refund = self.store.refunds.get(refund_id)
        if order_id not in self.store.orders or refund is None or refund["_order_id"] != order_id:
            raise ApiError(404, "woocommerce_rest_invalid_order_refund_id", "Invalid order refund ID.")
        return Response(200, render_refund(refund), {})

    def _refund_create(self, *, query, body, order_id: int) -> Response:
        if order_id not in self.store.orders:
            raise ApiError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        request = self._refuse_readonly("order_refunds", body, schema.REFUND_CREATE)
        amount = None
        if request.get("amount") not in (None, ""):
            try:
                amount = Decimal(str(request["amount"]))
            except InvalidOperation:
                raise _invalid("amount", "amount is not a number.") from None
        try:
            refund = refund_create(
                self.store,
                self.store.orders[order_id],
                lines=request.get("line_items") or [],
                amount=amount,
                reason=request.get("reason") or "",
                api_refund=request.get("api_refund", True) is not False,
                api_restock=request.get("api_restock", True) is not False,
            )
        except RefundRefused as exc:
            raise ApiError(exc.status, exc.code, exc.message) from None
        # woocommerce_order_refunded is one of order.updated's hooks (reference: webhooks.topics).
        self.webhooks.fire("order.updated", render_order(self.store.orders[order_id]))
        return Response(201, render_refund(refund), {})

    # --- customers -----------------------------------------------------------------------------

    def _customers_list(self, *, query, body) -> Response:
        items = list(self.store.customers.values())
        email = query.get("email", [""])[0]
        if email:
            items = [c for c in items if c["email"].lower() == email.lower()]
        role = query.get("role", ["customer"])[0]
        if role != "all":
            items = [c for c in items if c["role"] == role]
        response = self._page(
            query,
            items,
            path="/customers",
            orderby_enum=schema.CUSTOMER_ORDERBY,
            default_orderby="name",
            default_order="asc",
        )
        response.body = [render_customer(customer) for customer in response.body]
        return response

    def _customer_get(self, *, query, body, customer_id: int) -> Response:
        customer = self.store.customers.get(customer_id)
        if customer is None:
            raise ApiError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
        return Response(200, render_customer(customer), {})

    # --- products, variations and stock --------------------------------------------------------

    def _product(self, product_id: int) -> dict[str, Any]:
        product = self.store.products.get(product_id)
        if product is None:
            raise ApiError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        return product

    def _products_list(self, *, query, body) -> Response:
        items = list(self.store.products.values())
        sku = query.get("sku", [""])[0]
        if sku:
            wanted = set(sku.split(","))
            items = [p for p in items if p["sku"] in wanted]
        kind = query.get("type", [None])[0]
        if kind is not None:
            if kind not in ("simple", "grouped", "external", "variable"):
                raise _invalid("type", "type is not one of simple, grouped, external, variable.")
            items = [p for p in items if p["type"] == kind]
        items = self._window(query, items, created="date_created", modified="date_modified")
        response = self._page(query, items, path="/products")
        response.body = [render_product(product) for product in response.body]
        return response

    def _product_get(self, *, query, body, product_id: int) -> Response:
        return Response(200, render_product(self._product(product_id)), {})

    def _variation(self, product_id: int, variation_id: int) -> dict[str, Any]:
        product = self._product(product_id)
        variation = self.store.variations.get(variation_id)
        if variation is None or variation["_parent_id"] != product["id"]:
            raise ApiError(404, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
        return variation

    def _variations_list(self, *, query, body, product_id: int) -> Response:
        product = self._product(product_id)
        items = [self.store.variations[v] for v in product["variations"]]
        sku = query.get("sku", [""])[0]
        if sku:
            items = [v for v in items if v["sku"] == sku]
        response = self._page(query, items, path=f"/products/{product_id}/variations")
        response.body = [render_variation(variation) for variation in response.body]
        return response

    def _variation_get(self, *, query, body, product_id: int, variation_id: int) -> Response:
        return Response(200, render_variation(self._variation(product_id, variation_id)), {})

    def _apply(self, record: dict[str, Any], changes: dict[str, Any], resource: str) -> None:
        for name, allowed in (
            ("stock_status", schema.STOCK_STATUSES),
            ("backorders", schema.BACKORDERS),
            ("status", schema.PRODUCT_STATUSES),
            ("type", schema.PRODUCT_TYPES),
        ):
            if name in changes and changes[name] not in allowed:
                raise _invalid(name, f"{name} is not one of {', '.join(allowed)}.")
        if changes.get("sku") and self.store.sku_taken(changes["sku"], but=record.get("id", 0)):
            # WC_Product::set_sku: a SKU used by another product or variation is refused.
            raise ApiError(400, "product_invalid_sku", "Invalid or duplicated SKU.")
        if "attributes" in changes:
            record["attributes"] = self._attributes(changes["attributes"], variation=resource == "product_variations")
            if resource == "product_variations" and record["attributes"]:
                record["_option"] = record["attributes"][0]["option"]
        if "stock_quantity" in changes:
            value = changes["stock_quantity"]
            if isinstance(value, bool) or not isinstance(value, int):
                raise _invalid("stock_quantity", "stock_quantity is not of type integer.")
            if record.get("type") == "variable":
                raise ApiError(
                    400, "woocommerce_rest_invalid_product_type", "Stock of a variable product is its variations'."
                )
        for name in ("sku", "regular_price", "sale_price", "status", "manage_stock", "stock_quantity", "stock_status",
                     "backorders", "name", "type", "description", "weight"):  # fmt: skip
            if name in changes:
                record[name] = changes[name]
        if "regular_price" in changes:
            record["price"] = changes["regular_price"]
        if record.get("manage_stock") and record.get("stock_quantity") is not None and "stock_status" not in changes:
            in_stock = record["stock_quantity"] > 0 or record.get("backorders") != "no"
            record["stock_status"] = "instock" if in_stock else "outofstock"
        now = self.store.clock.now()
        record["date_modified"] = site_stamp(now)
        if "date_modified_gmt" in record:
            record["date_modified_gmt"] = stamp(now)
        if resource == "product_variations":
            parent = self.store.products[record["_parent_id"]]
            parent["date_modified"], parent["date_modified_gmt"] = site_stamp(now), stamp(now)

    @staticmethod
    def _attributes(value: Any, *, variation: bool) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(a, dict) and a.get("name") for a in value):
            raise _invalid("attributes", "attributes is not a list of named attributes.")
        if variation:
            return [{"id": 0, "name": str(a["name"]), "option": str(a.get("option") or "")} for a in value]
        return [
            {"id": 0, "name": str(a["name"]), "position": position, "visible": bool(a.get("visible", False)),
             "variation": bool(a.get("variation", False)), "options": [str(o) for o in a.get("options") or ()]}
            for position, a in enumerate(value)
        ]  # fmt: skip

    def _product_create(self, *, query, body, **_) -> Response:
        if isinstance(body, dict) and "id" in body:
            raise ApiError(400, "woocommerce_rest_product_exists", "Cannot create existing product.")
        changes = self._refuse_readonly("products", body, schema.PRODUCT_WRITABLE)
        now = self.store.clock.now()
        product = {
            "id": self.store.next_id(), "name": "", "slug": "", "date_created": site_stamp(now),
            "date_created_gmt": stamp(now), "date_modified": site_stamp(now), "date_modified_gmt": stamp(now),
            "type": "simple", "status": "publish", "description": "", "sku": "", "price": "", "regular_price": "",
            "sale_price": "", "tax_status": "taxable", "tax_class": "", "manage_stock": False, "stock_quantity": None,
            "stock_status": "instock", "backorders": "no", "weight": "", "attributes": [], "variations": [],
            "meta_data": [],
        }  # fmt: skip
        self._apply(product, changes, "products")
        product["slug"] = re.sub(r"[^a-z0-9]+", "-", product["name"].lower()).strip("-")
        self.store.products[product["id"]] = product
        return Response(201, render_product(product), {})

    def _variation_create(self, product: dict[str, Any], item: Any) -> dict[str, Any]:
        if isinstance(item, dict) and "id" in item:
            raise ApiError(400, "woocommerce_rest_product_variation_exists", "Cannot create existing variation.")
        changes = self._refuse_readonly("product_variations", item, schema.VARIATION_WRITABLE)
        if product["type"] != "variable":
            raise ApiError(400, "woocommerce_rest_invalid_product_type", "Variations need a variable product.")
        local = site_stamp(self.store.clock.now())
        variation = {
            "id": self.store.next_id(), "date_created": local, "date_modified": local, "sku": "", "price": "",
            "regular_price": "", "sale_price": "", "status": "publish", "tax_status": "taxable", "tax_class": "",
            "manage_stock": False, "stock_quantity": None, "stock_status": "instock", "backorders": "no",
            "weight": "", "attributes": [], "meta_data": [], "type": "variation", "_parent_id": product["id"],
            "_option": "", "name": product["name"],
        }  # fmt: skip
        self._apply(variation, changes, "product_variations")
        self.store.variations[variation["id"]] = variation
        product["variations"].append(variation["id"])
        return variation

    def _setting_get(self, *, query, body, group_id: str, setting_id: str) -> Response:
        group = schema.SETTINGS.get(str(group_id))
        if group is None:
            raise ApiError(404, "rest_setting_setting_group_invalid", "Invalid setting group.")
        setting = group.get(str(setting_id))
        if setting is None:
            raise ApiError(404, "rest_setting_setting_invalid", "Invalid setting.")
        value = "yes" if self.store.prices_include_tax else "no"
        return Response(200, render({**setting, "value": value}, schema.SETTING), {})

    def _product_update(self, *, query, body, product_id: int) -> Response:
        product = self._product(product_id)
        changes = self._refuse_readonly("products", body, schema.PRODUCT_WRITABLE)
        self._apply(product, changes, "products")
        return Response(200, render_product(product), {})

    def _variation_update(self, *, query, body, product_id: int, variation_id: int) -> Response:
        variation = self._variation(product_id, variation_id)
        changes = self._refuse_readonly("product_variations", body, schema.VARIATION_WRITABLE)
        self._apply(variation, changes, "product_variations")
        return Response(200, render_variation(variation), {})

    def _batch(
        self,
        body,
        *,
        find: Callable[[int], dict],
        resource: str,
        render_one: Callable,
        create: Callable[[Any], dict] | None = None,
    ) -> Response:
        if not isinstance(body, dict):
            raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.")
        count = sum(len(body.get(key) or []) for key in ("create", "update", "delete"))
        if count > MAX_BATCH:
            raise ApiError(
                413,
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {MAX_BATCH} items for this request.",
            )
        answer: dict[str, list] = {}
        writable = schema.VARIATION_WRITABLE if resource == "product_variations" else schema.PRODUCT_WRITABLE
        if create is not None and body.get("create"):
            answer["create"] = []
            for item in body["create"]:
                try:
                    answer["create"].append(render_one(create(item)))
                except ApiError as exc:
                    error = {"code": exc.code, "message": exc.message, "data": {"status": exc.status, **exc.data}}
                    answer["create"].append({"id": 0, "error": error})
        for key in ("delete",) if create is not None else ("create", "delete"):
            if body.get(key):
                answer[key] = [
                    {"id": 0, "error": {"code": "sim_unsupported", "message": f"{key} is not simulated.",
                                        "data": {"status": 400}}}
                    for _ in body[key]
                ]  # fmt: skip
        results = []
        for item in body.get("update") or []:
            item_id = int(item.get("id") or 0) if isinstance(item, dict) else 0
            try:
                record = find(item_id)
                changes = self._refuse_readonly(resource, item, writable)
                self._apply(record, {k: v for k, v in changes.items() if k != "id"}, resource)
                results.append(render_one(record))
            except ApiError as exc:
                results.append({"id": item_id, "error": {"code": exc.code, "message": exc.message,
                                                          "data": {"status": exc.status, **exc.data}}})  # fmt: skip
        if body.get("update") or not answer:
            answer["update"] = results
        return Response(200, answer, {})

    def _products_batch(self, *, query, body) -> Response:
        return self._batch(body, find=self._product, resource="products", render_one=render_product)

    def _variations_batch(self, *, query, body, product_id: int) -> Response:
        product = self._product(product_id)
        return self._batch(
            body,
            find=lambda variation_id: self._variation(product_id, variation_id),
            resource="product_variations",
            render_one=render_variation,
            create=lambda item: self._variation_create(product, item),
        )

    # --- webhooks (WC_REST_Webhooks_V1_Controller; v3 inherits it) --------------------------------

    def _render_webhook(self, webhook) -> dict[str, Any]:
        resource, _, event = webhook.topic.partition(".")
        return {
            "id": webhook.id,
            "name": webhook.name,
            "status": webhook.status,
            "topic": webhook.topic,
            "resource": resource,
            "event": event,
            "hooks": [],
            "delivery_url": webhook.delivery_url,
            "date_created": site_stamp(self.store.clock.now()),
            "date_modified": site_stamp(self.store.clock.now()),
        }

    def _webhooks_list(self, *, query, body) -> Response:
        status = query.get("status", ["all"])[0]
        if status not in ("all", *schema.WEBHOOK_STATUSES):
            raise _invalid("status", f"status is not one of all, {', '.join(schema.WEBHOOK_STATUSES)}.")
        items = [
            {"id": w.id, "_webhook": w}
            for w in self.webhooks.subscriptions.values()
            if status == "all" or w.status == status
        ]
        response = self._page(query, items, path="/webhooks", default_orderby="id")
        response.body = [self._render_webhook(item["_webhook"]) for item in response.body]
        return response

    def _webhook_get(self, *, query, body, webhook_id: int) -> Response:
        webhook = self.webhooks.subscriptions.get(webhook_id)
        if webhook is None:
            raise ApiError(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.")
        return Response(200, self._render_webhook(webhook), {})

    def _webhook_create(self, *, query, body) -> Response:
        if not isinstance(body, dict):
            raise ApiError(400, "rest_invalid_json", "Invalid JSON body passed.")
        for name in ("topic", "delivery_url"):  # required by the route's args
            if not body.get(name):
                raise ApiError(400, "rest_missing_callback_param", f"Missing parameter(s): {name}", params=[name])
        if body.get("id"):
            raise ApiError(400, "woocommerce_rest_shop_webhook_exists", "Cannot create existing shop_webhook.")
        topic = str(body["topic"]).lower()
        if topic not in schema.WEBHOOK_TOPICS:
            raise ApiError(
                400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid."
            )
        url = str(body["delivery_url"])
        if not url.startswith(("http://", "https://")):
            raise ApiError(
                400,
                "woocommerce_rest_shop_webhook_invalid_delivery_url",
                "Webhook delivery URL must be a valid URL starting with http:// or https://.",
            )
        secret = str(body.get("secret") or "") or secrets.token_urlsafe(37)  # WooCommerce: 50 random characters
        webhook = self.webhooks.create(topic=topic, delivery_url=url, secret=secret, name=str(body.get("name") or ""))
        return Response(201, self._render_webhook(webhook), {"Location": f"{BASE}/webhooks/{webhook.id}"})

    def _webhook_delete(self, *, query, body, webhook_id: int) -> Response:
        force = query.get("force", ["false"])[0].lower() in ("1", "true")
        if not force:
            raise ApiError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
        webhook = self.webhooks.subscriptions.get(webhook_id)
        if webhook is None:
            raise ApiError(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.")
        rendered = self._render_webhook(webhook)
        self.webhooks.remove(webhook_id)
        return Response(200, rendered, {})
