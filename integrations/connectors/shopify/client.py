"""Client for the Shopify GraphQL Admin API (the version pinned in version.py): one shop.

A facade over the connector's modules, one job each: transport.py (HTTP, timeouts, retries, the
cost throttle, typed errors), queries.py (the documents), paging.py (cursor paging, completing an
order's capped nested lists), orders.py (order reads, the sweep's listing, webhook bodies),
products.py and inventory.py (writes), bulk.py (bulk operations) and webhooks.py (subscriptions,
bodies). Records are the dataclasses of types.py. Build one per stored connection with
``factory.client_for_connection``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator

import requests
from django.conf import settings

from integrations import commerce
from integrations.connectors.http import RetryPolicy
from integrations.connectors.shopify import bulk, inventory, mappers, orders, paging, products, queries
from integrations.connectors.shopify import payloads as p
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.exceptions import ShopifyNotFound, raise_user_errors
from integrations.connectors.shopify.transport import ShopifyTransport, TokenProvider, fixed_token
from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from integrations.connectors.shopify.webhooks import webhook_subscribe, webhook_subscriptions, webhook_unsubscribe

# Shopify's limit for ``metafieldsSet``: 25 metafields per request.
METAFIELDS_PER_REQUEST = 25
# Kept here for callers that read them from the client module.
PAGE_SIZES = paging.PAGE_SIZES
INVENTORY_BATCH = inventory.INVENTORY_BATCH
INVENTORY_CAS_RETRIES = inventory.INVENTORY_CAS_RETRIES


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
            token_provider = fixed_token(access_token)
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
        first = paging.page_size(path, self.page_size)
        return paging.paginate(self.transport, query, path, variables, first=first)

    # --- shop -------------------------------------------------------------------------------------

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

    # --- orders (orders.py) --------------------------------------------------------------------------

    def orders_iter(
        self,
        *,
        updated_since: dt.datetime | None = None,
        created_since: dt.datetime | None = None,
        query: str | None = None,
    ) -> Iterator[commerce.Order]:
        return orders.orders_iter(
            self.transport,
            updated_since=updated_since,
            created_since=created_since,
            query=query,
            page_size=self.page_size,
        )

    def orders_by_names(self, names: Iterable[str]) -> list[commerce.Order]:
        return orders.orders_by_names(self.transport, names, page_size=self.page_size)

    def order_get(self, order_id: str) -> commerce.Order:
        return orders.order_get(self.transport, order_id)

    def orders_by_ids(self, order_ids: Iterable[str]) -> Iterator[commerce.Order]:
        """The orders with these ids, read in full, several per request; a missing one is left out."""
        return orders.orders_by_ids(self.transport, order_ids)

    def order_stamps_iter(self, *, updated_since: dt.datetime | None = None) -> Iterator[commerce.OrderStamp]:
        """Id, name and last change of each order updated since ``updated_since`` (~1 point each)."""
        return orders.order_stamps_iter(self.transport, updated_since=updated_since, page_size=self.page_size)

    def order_from_webhook(self, payload: dict) -> commerce.Order:
        """The order of an orders/create or orders/paid body, completed by one small read."""
        return orders.order_from_webhook(self.transport, payload)

    def order_usage_iter(self, *, created_since: dt.datetime) -> Iterator[commerce.OrderUsage]:
        """What each order since ``created_since`` used, newest first (a cheap query, no amounts)."""
        return orders.order_usage_iter(self.transport, created_since=created_since, page_size=self.page_size)

    def orders_count(
        self, query: str | None = None, *, created_since: dt.datetime | None = None, limit: int | None = None
    ) -> int | None:
        """How many orders match ``query`` (at most ``limit``; Shopify's count caps there).

        A cheap estimate for choosing bulk or paged reads. None only when Shopify answers without
        a count; a failure raises like every other read.
        """
        return orders.orders_count(self.transport, query, created_since=created_since, limit=limit)

    # --- back to the shop: fulfilments, metafields, tags -------------------------------------------

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
            queries.FULFILLMENT_CREATE, {"fulfillment": payload, "key": p.request_key(idempotency_key, payload)}
        )["fulfillmentCreate"]
        raise_user_errors(data, "fulfillmentCreate")
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
            raise_user_errors(data, "metafieldsSet")

    def tags_add(self, resource_id: str, tags: Iterable[str]) -> None:
        data = self.execute(queries.TAGS_ADD, {"id": resource_id, "tags": list(tags)})["tagsAdd"]
        raise_user_errors(data, "tagsAdd")

    # --- customers ------------------------------------------------------------------------------------

    def customers_iter(self, *, updated_since: dt.datetime | None = None, query: str | None = None):
        search = p.search(f"updated_at:>='{p.iso(updated_since)}'" if updated_since else "", query or "")
        for node in self.paginate(queries.CUSTOMERS_PAGE, ("customers",), {"query": search}):
            yield mappers.customer(node)

    # --- products (products.py) and stock (inventory.py) --------------------------------------------

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
        return products.product_create(self.transport, product)

    def product_update(self, product: commerce.ProductInput) -> commerce.Product:
        return products.product_update(self.transport, product)

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
        return inventory.inventory_set_quantities(
            self.transport,
            changes,
            idempotency_key=idempotency_key,
            reason=reason,
            reference_document_uri=reference_document_uri,
            max_conflict_retries=max_conflict_retries,
        )

    def inventory_available_now(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The current ``available`` quantity of each (inventory item, location); 0 where it is not stocked."""
        return inventory.inventory_available_now(self.transport, pairs)

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

    # --- webhooks (webhooks.py) and bulk operations (bulk.py) ---------------------------------------

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
        return bulk.bulk_orders(
            self.transport, search, poll_interval=poll_interval, max_polls=max_polls, on_poll=on_poll
        )

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
