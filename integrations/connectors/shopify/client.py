"""Client for the Shopify GraphQL Admin API (one pinned API version).

Endpoint: ``https://{shop}/admin/api/{version}/graphql.json`` with ``X-Shopify-Access-Token``.
When ``SHOPIFY_API_ROOT`` is set (a simulator, a proxy) it replaces ``https://{shop}`` and the shop
domain becomes the first path segment: ``{root}/{shop}/admin/api/{version}/graphql.json``. A path
segment (not a Host header) keeps one root usable for many shops and works through any proxy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

import requests
from django.conf import settings

from integrations.connectors.shopify import mappers, queries
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.bulk import reassemble
from integrations.connectors.shopify.exceptions import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyNotFound,
    ShopifyThrottled,
    ShopifyUserError,
)
from integrations.connectors.shopify.throttle import CostBucket

logger = logging.getLogger(__name__)

BULK_FINISHED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}
# Shopify accepts at most 250 quantities per inventorySetQuantities call.
INVENTORY_BATCH = 250
NAMES_PER_QUERY = 25
# Page sizes that keep each page's requested cost under Shopify's 1,000-point query limit.
PAGE_SIZES = {"orders": 3, "products": 8}
DEFAULT_PAGE_SIZE = 50
# Bulk orders are finished (their refunds read) and yielded this many at a time.
BULK_ORDERS_BUFFER = 50


class ShopifyClient:
    def __init__(
        self,
        *,
        shop_domain: str,
        access_token,
        api_version: str | None = None,
        api_root: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5.0, 60.0),
        page_size: int | None = None,
        max_throttle_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.shop_domain = shop_domain
        # Accept a plain string or integrations.crypto.Secret; keep it out of repr/str.
        self._token = access_token.reveal() if hasattr(access_token, "reveal") else str(access_token)
        self.api_version = api_version or settings.SHOPIFY_API_VERSION
        root = api_root if api_root is not None else settings.SHOPIFY_API_ROOT
        base = f"{root.rstrip('/')}/{shop_domain}" if root else f"https://{shop_domain}"
        self.endpoint = f"{base}/admin/api/{self.api_version}/graphql.json"
        self._session = session or requests.Session()
        self._timeout = timeout
        self.page_size = page_size
        self.max_throttle_retries = max_throttle_retries
        self._sleep = sleep
        self._clock = clock
        self.bucket = CostBucket()
        self._known_costs: dict[str, int] = {}
        self.stats = t.ClientStats()

    def __repr__(self) -> str:
        return f"ShopifyClient(shop_domain={self.shop_domain!r}, api_version={self.api_version!r})"

    # --- transport ---------------------------------------------------------------------------

    def execute(self, query: str, variables: dict | None = None) -> dict:
        """Run one GraphQL document and return its ``data``; raises the connector's errors."""
        key = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()
        throttled = 0
        while True:
            self._wait(self.bucket.wait_for(self._known_costs.get(key, 0), now=self._clock()))
            body = self._post(query, variables)
            cost = (body.get("extensions") or {}).get("cost") or {}
            self._observe_cost(key, cost)
            errors = body.get("errors") or []
            if any(_error_code(e) == "THROTTLED" for e in errors):
                throttled += 1
                self.stats.throttled += 1
                if throttled > self.max_throttle_retries:
                    raise ShopifyThrottled("Shopify kept throttling the request; the retry budget is spent.")
                requested = float(cost.get("requestedQueryCost") or 0)
                self._wait(self.bucket.wait_for(requested, now=self._clock()))
                continue
            if errors:
                raise _error_from(errors)
            return body.get("data") or {}

    def _post(self, query: str, variables: dict | None) -> dict:
        headers = {"X-Shopify-Access-Token": self._token, "Content-Type": "application/json"}
        try:
            response = self._session.post(
                self.endpoint,
                json={"query": query, "variables": variables or {}},
                headers=headers,
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise ShopifyError(f"Shopify could not be reached ({type(exc).__name__}).") from exc
        self.stats.requests += 1
        if response.status_code in (401, 403):
            raise ShopifyAuthError(
                f"Shopify rejected the access token (HTTP {response.status_code}): it is invalid, revoked "
                "or lacks a required scope.",
                status=response.status_code,
            )
        if response.status_code == 404:
            raise ShopifyNotFound(f"Shop {self.shop_domain} not found (HTTP 404).", status=404)
        if response.status_code == 429:
            # REST-style throttle (rare for GraphQL): respect Retry-After once, then surface it.
            raise ShopifyThrottled("Shopify answered 429 Too Many Requests.", status=429)
        if response.status_code >= 400:
            raise ShopifyError(f"Shopify answered HTTP {response.status_code}.", status=response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise ShopifyError("Shopify answered with a body that is not JSON.") from exc

    def _observe_cost(self, key: str, cost: dict) -> None:
        if not cost:
            return
        requested = int(cost.get("requestedQueryCost") or 0)
        self._known_costs[key] = requested
        self.stats.cost_requested += requested
        self.stats.cost_used += int(cost.get("actualQueryCost") or 0)
        if cost.get("throttleStatus"):
            self.bucket.observe(cost["throttleStatus"], now=self._clock())

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            logger.debug("Shopify cost bucket low for %s: waiting %.2fs", self.shop_domain, seconds)
            self.stats.waited_seconds += seconds
            self._sleep(seconds)

    def paginate(self, query: str, path: tuple[str, ...], variables: dict | None = None) -> Iterator[dict]:
        """Yield the nodes of the connection at ``path``, following pageInfo cursors."""
        first = self.page_size or PAGE_SIZES.get(path[-1], DEFAULT_PAGE_SIZE)
        after = None
        while True:
            data = self.execute(query, {**(variables or {}), "first": first, "after": after})
            connection = _dig(data, path)
            if connection is None:
                raise ShopifyNotFound(f"Shopify returned no {'.'.join(path)}.")
            yield from mappers.nodes(connection)
            page = connection.get("pageInfo") or {}
            if not page.get("hasNextPage"):
                return
            after = page["endCursor"]

    # --- shop, orders, customers ------------------------------------------------------------------

    def shopify_payments_account(self) -> t.ShopifyPaymentsAccount | None:
        """The shop's Shopify Payments account; None when it has none or the token may not read it."""
        try:
            account = self.execute(queries.SHOPIFY_PAYMENTS_ACCOUNT).get("shopifyPaymentsAccount")
        except ShopifyAuthError:
            raise
        except ShopifyError:
            return None  # e.g. ACCESS_DENIED without the read_shopify_payments scope
        if not account:
            return None
        return t.ShopifyPaymentsAccount(
            id=account["id"], activated=bool(account.get("activated")), default_currency=account["defaultCurrency"]
        )

    def shop_get(self) -> t.Shop:
        shop = self.execute(queries.SHOP)["shop"]
        return t.Shop(
            name=shop["name"],
            currency_code=shop["currencyCode"],
            iana_timezone=shop.get("ianaTimezone") or "",
            myshopify_domain=shop.get("myshopifyDomain") or "",
            email=shop.get("email") or "",
            presentment_currencies=tuple(shop.get("enabledPresentmentCurrencies") or ()),
        )

    def orders_iter(
        self,
        *,
        updated_since: dt.datetime | None = None,
        created_since: dt.datetime | None = None,
        query: str | None = None,
    ) -> Iterator[t.Order]:
        search = _search(
            f"updated_at:>='{_iso(updated_since)}'" if updated_since else "",
            f"created_at:>='{_iso(created_since)}'" if created_since else "",
            query or "",
        )
        for node in self.paginate(queries.ORDERS_PAGE, ("orders",), {"query": search}):
            yield mappers.order(self._complete_order(node))

    def order_get(self, order_id: str) -> t.Order:
        gid = order_id if order_id.startswith("gid://") else f"gid://shopify/Order/{order_id}"
        node = self.execute(queries.ORDER_GET, {"id": gid}).get("order")
        if node is None:
            raise ShopifyNotFound(f"Order {gid} not found.")
        return mappers.order(self._complete_order(node))

    def orders_by_names(self, names: Iterable[str]) -> list[t.Order]:
        names = [n for n in names if n]
        found: list[t.Order] = []
        for start in range(0, len(names), NAMES_PER_QUERY):
            chunk = names[start : start + NAMES_PER_QUERY]
            search = " OR ".join(f'name:"{name}"' for name in chunk)
            found.extend(self.orders_iter(query=search))
        return found

    def _complete_order(self, node: dict) -> dict:
        """Page the rest of every capped nested connection of an order and of each of its refunds.

        An order read asks for the first rows of each nested connection and its ``pageInfo``; a
        connection with more rows is completed here, one small query per further page. Plain lists
        (the order's transactions and refunds, and a bulk result's reassembled connections) hold
        every row already and are left as they are.
        """
        for key, query in queries.ORDER_CONNECTION_PAGES.items():
            self._complete_connection(node, key, query, root="order")
        for refund in mappers.nodes(node.get("refunds")):
            for key, query in queries.REFUND_CONNECTION_PAGES.items():
                self._complete_connection(refund, key, query, root="refund")
        return node

    def _complete_connection(self, owner: dict, key: str, query: str, *, root: str) -> None:
        connection = owner.get(key)
        if not isinstance(connection, dict):
            return
        page = connection.get("pageInfo") or {}
        while page.get("hasNextPage"):
            data = self.execute(query, {"id": owner["id"], "after": page["endCursor"]})
            more = (data.get(root) or {}).get(key)
            if more is None:
                raise ShopifyNotFound(f"{root.title()} {owner['id']} disappeared while its {key} were read.")
            connection.setdefault("edges", []).extend(more.get("edges") or [])
            page = connection["pageInfo"] = more.get("pageInfo") or {}

    def customers_iter(self, *, updated_since: dt.datetime | None = None, query: str | None = None):
        search = _search(f"updated_at:>='{_iso(updated_since)}'" if updated_since else "", query or "")
        for node in self.paginate(queries.CUSTOMERS_PAGE, ("customers",), {"query": search}):
            yield mappers.customer(node)

    # --- products and stock -----------------------------------------------------------------------

    def products_iter(self, *, updated_since: dt.datetime | None = None, query: str | None = None):
        search = _search(f"updated_at:>='{_iso(updated_since)}'" if updated_since else "", query or "")
        for node in self.paginate(queries.PRODUCTS_PAGE, ("products",), {"query": search}):
            yield mappers.product(node)

    def product_get(self, product_id: str) -> t.Product:
        gid = product_id if product_id.startswith("gid://") else f"gid://shopify/Product/{product_id}"
        node = self.execute(queries.PRODUCT_GET, {"id": gid}).get("product")
        if node is None:
            raise ShopifyNotFound(f"Product {gid} not found.")
        return mappers.product(node)

    def product_create(self, product: t.ProductInput) -> t.Product:
        """Create the product; its variants replace the standalone one Shopify makes with it."""
        fields = _product_input(product)
        fields.pop("id", None)
        if product.options:
            fields["productOptions"] = [
                {"name": option.name, "values": [{"name": value} for value in option.values]}
                for option in product.options
            ]
        data = self.execute(queries.PRODUCT_CREATE, {"product": fields})["productCreate"]
        _raise_user_errors(data, "productCreate")
        created = data["product"]
        if product.variants:
            try:
                created = self._variants_create(created["id"], product.variants, strategy="REMOVE_STANDALONE_VARIANT")
            except ShopifyUserError as exc:
                exc.product_id = created["id"]
                raise
        return mappers.product(created)

    def product_update(self, product: t.ProductInput) -> t.Product:
        if not product.id:
            raise ValueError("product_update needs ProductInput.id")
        data = self.execute(queries.PRODUCT_UPDATE, {"product": _product_input(product)})["productUpdate"]
        _raise_user_errors(data, "productUpdate")
        updated = data["product"]
        existing = [v for v in product.variants if v.id]
        new = [v for v in product.variants if not v.id]
        if existing:
            result = self.execute(
                queries.VARIANTS_BULK_UPDATE,
                {"productId": product.id, "variants": [_variant_input(v) for v in existing]},
            )["productVariantsBulkUpdate"]
            _raise_user_errors(result, "productVariantsBulkUpdate")
            updated = result["product"]
        if new:
            updated = self._variants_create(product.id, new, strategy="DEFAULT")
        return mappers.product(updated)

    def _variants_create(self, product_id: str, variants, *, strategy: str) -> dict:
        result = self.execute(
            queries.VARIANTS_BULK_CREATE,
            {"productId": product_id, "variants": [_variant_input(v) for v in variants], "strategy": strategy},
        )["productVariantsBulkCreate"]
        _raise_user_errors(result, "productVariantsBulkCreate")
        return result["product"]

    def inventory_set_quantities(
        self,
        changes: Iterable[t.InventoryChange],
        *,
        idempotency_key: str,
        reason: str = "correction",
        reference_document_uri: str | None = None,
    ) -> list[str]:
        """Set ``available`` quantities; returns the adjustment group ids (one per 250 changes).

        The same ``idempotency_key`` (suffixed per batch) makes a retry after a lost answer safe.
        """
        changes = list(changes)
        group_ids = []
        for batch_no, start in enumerate(range(0, len(changes), INVENTORY_BATCH)):
            batch = changes[start : start + INVENTORY_BATCH]
            payload = {
                "name": "available",
                "reason": reason,
                "ignoreCompareQuantity": True,
                "quantities": [
                    {"inventoryItemId": c.inventory_item_id, "locationId": c.location_id, "quantity": c.quantity}
                    for c in batch
                ],
            }
            if reference_document_uri:
                payload["referenceDocumentUri"] = reference_document_uri
            key = idempotency_key if batch_no == 0 else f"{idempotency_key}:{batch_no}"
            data = self.execute(queries.INVENTORY_SET_QUANTITIES, {"input": payload, "key": key})
            result = data["inventorySetQuantities"]
            _raise_user_errors(result, "inventorySetQuantities")
            group_ids.append((result.get("inventoryAdjustmentGroup") or {}).get("id") or "")
        return group_ids

    def locations_list(self) -> list[t.Location]:
        return [mappers.location(node) for node in self.paginate(queries.LOCATIONS_PAGE, ("locations",))]

    def inventory_levels_iter(self, location_id: str) -> Iterator[t.InventoryLevel]:
        path = ("location", "inventoryLevels")
        for node in self.paginate(queries.INVENTORY_LEVELS_PAGE, path, {"id": location_id}):
            yield mappers.inventory_level(node)

    # --- Shopify Payments ---------------------------------------------------------------------------

    def payouts_iter(self, *, since: dt.date | dt.datetime | None = None) -> Iterator[t.Payout]:
        day = since.date() if isinstance(since, dt.datetime) else since
        search = f"issued_at:>={day.isoformat()}" if day else ""
        path = ("shopifyPaymentsAccount", "payouts")
        for node in self.paginate(queries.PAYOUTS_PAGE, path, {"query": search}):
            yield mappers.payout(node)

    def payout_balance_transactions(self, payout_id: str) -> list[t.BalanceTransaction]:
        search = f"payments_transfer_id:{t.gid_tail(payout_id)}"
        path = ("shopifyPaymentsAccount", "balanceTransactions")
        return [
            mappers.balance_transaction(node)
            for node in self.paginate(queries.BALANCE_TRANSACTIONS_PAGE, path, {"query": search})
        ]

    # --- webhooks and bulk operations ---------------------------------------------------------------

    def webhook_subscribe(self, topic: str, callback_url: str) -> t.WebhookSubscription:
        """``topic`` as in the webhook header (``orders/create``) or the enum (``ORDERS_CREATE``)."""
        enum = topic.upper().replace("/", "_")
        data = self.execute(
            queries.WEBHOOK_SUBSCRIBE, {"topic": enum, "sub": {"callbackUrl": callback_url, "format": "JSON"}}
        )["webhookSubscriptionCreate"]
        _raise_user_errors(data, "webhookSubscriptionCreate")
        sub = data["webhookSubscription"]
        return t.WebhookSubscription(id=sub["id"], topic=sub["topic"], callback_url=sub.get("uri") or callback_url)

    def bulk_orders(
        self,
        query: str | None = None,
        *,
        created_since: dt.datetime | None = None,
        poll_interval: float = 2.0,
        max_polls: int = 3600,
        on_poll: Callable[[], None] | None = None,
    ) -> Iterator[t.Order]:
        """Backfill orders with one bulk operation; ``query`` is an orders search string.

        Yields the same ``Order`` records as ``orders_iter``, streamed: the JSONL is read line by
        line and an order is yielded once its lines are complete. Bulk queries cannot nest the
        refunds' connections, so the refunds of the orders that have any are read with paged
        requests, a few orders per request (``REFUNDS_ORDERS_PER_QUERY``), and a refund with more
        rows than those requests ask for is completed as in ``orders_iter``. ``on_poll`` is called
        on every poll while the operation runs (e.g. to renew the caller's lease).
        """
        search = _search(f"created_at:>='{_iso(created_since)}'" if created_since else "", query or "")
        operation = self.bulk_run(
            queries.bulk_orders_query(search), poll_interval=poll_interval, max_polls=max_polls, on_poll=on_poll
        )
        pending: list[dict] = []
        for node in self.bulk_download(operation):
            pending.append(node)
            if len(pending) >= BULK_ORDERS_BUFFER:
                yield from self._bulk_orders_finish(pending)
                pending = []
        yield from self._bulk_orders_finish(pending)

    def _bulk_orders_finish(self, nodes: list[dict]) -> Iterator[t.Order]:
        with_refunds = [node for node in nodes if node.get("refunds")]
        per_query = queries.REFUNDS_ORDERS_PER_QUERY
        for start in range(0, len(with_refunds), per_query):
            chunk = with_refunds[start : start + per_query]
            data = self.execute(
                queries.order_refunds_query(len(chunk)), {f"o{i}": node["id"] for i, node in enumerate(chunk)}
            )
            for i, node in enumerate(chunk):
                node["refunds"] = (data.get(f"o{i}") or {}).get("refunds") or []
        for node in nodes:
            yield mappers.order(self._complete_order(node))

    def orders_count(
        self, query: str | None = None, *, created_since: dt.datetime | None = None, limit: int | None = None
    ) -> int | None:
        """How many orders match ``query`` (at most ``limit``); None when the shop cannot tell.

        A cheap estimate for choosing bulk or paged reads. None when the API refuses the field
        (an older API version or a shop simulator without it): callers then assume "many".
        """
        search = _search(f"created_at:>='{_iso(created_since)}'" if created_since else "", query or "")
        try:
            data = self.execute(queries.ORDERS_COUNT, {"query": search, "limit": limit})
        except ShopifyAuthError:
            raise
        except ShopifyError:
            return None
        count = (data.get("ordersCount") or {}).get("count")
        return int(count) if count is not None else None

    def bulk_run(
        self,
        bulk_query: str,
        *,
        poll_interval: float = 2.0,
        max_polls: int = 3600,
        on_poll: Callable[[], None] | None = None,
    ) -> t.BulkOperation:
        """Start a bulk query and poll it until it ends; ``on_poll()`` runs after every poll."""
        data = self.execute(queries.BULK_RUN, {"query": bulk_query})["bulkOperationRunQuery"]
        _raise_user_errors(data, "bulkOperationRunQuery")
        op_id = data["bulkOperation"]["id"]
        for _ in range(max_polls):
            node = self.execute(queries.BULK_NODE, {"id": op_id}).get("node") or {}
            operation = t.BulkOperation(
                id=op_id,
                status=node.get("status") or "",
                url=node.get("url") or "",
                object_count=int(node.get("objectCount") or 0),
                error_code=node.get("errorCode") or "",
            )
            if on_poll is not None:
                on_poll()
            if operation.status in BULK_FINISHED:
                if operation.status != "COMPLETED":
                    raise ShopifyError(
                        f"Bulk operation {op_id} ended {operation.status} ({operation.error_code or 'no code'})."
                    )
                return operation
            self._wait(poll_interval)
        raise ShopifyError(f"Bulk operation {op_id} did not finish after {max_polls} polls.")

    def bulk_download(self, operation: t.BulkOperation) -> Iterator[dict]:
        if not operation.url:  # Shopify gives no file when nothing matched.
            return
        # A pre-signed storage URL: the access token is deliberately not sent there.
        try:
            response = self._session.get(operation.url, stream=True, timeout=self._timeout)
        except requests.RequestException as exc:
            raise ShopifyError(f"Bulk result download failed ({type(exc).__name__}).") from exc
        self.stats.requests += 1
        if response.status_code != 200:
            raise ShopifyError(f"Bulk result download answered HTTP {response.status_code}.")
        # Spooled to a temporary file first, then read line by line: memory stays one order deep,
        # and a flow that takes minutes per page cannot leave the storage download idle until the
        # storage side drops it.
        with tempfile.TemporaryFile() as spool:
            with response:
                try:
                    for chunk in response.iter_content(chunk_size=1 << 16):
                        spool.write(chunk)
                except requests.RequestException as exc:
                    raise ShopifyError(f"Bulk result download failed ({type(exc).__name__}).") from exc
            spool.seek(0)
            yield from reassemble(spool)


# --- helpers ----------------------------------------------------------------------------------------


def _error_code(error: dict) -> str:
    return ((error or {}).get("extensions") or {}).get("code") or ""


def _error_from(errors: list[dict]) -> ShopifyError:
    message = "; ".join(e.get("message", "unknown error") for e in errors)
    codes = {_error_code(e) for e in errors}
    if "ACCESS_DENIED" in codes:
        return ShopifyAuthError(f"Shopify denied access: {message}", errors=errors)
    if "NOT_FOUND" in codes:
        return ShopifyNotFound(message, errors=errors)
    return ShopifyError(f"Shopify GraphQL error: {message}", errors=errors)


def _raise_user_errors(payload: dict, operation: str) -> None:
    user_errors = payload.get("userErrors") or []
    if user_errors:
        message = "; ".join(
            f"{'.'.join(e.get('field') or []) or '-'}: {e.get('message', '')}".strip() for e in user_errors
        )
        raise ShopifyUserError(f"{operation} refused: {message}", user_errors=user_errors)


def _dig(data: dict, path: tuple[str, ...]):
    for key in path:
        if data is None:
            return None
        data = data.get(key)
    return data


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _search(*parts: str) -> str | None:
    joined = " ".join(p for p in parts if p)
    return joined or None


def _money_str(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _product_input(product: t.ProductInput) -> dict:
    fields = {
        "id": product.id,
        "title": product.title,
        "status": product.status,
        "vendor": product.vendor,
        "productType": product.product_type,
        "tags": list(product.tags) if product.tags is not None else None,
        "descriptionHtml": product.description_html,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _variant_input(variant: t.VariantInput) -> dict:
    inventory_item: dict = {}
    if variant.sku is not None:
        inventory_item["sku"] = variant.sku
    if variant.weight is not None:
        inventory_item["measurement"] = {"weight": {"unit": variant.weight_unit, "value": float(variant.weight)}}
    fields = {
        "id": variant.id,
        "price": _money_str(variant.price),
        "compareAtPrice": _money_str(variant.compare_at_price),
        "barcode": variant.barcode,
        "taxable": variant.taxable,
        "inventoryItem": inventory_item or None,
        "optionValues": [{"optionName": o.name, "name": o.value} for o in variant.option_values] or None,
    }
    return {k: v for k, v in fields.items() if v is not None}
