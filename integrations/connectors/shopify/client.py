"""Client for the Shopify GraphQL Admin API (the version pinned in version.py).

Reads and writes of shop records, in the connector's dataclasses (types.py). HTTP, retries and the
cost throttle live in transport.py; bulk operations in bulk.py; webhook subscriptions and bodies in
webhooks.py; the documents in queries.py. Build one per stored connection with
``factory.client_for_connection``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator

import requests
from django.conf import settings

from integrations import commerce
from integrations.connectors.http import RetryPolicy
from integrations.connectors.shopify import bulk, mappers, queries
from integrations.connectors.shopify import payloads as p
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.exceptions import (
    ShopifyNotFound,
    ShopifyStockConflict,
    ShopifyUserError,
)
from integrations.connectors.shopify.transport import ShopifyTransport, TokenProvider
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from integrations.connectors.shopify.webhooks import webhook_subscribe, webhook_subscriptions, webhook_unsubscribe

logger = logging.getLogger(__name__)

# Shopify accepts at most 250 quantities per inventorySetQuantities call.
INVENTORY_BATCH = 250
# A compare-and-swap conflict (CHANGE_FROM_QUANTITY_STALE) re-reads the levels and resends at most
# this many times; then ShopifyStockConflict (SHOP-006).
INVENTORY_CAS_RETRIES = 3
STALE_CODES = frozenset({"CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE"})
NAMES_PER_QUERY = 25
# Page sizes that keep each page's requested cost under Shopify's 1,000-point query limit.
PAGE_SIZES = {"orders": 6, "products": 8, "orderUsage": 50}
DEFAULT_PAGE_SIZE = 50
# Bulk orders are finished (their refunds read) and yielded this many at a time.
BULK_ORDERS_BUFFER = 50


class ShopifyClient:
    """One shop. ``token_provider()`` returns the current access token (called for every request);
    ``access_token`` is the shorthand for a fixed token (a string or an integrations.crypto.Secret)."""

    api_version = SHOPIFY_API_VERSION

    def __init__(
        self,
        *,
        shop_domain: str,
        access_token=None,
        token_provider: TokenProvider | None = None,
        api_root: str | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        page_size: int | None = None,
        max_throttle_retries: int = 5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        if token_provider is None:
            if access_token is None:
                raise ValueError("ShopifyClient needs access_token or token_provider")
            token_provider = _fixed_token(access_token)
        self.shop_domain = shop_domain
        if api_root is None:
            api_root = settings.SHOPIFY_API_ROOT
        self.transport = ShopifyTransport(
            shop_domain=shop_domain,
            token_provider=token_provider,
            api_root=api_root,
            session=session,
            timeout=timeout,
            retry_policy=retry_policy,
            max_throttle_retries=max_throttle_retries,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"ShopifyClient(shop_domain={self.shop_domain!r}, api_version={self.api_version!r})"

    @property
    def endpoint(self) -> str:
        return self.transport.endpoint

    @property
    def stats(self) -> t.ClientStats:
        return self.transport.stats

    @property
    def bucket(self):
        return self.transport.bucket

    def execute(self, query: str, variables: dict | None = None) -> dict:
        """Run one GraphQL document and return its ``data``; raises the connector's errors."""
        return self.transport.execute(query, variables)

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
        """The shop's Shopify Payments account; None only when the shop has none.

        Every failure raises (ACCESS_DENIED without the read_shopify_payments scope is a
        ``ShopifyAuthError``): a caller never mistakes an outage for "no Shopify Payments".
        """
        account = self.execute(queries.SHOPIFY_PAYMENTS_ACCOUNT).get("shopifyPaymentsAccount")
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
    ) -> Iterator[commerce.Order]:
        search = p.search(
            f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "",
            f"created_at:>='{p.iso(created_since)}'" if created_since else "",
            query or "",
        )
        for node in self.paginate(queries.ORDERS_PAGE, ("orders",), {"query": search}):
            yield mappers.order(self._complete_order(node))

    def order_usage_iter(self, *, created_since: dt.datetime) -> Iterator[commerce.OrderUsage]:
        """What each order since ``created_since`` used, newest first (a cheap query, no amounts)."""
        search = p.search(f"created_at:>='{p.iso(created_since)}'")
        for node in self.paginate(queries.ORDER_USAGE_PAGE, ("orderUsage",), {"query": search}):
            yield mappers.order_usage(node)

    def order_get(self, order_id: str) -> commerce.Order:
        gid = order_id if order_id.startswith("gid://") else f"gid://shopify/Order/{order_id}"
        node = self.execute(queries.ORDER_GET, {"id": gid}).get("order")
        if node is None:
            raise ShopifyNotFound(f"Order {gid} not found.")
        return mappers.order(self._complete_order(node))

    def fulfillment_orders(self, order_id: str) -> list[t.FulfillmentOrder]:
        """The order's fulfillment orders with each line's remaining quantity."""
        node = self.execute(queries.ORDER_FULFILLMENT_ORDERS, {"id": order_id}).get("order")
        if node is None:
            raise ShopifyNotFound(f"Order {order_id} not found.")
        return [mappers.fulfillment_order(fo) for fo in mappers.nodes(node.get("fulfillmentOrders"))]

    def fulfillment_create(
        self,
        lines: Iterable[t.FulfillmentLineInput],
        *,
        idempotency_key: str,
        tracking: commerce.Tracking | None = None,
        notify_customer: bool = False,
    ) -> str:
        """Fulfil the given fulfillment-order lines; returns the fulfilment's id. The request carries
        an ``@idempotent`` key from ``idempotency_key``: a resent request is applied once."""
        payload = p.fulfillment_input(list(lines), tracking=tracking, notify_customer=notify_customer)
        data = self.execute(
            queries.FULFILLMENT_CREATE, {"fulfillment": payload, "key": _request_key(idempotency_key, payload)}
        )["fulfillmentCreate"]
        _raise_user_errors(data, "fulfillmentCreate")
        return ((data.get("fulfillment") or {}).get("id")) or ""

    def order_metafields_set(self, values: dict[str, str], *, namespace: str, key: str) -> None:
        """One text metafield on each order (order id -> value), up to 25 orders per request
        (Shopify's limit for ``metafieldsSet``); a refused value raises ShopifyUserError."""
        items = list(values.items())
        for start in range(0, len(items), METAFIELDS_PER_REQUEST):
            metafields = [
                {"ownerId": owner, "namespace": namespace, "key": key, "type": "single_line_text_field", "value": value}
                for owner, value in items[start : start + METAFIELDS_PER_REQUEST]
            ]
            data = self.execute(queries.METAFIELDS_SET, {"metafields": metafields})["metafieldsSet"]
            _raise_user_errors(data, "metafieldsSet")

    def tags_add(self, resource_id: str, tags: Iterable[str]) -> None:
        data = self.execute(queries.TAGS_ADD, {"id": resource_id, "tags": list(tags)})["tagsAdd"]
        _raise_user_errors(data, "tagsAdd")

    def orders_by_names(self, names: Iterable[str]) -> list[commerce.Order]:
        names = [n for n in names if n]
        found: list[commerce.Order] = []
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
        search = p.search(f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "", query or "")
        for node in self.paginate(queries.CUSTOMERS_PAGE, ("customers",), {"query": search}):
            yield mappers.customer(node)

    # --- products and stock -----------------------------------------------------------------------

    def products_iter(self, *, updated_since: dt.datetime | None = None, query: str | None = None):
        search = p.search(f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "", query or "")
        for node in self.paginate(queries.PRODUCTS_PAGE, ("products",), {"query": search}):
            yield mappers.product(node)

    def product_get(self, product_id: str) -> commerce.Product:
        gid = product_id if product_id.startswith("gid://") else f"gid://shopify/Product/{product_id}"
        node = self.execute(queries.PRODUCT_GET, {"id": gid}).get("product")
        if node is None:
            raise ShopifyNotFound(f"Product {gid} not found.")
        return mappers.product(node)

    def product_create(self, product: commerce.ProductInput) -> commerce.Product:
        """Create the product; its variants replace the standalone one Shopify makes with it."""
        fields = p.product_input(product)
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

    def product_update(self, product: commerce.ProductInput) -> commerce.Product:
        if not product.id:
            raise ValueError("product_update needs ProductInput.id")
        data = self.execute(queries.PRODUCT_UPDATE, {"product": p.product_input(product)})["productUpdate"]
        _raise_user_errors(data, "productUpdate")
        updated = data["product"]
        existing = [v for v in product.variants if v.id]
        new = [v for v in product.variants if not v.id]
        if existing:
            result = self.execute(
                queries.VARIANTS_BULK_UPDATE,
                {"productId": product.id, "variants": [p.variant_input(v) for v in existing]},
            )["productVariantsBulkUpdate"]
            _raise_user_errors(result, "productVariantsBulkUpdate")
            updated = result["product"]
        if new:
            updated = self._variants_create(product.id, new, strategy="DEFAULT")
        return mappers.product(updated)

    def _variants_create(self, product_id: str, variants, *, strategy: str) -> dict:
        result = self.execute(
            queries.VARIANTS_BULK_CREATE,
            {"productId": product_id, "variants": [p.variant_input(v) for v in variants], "strategy": strategy},
        )["productVariantsBulkCreate"]
        _raise_user_errors(result, "productVariantsBulkCreate")
        return result["product"]

    def inventory_set_quantities(
        self,
        changes: Iterable[commerce.InventoryChange],
        *,
        idempotency_key: str,
        reason: str = "correction",
        reference_document_uri: str | None = None,
        max_conflict_retries: int = INVENTORY_CAS_RETRIES,
    ) -> list[str]:
        """Set ``available`` quantities with compare-and-swap; returns the adjustment group ids.

        Each change carries ``change_from_quantity``, the quantity the caller expects Shopify to
        hold (Shopify refuses to set it otherwise); None is sent as Shopify's explicit ``null``,
        "no comparison", for a level the caller has never set. When Shopify answers
        CHANGE_FROM_QUANTITY_STALE (someone else moved the stock), the batch's current levels are
        re-read and the batch resent with them, at most ``max_conflict_retries`` times, then
        ``ShopifyStockConflict``. Each request carries an ``@idempotent`` key derived from
        ``idempotency_key`` and the request's content: the same request resent after a lost answer
        is applied once, and a different request never reuses a key.
        """
        changes = list(changes)
        group_ids = []
        for batch_no, start in enumerate(range(0, len(changes), INVENTORY_BATCH)):
            batch = changes[start : start + INVENTORY_BATCH]
            group_ids.append(
                self._inventory_set_batch(
                    batch,
                    key=f"{idempotency_key}:{batch_no}",
                    reason=reason,
                    reference_document_uri=reference_document_uri,
                    max_conflict_retries=max_conflict_retries,
                )
            )
        return group_ids

    def _inventory_set_batch(
        self,
        batch: list[commerce.InventoryChange],
        *,
        key: str,
        reason: str,
        reference_document_uri: str | None,
        max_conflict_retries: int,
    ) -> str:
        conflicts = 0
        while True:
            payload = p.inventory_set_input(batch, reason=reason, reference_document_uri=reference_document_uri)
            data = self.execute(queries.INVENTORY_SET_QUANTITIES, {"input": payload, "key": _request_key(key, payload)})
            result = data["inventorySetQuantities"]
            errors = result.get("userErrors") or []
            if errors and all(e.get("code") in STALE_CODES for e in errors):
                conflicts += 1
                self.stats.stock_conflicts += 1
                if conflicts > max_conflict_retries:
                    raise ShopifyStockConflict(
                        f"The shop's stock kept changing while it was set ({conflicts} compare-and-swap conflicts).",
                        inventory_item_ids=sorted({c.inventory_item_id for c in batch}),
                        attempts=conflicts,
                    )
                logger.info("Shopify %s: stock changed meanwhile; re-reading %d levels", self.shop_domain, len(batch))
                batch = self._with_current_quantities(batch)
                continue
            _raise_user_errors(result, "inventorySetQuantities")
            return (result.get("inventoryAdjustmentGroup") or {}).get("id") or ""

    def _with_current_quantities(self, batch: list[commerce.InventoryChange]) -> list[commerce.InventoryChange]:
        current = self.inventory_available_now([(c.inventory_item_id, c.location_id) for c in batch])
        return [
            dataclasses.replace(c, change_from_quantity=current.get((c.inventory_item_id, c.location_id), 0))
            for c in batch
        ]

    def inventory_available_now(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The current ``available`` quantity of each (inventory item, location); 0 where it is not stocked."""
        found: dict[tuple[str, str], int] = {}
        per_query = queries.INVENTORY_REREAD_PER_QUERY
        for start in range(0, len(pairs), per_query):
            chunk = pairs[start : start + per_query]
            variables = {}
            for i, (item, location) in enumerate(chunk):
                variables[f"i{i}"], variables[f"l{i}"] = item, location
            data = self.execute(queries.inventory_levels_query(len(chunk)), variables)
            for i, pair in enumerate(chunk):
                level = (data.get(f"i{i}") or {}).get("inventoryLevel") or {}
                quantities = {q["name"]: q["quantity"] for q in level.get("quantities") or ()}
                found[pair] = int(quantities.get("available") or 0)
        return found

    def locations_list(self) -> list[commerce.Location]:
        return [mappers.location(node) for node in self.paginate(queries.LOCATIONS_PAGE, ("locations",))]

    def inventory_levels_iter(self, location_id: str) -> Iterator[commerce.InventoryLevel]:
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
        search = f"payments_transfer_id:{commerce.id_tail(payout_id)}"
        path = ("shopifyPaymentsAccount", "balanceTransactions")
        return [
            mappers.balance_transaction(node)
            for node in self.paginate(queries.BALANCE_TRANSACTIONS_PAGE, path, {"query": search})
        ]

    # --- webhooks and bulk operations ---------------------------------------------------------------

    def webhook_subscribe(self, topic: str, uri: str) -> t.WebhookSubscription:
        """Subscribe ``uri`` (an https address) to ``topic`` (``orders/create`` or ``ORDERS_CREATE``)."""
        return webhook_subscribe(self.transport, topic=topic, uri=uri)

    def webhook_subscriptions(self) -> list[t.WebhookSubscription]:
        return webhook_subscriptions(self.transport)

    def webhook_unsubscribe(self, subscription_id: str) -> None:
        webhook_unsubscribe(self.transport, subscription_id=subscription_id)

    def bulk_orders(
        self,
        query: str | None = None,
        *,
        created_since: dt.datetime | None = None,
        poll_interval: float = 2.0,
        max_polls: int = 3600,
        on_poll: Callable[[], None] | None = None,
    ) -> Iterator[commerce.Order]:
        """Backfill orders with one bulk operation; ``query`` is an orders search string.

        Yields the same ``Order`` records as ``orders_iter``, streamed: the JSONL is read line by
        line and an order is yielded once its lines are complete. Bulk queries cannot nest the
        refunds' connections, so the refunds of the orders that have any are read with paged
        requests, a few orders per request (``REFUNDS_ORDERS_PER_QUERY``), and a refund with more
        rows than those requests ask for is completed as in ``orders_iter``. ``on_poll`` is called
        on every poll while the operation runs (e.g. to renew the caller's lease).
        """
        search = p.search(f"created_at:>='{p.iso(created_since)}'" if created_since else "", query or "")
        operation = bulk.bulk_run(
            self.transport,
            queries.bulk_orders_query(search),
            poll_interval=poll_interval,
            max_polls=max_polls,
            on_poll=on_poll,
        )
        pending: list[dict] = []
        for node in bulk.bulk_download(self.transport, operation):
            pending.append(node)
            if len(pending) >= BULK_ORDERS_BUFFER:
                yield from self._bulk_orders_finish(pending)
                pending = []
        yield from self._bulk_orders_finish(pending)

    def _bulk_orders_finish(self, nodes: list[dict]) -> Iterator[commerce.Order]:
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
        """How many orders match ``query`` (at most ``limit``; Shopify's count caps there).

        A cheap estimate for choosing bulk or paged reads. None only when Shopify answers without
        a count; a failure raises like every other read.
        """
        search = p.search(f"created_at:>='{p.iso(created_since)}'" if created_since else "", query or "")
        data = self.execute(queries.ORDERS_COUNT, {"query": search, "limit": limit})
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
        return bulk.bulk_run(
            self.transport, bulk_query, poll_interval=poll_interval, max_polls=max_polls, on_poll=on_poll
        )

    def bulk_download(self, operation: t.BulkOperation) -> Iterator[dict]:
        return bulk.bulk_download(self.transport, operation)


# --- helpers ----------------------------------------------------------------------------------------


METAFIELDS_PER_REQUEST = 25


def _fixed_token(access_token) -> TokenProvider:
    # Accept a plain string or integrations.crypto.Secret; keep it out of repr/str.
    token = access_token.reveal() if hasattr(access_token, "reveal") else str(access_token)
    return lambda: token


def _request_key(key: str, payload: dict) -> str:
    """The ``@idempotent`` key of one request: the caller's key plus a digest of what is sent."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    return f"{key[:40]}-{digest}"


def _raise_user_errors(payload: dict, operation: str) -> None:
    user_errors = payload.get("userErrors") or []
    if user_errors:
        message = "; ".join(
            f"{'.'.join(e.get('field') or []) or '-'}: {e.get('message', '')}".strip() for e in user_errors
        )
        raise ShopifyUserError(f"{operation} refused: {message}", user_errors=user_errors)


def _dig(data: dict | None, path: tuple[str, ...]):
    for key in path:
        if data is None:
            return None
        data = data.get(key)
    return data
