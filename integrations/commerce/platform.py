"""What the core asks of a shop platform, split by role: the Protocols every shop connector implements.

``ShopPlatform`` is what every platform answers (Shopify through ``ShopifyPlatform``, WooCommerce
through ``WooCommerceShop``): orders by window, name and id (with their refunds), customers and
what recent orders used. The other roles are served by the platforms that have them today:

- ``ShopCatalogue``: products read and written, locations, stock levels set (Shopify; WooCommerce's
  products and stock are written by syncs/services/woocommerce_products.py and woocommerce_stock.py);
- ``ShopFulfilment``: fulfilment orders, fulfilments, and the BC number written back to the shop
  order as a metafield and a tag (Shopify; WooCommerce's write-back is woocommerce_write_back.py);
- ``ShopWebhooks``: the shop's webhook subscriptions (register, list, remove);
- ``ShopBudgetReads``: cheap order reads for a shop with a query-cost budget: a sweep's listing
  (id and last change), orders by id, an order from its webhook body (Shopify).

A role is structural: a connector implements it by having the methods, and the core types its
shop client as the role it calls. Records in and out are the commerce model; failures are the
connector's own exceptions, every one a ``ShopError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, runtime_checkable

from integrations.commerce.catalogue import InventoryChange, Location, Product, ProductInput
from integrations.commerce.fulfilment import FulfillmentLineInput, FulfillmentOrder
from integrations.commerce.orders import Customer, Order, OrderStamp, OrderUsage, Tracking


class RequestCounts(Protocol):
    """A client's counters: every HTTP request it sent (each attempt)."""

    requests: int


@runtime_checkable
class ShopPlatform(Protocol):
    """Reading a shop: orders (with refunds), customers, order usage. Every platform serves it."""

    platform: str  # a ShopConnection.Platform value

    @property
    def stats(self) -> RequestCounts: ...

    def orders_iter(
        self,
        *,
        updated_since: dt.datetime | None = None,
        created_since: dt.datetime | None = None,
        query: str | None = None,
    ) -> Iterator[Order]: ...

    def orders_count(
        self, query: str | None = None, *, created_since: dt.datetime | None = None, limit: int | None = None
    ) -> int | None: ...

    def bulk_orders(
        self,
        query: str | None = None,
        *,
        created_since: dt.datetime | None = None,
        on_poll: Callable[[], None] | None = None,
    ) -> Iterator[Order]: ...

    def orders_by_names(self, names: Iterable[str]) -> list[Order]: ...

    def order_get(self, order_id: str) -> Order: ...

    def order_usage_iter(self, *, created_since: dt.datetime) -> Iterator[OrderUsage]: ...

    def customers_iter(
        self, *, updated_since: dt.datetime | None = None, query: str | None = None
    ) -> Iterator[Customer]: ...


class ShopCatalogue(ShopPlatform, Protocol):
    """Writing the catalogue and stock: products (read, create, update), locations, stock levels."""

    def products_iter(
        self, *, updated_since: dt.datetime | None = None, query: str | None = None
    ) -> Iterator[Product]: ...

    def product_get(self, product_id: str) -> Product: ...

    def product_create(self, product: ProductInput) -> Product: ...

    def product_update(self, product: ProductInput) -> Product: ...

    def locations_list(self) -> list[Location]: ...

    def inventory_set_quantities(self, changes: Iterable[InventoryChange], *, idempotency_key: str) -> list[str]: ...


class ShopFulfilment(ShopPlatform, Protocol):
    """Back to the shop: fulfilments from BC's shipments, the BC number on the shop order."""

    def order_from_raw(self, raw: dict) -> Order:
        """The order from what the platform sent for it (``Order.raw``, kept on its RecordLink)."""
        ...

    def fulfillment_orders(self, order_id: str) -> list[FulfillmentOrder]: ...

    def fulfillment_create(
        self,
        lines: Iterable[FulfillmentLineInput],
        *,
        idempotency_key: str,
        tracking: Tracking | None = None,
    ) -> str: ...

    def order_metafields_set(self, values: dict[str, str], *, namespace: str, key: str) -> None: ...

    def tags_add(self, resource_id: str, tags: Iterable[str]) -> None: ...


class WebhookSubscriptionLike(Protocol):
    id: str
    topic: str


class ShopWebhooks(Protocol):
    """The shop's webhook subscriptions: register one, list them, remove one."""

    def webhook_subscribe(self, topic: str, uri: str) -> WebhookSubscriptionLike: ...

    def webhook_subscriptions(self) -> list[WebhookSubscriptionLike]: ...

    def webhook_unsubscribe(self, subscription_id: str) -> None: ...


@runtime_checkable
class ShopBudgetReads(Protocol):
    """Order reads that spare a query-cost budget; the core uses them when the platform has them."""

    def order_stamps_iter(self, *, updated_since: dt.datetime | None = None) -> Iterator[OrderStamp]: ...

    def orders_by_ids(self, order_ids: Iterable[str]) -> Iterator[Order]: ...

    def order_from_webhook(self, payload: dict) -> Order: ...


class FullShopPlatform(ShopCatalogue, ShopFulfilment, ShopWebhooks, Protocol):
    """Every role at once (Shopify today)."""
