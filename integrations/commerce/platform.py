"""What the core asks of a shop platform, split by role: the Protocols every shop connector implements.

``ShopPlatform`` is what every platform answers (Shopify through ``ShopifyPlatform``, WooCommerce
through ``WooCommerceShop``): orders by window, name and id (with their refunds), customers and
what recent orders used. The other roles are served by the platforms that have them today:

- ``ShopCatalogue``: products read and written, locations, stock levels set at locations (Shopify);
- ``ShopFulfilment``: fulfilment orders, fulfilments, and the BC number written back to the shop
  order as a metafield and a tag (Shopify);
- ``ShopStockLevels``: a store that keeps one quantity per product and variation, matched by SKU
  (WooCommerce);
- ``ShopOrderCompletion``: a store without fulfilments or metafields: the BC number recorded on the
  order, BC's shipments complete it with one private note (WooCommerce);
- ``ShopProductStore``: products and variations written item by item in the store's own terms
  (WooCommerce; syncs/services/store_products.py);
- ``ShopWebhooks``: the shop's webhook subscriptions (register, list, remove);
- ``ShopWebhookIntake``: a platform's webhook deliveries without a client: ping, signature, parse,
  and the run a delivery becomes (Shopify and WooCommerce: connectors' intake.py);
- ``ShopBudgetReads``: cheap order reads for a shop with a query-cost budget: a sweep's listing
  (id and last change), orders by id, an order from its webhook body (Shopify).

A role is structural: a connector implements it by having the methods, and the core types its
shop client as the role it calls; where two platforms serve one job through different roles (stock,
the way back to the shop order), the flow asks which role the client has (``isinstance`` on the
runtime-checkable role), never which platform it is. Records in and out are the commerce model; failures are the
connector's own exceptions, every one a ``ShopError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

from integrations.commerce.catalogue import InventoryChange, Location, Product, ProductInput, StockLevel
from integrations.commerce.errors import ShopError
from integrations.commerce.fulfilment import FulfillmentLineInput, FulfillmentOrder, OrderNote
from integrations.commerce.orders import Customer, Order, OrderStamp, OrderUsage, Tracking
from integrations.commerce.webhooks import ShopWebhookDelivery


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


@runtime_checkable
class ShopStockLevels(Protocol):
    """Stock as a store keeps it: one quantity per stocked product and variation (WooCommerce)."""

    def stock_levels(self) -> list[StockLevel]:
        """Every simple product with a SKU and every variation that manages stock, with its quantity."""
        ...

    def stock_levels_set(self, levels: Iterable[StockLevel]) -> dict[str, ShopError | None]:
        """Set each level's quantity: its ``target_id`` -> None when written, else the store's refusal."""
        ...


@runtime_checkable
class ShopOrderCompletion(Protocol):
    """Back to a store without fulfilments or metafields (WooCommerce): the BC number recorded on the
    order (idempotent: the same key is replaced), the order completed, one private note."""

    def order_from_raw(self, raw: dict) -> Order: ...

    def order_number_record(self, order_id: str, number: str) -> None: ...

    def order_completed_in_raw(self, raw: dict) -> bool:
        """Whether the order was already complete when the platform sent it (``Order.raw``)."""
        ...

    def order_complete(self, order_id: str) -> None: ...

    def order_notes_private(self, order_id: str) -> list[OrderNote]: ...

    def order_note_add_private(self, order_id: str, text: str) -> OrderNote: ...


@runtime_checkable
class ShopProductStore(Protocol):
    """Products written item by item, each found by SKU before it is created (WooCommerce)."""

    @property
    def store_url(self) -> str: ...

    def store_prices_include_tax(self) -> bool:
        """Whether the store's prices are entered with tax (read once a run)."""
        ...

    def item_product_write(self, product: ProductInput, *, sku: str, stocked: bool) -> tuple[Product, bool]:
        """Create or update one item's product (its id and its variants' ids when known; else found by
        ``sku``); the product as written, and whether it existed. A refused variant's error names it
        (``refused_sku``); an error after the product was written carries its ``product_id``."""
        ...


@runtime_checkable
class ShopWebhookIntake(Protocol):
    """A platform's webhook deliveries as they come in, without a client (the intake has none):
    a ping to answer, the signature verified, the body parsed, and the orders run a delivery
    becomes. Chosen by platform through integrations/services/shop_clients.py ``webhook_intake_for``.
    The core decides which secrets, stores each delivery once and queues it."""

    platform: str

    def webhook_ping(self, *, headers: Mapping[str, str], body: bytes) -> bool:
        """A delivery that only checks the address is reachable (answer 200, store nothing)."""
        ...

    def webhook_verified(self, *, headers: Mapping[str, str], body: bytes, secrets: Sequence[str]) -> bool:
        """Whether the delivery is signed by one of ``secrets`` (an empty secret never verifies)."""
        ...

    def webhook_delivery(self, *, headers: Mapping[str, str], body: bytes) -> ShopWebhookDelivery:
        """The verified delivery parsed; a body or topic the platform never sends raises ``ShopRefused``."""
        ...

    def webhook_uninstalls(self, topic: str) -> bool:
        """Whether the topic says the shop removed the product's app."""
        ...

    def webhook_run_parameters(self, *, topic: str, payload: dict) -> dict | None:
        """The run a delivery becomes (``order_ids``, ``order_names``; ``refund_ids`` for a refunds
        run; ``order_edit``), or None for a topic no flow handles. Raises the connector's ShopError
        for a body it cannot read."""
        ...


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
