"""WooCommerceClient: typed reads and stock writes against one store's REST API v3.

    client = WooCommerceClient(store_url="https://shop.example.se", consumer_key="ck_...",
                               consumer_secret="cs_...")
    for order in client.orders_iter(modified_after=since):
        ...

Collections are read page by page (``page``/``per_page``, at most 100) in ascending id order,
so records changed while paging do not move between pages; ``X-WP-TotalPages`` says when to
stop. Date filters are sent in UTC (``dates_are_gmt=true``).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import requests

from integrations.connectors.http import ClientStats, RetryPolicy
from integrations.connectors.woocommerce.exceptions import (
    WooError,
    WooPagingLimitExceeded,
    WooResponseError,
    error_from_body,
)
from integrations.connectors.woocommerce.payloads import (
    PRICES_INCLUDE_TAX_SETTING,
    ProductWrite,
    StockUpdate,
    VariationWrite,
    WebhookCreate,
    batch_body,
    batches,
    variations_batch_body,
)
from integrations.connectors.woocommerce.records import (
    StockResult,
    VariationResult,
    WooCustomer,
    WooOrder,
    WooOrderNote,
    WooPage,
    WooProduct,
    WooRefund,
    WooVariation,
    WooWebhook,
)
from integrations.connectors.woocommerce.transport import Transport

API_PATH = "/wp-json/wc/v3"
MAX_PER_PAGE = 100
DEFAULT_MAX_PAGES = 5000
MAX_INCLUDE = 100


def _header_int(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _utc(value: dt.datetime) -> str:
    """A filter value in UTC without offset (sent with ``dates_are_gmt=true``)."""
    if value.tzinfo is None:
        raise ValueError("WooCommerce date filters need an aware datetime")
    return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()


class WooCommerceClient:
    def __init__(
        self,
        *,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        per_page: int = MAX_PER_PAGE,
        max_pages: int = DEFAULT_MAX_PAGES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._transport = Transport(
            store_url=store_url,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            session=session,
            timeout=timeout,
            retry_policy=retry_policy,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.store_url = self._transport.store_url
        self.per_page = max(1, min(per_page, MAX_PER_PAGE))
        self.max_pages = max_pages

    def __repr__(self) -> str:
        return f"<WooCommerceClient {self.store_url}>"

    @property
    def stats(self) -> ClientStats:
        return self._transport.stats

    # --- plumbing ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.store_url}{API_PATH}/{path.lstrip('/')}"

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self._transport.request("GET", self._url(path), params=params)
        return self._transport.json(response)

    def _object(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self._get(path, params)
        if not isinstance(body, dict):
            raise WooResponseError(
                f"Expected an object from {API_PATH}/{path}.", code="invalid_json", store=self.store_url
            )
        return body

    def page(self, path: str, *, params: dict[str, Any] | None = None, page: int = 1) -> WooPage:
        """One page of a collection with its X-WP-Total / X-WP-TotalPages headers."""
        query = {**(params or {}), "page": page, "per_page": self.per_page}
        response = self._transport.request("GET", self._url(path), params=query)
        body = self._transport.json(response)
        if not isinstance(body, list):
            raise WooResponseError(
                f"Expected a list from {API_PATH}/{path}.", code="invalid_json", store=self.store_url
            )
        return WooPage(
            items=body,
            page=page,
            total=_header_int(response, "X-WP-Total"),
            total_pages=_header_int(response, "X-WP-TotalPages"),
        )

    def iter_collection(self, path: str, *, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a collection, oldest id first; refuses (never truncates) past max_pages."""
        params = {"orderby": "id", "order": "asc", **(params or {})}
        number = 1
        while True:
            if number > self.max_pages:
                raise WooPagingLimitExceeded(
                    f"{API_PATH}/{path} has more than {self.max_pages} pages.",
                    code="paging_limit",
                    store=self.store_url,
                )
            current = self.page(path, params=params, page=number)
            yield from current.items
            if not current.items:
                return
            if current.total_pages is not None and number >= current.total_pages:
                return
            if current.total_pages is None and len(current.items) < self.per_page:
                return
            number += 1

    # --- orders --------------------------------------------------------------------------------

    def orders_iter(
        self,
        *,
        modified_after: dt.datetime | None = None,
        modified_before: dt.datetime | None = None,
        after: dt.datetime | None = None,
        before: dt.datetime | None = None,
        statuses: Iterable[str] = (),
    ) -> Iterator[WooOrder]:
        """Orders changed (``modified_after``) or created (``after``) in a window, by ascending id."""
        params: dict[str, Any] = {}
        for name, value in (
            ("modified_after", modified_after),
            ("modified_before", modified_before),
            ("after", after),
            ("before", before),
        ):
            if value is not None:
                params[name] = _utc(value)
        if params:
            params["dates_are_gmt"] = True
        if statuses:
            params["status"] = list(statuses)
        for item in self.iter_collection("orders", params=params):
            yield WooOrder.from_json(item)

    def orders_count(self, *, after: dt.datetime | None = None) -> int:
        """How many orders (created after ``after``): one request, the X-WP-Total header."""
        params: dict[str, Any] = {"dates_are_gmt": True, "after": _utc(after)} if after else {}
        response = self._transport.request("GET", self._url("orders"), params={**params, "per_page": 1})
        total = _header_int(response, "X-WP-Total")
        if total is None:
            raise WooResponseError(
                f"{API_PATH}/orders answered without an X-WP-Total header.", code="missing_total", store=self.store_url
            )
        return total

    def order_get(self, order_id: int) -> WooOrder:
        return WooOrder.from_json(self._object(f"orders/{int(order_id)}"))

    def orders_by_ids(self, ids: Iterable[int]) -> list[WooOrder]:
        """The orders with these ids that exist (missing ids are left out), in ascending id order."""
        wanted = sorted({int(i) for i in ids})
        found: list[WooOrder] = []
        for start in range(0, len(wanted), MAX_INCLUDE):
            chunk = wanted[start : start + MAX_INCLUDE]
            found += [WooOrder.from_json(item) for item in self.iter_collection("orders", params={"include": chunk})]
        return found

    # --- refunds -------------------------------------------------------------------------------

    def refunds_list(self, order_id: int) -> list[WooRefund]:
        items = self.iter_collection(f"orders/{int(order_id)}/refunds")
        return [WooRefund.from_json(item, order_id=int(order_id)) for item in items]

    def refund_get(self, order_id: int, refund_id: int) -> WooRefund:
        data = self._object(f"orders/{int(order_id)}/refunds/{int(refund_id)}")
        return WooRefund.from_json(data, order_id=int(order_id))

    # --- customers -----------------------------------------------------------------------------

    def customers_iter(self, *, email: str = "") -> Iterator[WooCustomer]:
        params = {"email": email, "role": "all"} if email else {"role": "all"}
        for item in self.iter_collection("customers", params=params):
            yield WooCustomer.from_json(item)

    def customer_get(self, customer_id: int) -> WooCustomer:
        return WooCustomer.from_json(self._object(f"customers/{int(customer_id)}"))

    # --- products and variations ---------------------------------------------------------------

    def products_iter(self, *, modified_after: dt.datetime | None = None, sku: str = "") -> Iterator[WooProduct]:
        params: dict[str, Any] = {}
        if modified_after is not None:
            params.update(modified_after=_utc(modified_after), dates_are_gmt=True)
        if sku:
            params["sku"] = sku
        for item in self.iter_collection("products", params=params):
            yield WooProduct.from_json(item)

    def product_get(self, product_id: int) -> WooProduct:
        return WooProduct.from_json(self._object(f"products/{int(product_id)}"))

    def variations_iter(self, product_id: int) -> Iterator[WooVariation]:
        for item in self.iter_collection(f"products/{int(product_id)}/variations"):
            yield WooVariation.from_json(item, product_id=int(product_id))

    def product_create(self, product: ProductWrite) -> WooProduct:
        """``POST /products`` (not idempotent: a lost answer is WooAmbiguousWriteError, and the caller
        looks the product up by SKU before creating again)."""
        return WooProduct.from_json(self._write("POST", "products", product.to_json(), idempotent=False))

    def product_update(self, product_id: int, product: ProductWrite) -> WooProduct:
        """``PUT /products/{id}`` with absolute values: resending it is harmless."""
        return WooProduct.from_json(self._write("PUT", f"products/{int(product_id)}", product.to_json()))

    def variations_write(self, product_id: int, variations: list[VariationWrite]) -> list[VariationResult]:
        """Create (``id`` 0) and update variations through ``/products/{id}/variations/batch``,
        100 a request; one refused does not stop the others. Results come back in the order given."""
        results: list[VariationResult] = []
        for chunk in batches(variations):
            body = variations_batch_body(chunk)
            path = f"products/{int(product_id)}/variations/batch"
            answer = self._write("POST", path, body, idempotent="create" not in body, operations=len(chunk))
            ordered = [v for v in chunk if not v.id] + [v for v in chunk if v.id]
            items = (answer.get("create") or []) + (answer.get("update") or [])
            if len(items) != len(ordered):
                raise WooResponseError(
                    f"{API_PATH}/{path} did not answer every item of the batch.",
                    code="invalid_batch",
                    store=self.store_url,
                )
            by_sku: dict[str, VariationResult] = {}
            for wanted, item in zip(ordered, items, strict=True):
                error = item.get("error") if isinstance(item, dict) else None
                if isinstance(error, dict) or not isinstance(item, dict):
                    failure = error_from_body(status=None, body=error or {}, store=self.store_url)
                    by_sku[wanted.sku] = VariationResult(
                        sku=wanted.sku, error_code=failure.code or "error", error_message=failure.message
                    )
                else:
                    by_sku[wanted.sku] = VariationResult(
                        sku=wanted.sku, variation=WooVariation.from_json(item, product_id=int(product_id))
                    )
            results += [by_sku[v.sku] for v in chunk]
        return results

    def prices_include_tax(self) -> bool:
        """The store's "Prices entered with tax" (``/settings/tax/woocommerce_prices_include_tax``,
        value ``yes`` or ``no``): whether the prices the product writes are gross."""
        setting = self._object(f"settings/tax/{PRICES_INCLUDE_TAX_SETTING}")
        value = setting.get("value")
        if value not in ("yes", "no"):
            raise WooResponseError(
                f"{API_PATH}/settings/tax/{PRICES_INCLUDE_TAX_SETTING} answered without yes or no.",
                code="invalid_setting",
                store=self.store_url,
            )
        return value == "yes"

    def _write(
        self, method: str, path: str, body: dict[str, Any], *, idempotent: bool = True, operations: int = 1
    ) -> dict[str, Any]:
        response = self._transport.request(
            method, self._url(path), body=body, idempotent=idempotent, operations=operations
        )
        answer = self._transport.json(response)
        if not isinstance(answer, dict):
            raise WooResponseError(
                f"Expected an object from {API_PATH}/{path}.", code="invalid_json", store=self.store_url
            )
        return answer

    def order_meta_set(self, order_id: int, *, key: str, value: str) -> None:
        """Set one meta_data entry of an order by key (``PUT /orders/{id}``): without a meta id
        WooCommerce updates the entry with that key, or adds it, so a resend changes nothing."""
        self._write("PUT", f"orders/{int(order_id)}", {"meta_data": [{"key": key, "value": value}]})

    def order_status_set(self, order_id: int, status: str) -> WooOrder:
        """Set an order's status (``PUT /orders/{id}``, a value of the reference's status enum).
        Absolute: a resend sets the same status, which WooCommerce does not record as a change."""
        return WooOrder.from_json(self._write("PUT", f"orders/{int(order_id)}", {"status": status}))

    def order_notes(self, order_id: int, *, kind: str = "any") -> list[WooOrderNote]:
        """The order's notes, newest first (``type``: ``any``, ``customer`` or ``internal``)."""
        body = self._get(f"orders/{int(order_id)}/notes", {"type": kind})
        if not isinstance(body, list):
            raise WooResponseError(
                f"Expected a list from {API_PATH}/orders/{{id}}/notes.", code="invalid_json", store=self.store_url
            )
        return [WooOrderNote.from_json(item, order_id=int(order_id)) for item in body if isinstance(item, dict)]

    def order_note_add(self, order_id: int, note: str, *, customer_note: bool = False) -> WooOrderNote:
        """Add a note to an order (``POST /orders/{id}/notes``; ``customer_note`` false keeps it private
        to the shop staff, true e-mails it to the customer). Not idempotent: a lost answer is
        WooAmbiguousWriteError, and the caller looks for the note before adding it again."""
        body = {"note": note, "customer_note": customer_note}
        answer = self._write("POST", f"orders/{int(order_id)}/notes", body, idempotent=False)
        return WooOrderNote.from_json(answer, order_id=int(order_id))

    # --- webhooks ------------------------------------------------------------------------------

    def webhooks_list(self) -> list[WooWebhook]:
        """Every webhook saved in the store (any status)."""
        return [WooWebhook.from_json(item) for item in self.iter_collection("webhooks", params={"status": "all"})]

    def webhook_create(self, webhook: WebhookCreate) -> WooWebhook:
        """Save a webhook (a write: needs a read/write key). WooCommerce answers 201 and then pings
        the delivery URL; a ping that fails leaves the webhook saved but not yet delivering."""
        response = self._transport.request("POST", self._url("webhooks"), body=webhook.to_json())
        body = self._transport.json(response)
        if not isinstance(body, dict):
            raise WooResponseError(
                f"Expected an object from {API_PATH}/webhooks.", code="invalid_json", store=self.store_url
            )
        return WooWebhook.from_json(body)

    def webhook_delete(self, webhook_id: int) -> None:
        """Delete for good (``force=true``: webhooks cannot be trashed, WooCommerce answers 501 without)."""
        self._transport.request(
            "DELETE", self._url(f"webhooks/{int(webhook_id)}"), params={"force": True}, idempotent=True
        )

    # --- stock ---------------------------------------------------------------------------------

    def stock_update(self, updates: Iterable[StockUpdate]) -> list[StockResult]:
        """Set absolute stock quantities through the batch endpoints (100 items a request).

        Simple products go to /products/batch, variations to /products/{id}/variations/batch.
        One item refused does not stop the others: each result says what WooCommerce answered.
        """
        simple: list[StockUpdate] = []
        by_parent: dict[int, list[StockUpdate]] = {}
        for update in updates:
            if update.variation_id:
                by_parent.setdefault(update.product_id, []).append(update)
            else:
                simple.append(update)
        results: list[StockResult] = []
        for chunk in batches(simple):
            results += self._batch("products/batch", chunk)
        for parent, parent_updates in by_parent.items():
            for chunk in batches(parent_updates):
                results += self._batch(f"products/{parent}/variations/batch", chunk)
        return results

    def _batch(self, path: str, updates: list[StockUpdate]) -> list[StockResult]:
        response = self._transport.request(
            "POST", self._url(path), body=batch_body(updates), idempotent=True, operations=len(updates)
        )
        body = self._transport.json(response)
        answered = body.get("update") if isinstance(body, dict) else None
        if not isinstance(answered, list) or len(answered) != len(updates):
            raise WooResponseError(
                f"{API_PATH}/{path} did not answer every item of the batch.", code="invalid_batch", store=self.store_url
            )
        results = []
        for update, item in zip(updates, answered, strict=True):
            error = item.get("error") if isinstance(item, dict) else None
            if isinstance(error, dict):
                failure: WooError = error_from_body(status=None, body=error, store=self.store_url)
                results.append(
                    StockResult(
                        id=update.target_id,
                        product_id=update.product_id,
                        error_code=failure.code or "error",
                        error_message=failure.message,
                    )
                )
                continue
            quantity = item.get("stock_quantity") if isinstance(item, dict) else None
            results.append(
                StockResult(
                    id=update.target_id,
                    product_id=update.product_id,
                    stock_quantity=None if quantity is None else int(quantity),
                )
            )
        return results
