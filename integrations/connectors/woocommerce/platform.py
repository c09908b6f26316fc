"""The shop platform (integrations/commerce/platform.py: ``ShopPlatform``), served by a WooCommerce store.

The order services and discovery read orders through ``orders_iter``, ``orders_by_names``,
``order_get``, ``orders_count`` and ``bulk_orders``, the customers flow through
``customers_iter``; this adapter answers them from a WooCommerceClient, reading each order's
refunds (a separate route in WooCommerce) and translating everything into the product's model.

Two Shopify search forms reach it from today's callers and are understood here: the discovery's
upper bound ``created_at:<='<iso>'`` and the customers retry ``id:1 OR id:2``. WooCommerce has no
bulk export (``bulk_orders`` reads pages) and no date filter on customers (``updated_since`` is
applied to the customers read).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator

from integrations.commerce import Customer, Order, OrderNote, OrderUsage, Product, ProductInput, StockLevel, id_tail
from integrations.connectors.http import ClientStats
from integrations.connectors.woocommerce.catalogue import item_product_write
from integrations.connectors.woocommerce.client import WooCommerceClient
from integrations.connectors.woocommerce.commerce import shipping_code, woo_customer_translate, woo_order_translate
from integrations.connectors.woocommerce.exceptions import WooError, WooValidationError
from integrations.connectors.woocommerce.payloads import StockUpdate
from integrations.connectors.woocommerce.records import WooOrder

_CREATED_UNTIL = re.compile(r"^created_at:<='(?P<until>[^']+)'$")
_IDS = re.compile(r"^id:\d+( OR id:\d+)*$")


def _created_until(query: str | None) -> dt.datetime | None:
    if not query:
        return None
    match = _CREATED_UNTIL.match(query.strip())
    if match is None:
        raise ValueError(f"WooCommerce cannot search orders by {query!r}; only by dates")
    return dt.datetime.fromisoformat(match["until"]) + dt.timedelta(seconds=1)  # inclusive bound


PLATFORM = "woocommerce"  # ShopConnection.Platform.WOOCOMMERCE
# The order's meta-data key of its BC number: the Shopify metafield's namespace and key.
META_KEY = "junipeer_bc_document_number"
COMPLETED = "completed"


def woo_order_id(order_id: str) -> int:
    """The store's order id from a source id (``gid://woocommerce/Order/1001`` or ``1001``)."""
    return int(str(order_id).rsplit("/", 1)[-1])


class WooCommerceShop:
    """integrations/commerce/platform.py's roles for a WooCommerce store: ``ShopPlatform`` (orders,
    customers), ``ShopStockLevels`` (stock per product and variation), ``ShopOrderCompletion`` (the
    BC number in the order's meta data; completed with a private note) and ``ShopProductStore``
    (products and variations written item by item)."""

    platform = PLATFORM

    def __init__(self, *, client: WooCommerceClient) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"<WooCommerceShop {self.client.store_url}>"

    @property
    def stats(self) -> ClientStats:
        return self.client.stats

    @property
    def store_url(self) -> str:
        return self.client.store_url

    def _translate(self, order: WooOrder) -> Order:
        refunds = self.client.refunds_list(order.id) if order.refunds else []
        return woo_order_translate(order, refunds=refunds)

    def orders_iter(
        self,
        *,
        updated_since: dt.datetime | None = None,
        created_since: dt.datetime | None = None,
        query: str | None = None,
    ) -> Iterator[Order]:
        before = _created_until(query)
        for order in self.client.orders_iter(modified_after=updated_since, after=created_since, before=before):
            yield self._translate(order)

    def orders_count(
        self, query: str | None = None, *, created_since: dt.datetime | None = None, limit: int | None = None
    ) -> int:
        _created_until(query)  # the same query forms as orders_iter; the upper bound is not counted
        return self.client.orders_count(after=created_since)

    def bulk_orders(
        self,
        query: str | None = None,
        *,
        created_since: dt.datetime | None = None,
        on_poll: Callable[[], object] | None = None,
        **_polling: object,
    ) -> Iterator[Order]:
        """WooCommerce has no bulk export: the same paged read (nothing to poll)."""
        yield from self.orders_iter(created_since=created_since, query=query)

    def customers_iter(
        self, *, updated_since: dt.datetime | None = None, query: str | None = None
    ) -> Iterator[Customer]:
        if query:
            if not _IDS.match(query.strip()):
                raise ValueError(f"WooCommerce cannot search customers by {query!r}; only by ids")
            for number in re.findall(r"\d+", query):
                yield woo_customer_translate(self.client.customer_get(int(number)))
            return
        for customer in self.client.customers_iter():
            if updated_since is None or (customer.date_modified and customer.date_modified >= updated_since):
                yield woo_customer_translate(customer)

    def orders_by_names(self, names: Iterable[str]) -> list[Order]:
        """Orders by their ``#number``. WooCommerce's order number is its id unless a plugin
        renumbers orders; names that are not numbers are not found."""
        wanted = {name.lstrip("#").strip(): name for name in names}
        ids = [int(number) for number in wanted if number.isdigit()]
        found = [self._translate(order) for order in self.client.orders_by_ids(ids)] if ids else []
        return [order for order in found if order.name.lstrip("#") in wanted]

    def order_get(self, order_id: str) -> Order:
        return self._translate(self.client.order_get(int(id_tail(order_id))))

    def order_usage_iter(self, *, created_since: dt.datetime) -> Iterator[OrderUsage]:
        """What each order created since then used (country, gateway, currency, shipping, tax rates);
        refunds are not read (amounts are not needed)."""
        for woo_order in self.client.orders_iter(after=created_since):
            order = woo_order_translate(woo_order)
            address = order.shipping_address or order.billing_address
            taxes = {(tax.title, tax.rate / 100) for line in order.line_items for tax in line.tax_lines}
            yield OrderUsage(
                name=order.name,
                test=False,
                country=address.country_code if address else "",
                gateways=(woo_order.payment_method,) if woo_order.payment_method else (),
                currencies=(order.currency,) if order.currency else (),
                shipping_methods=tuple(shipping_code(line) for line in woo_order.shipping_lines),
                tax_lines=tuple(sorted(taxes)),
            )

    # --- ShopOrderCompletion ------------------------------------------------------------------------

    @staticmethod
    def order_from_raw(raw: dict) -> Order:
        """The order from the JSON the store sent for it (``Order.raw``); its refunds are not read.
        Needs no client: the preflight reads stored orders back through it."""
        return woo_order_translate(WooOrder.from_json(raw))

    def order_number_record(self, order_id: str, number: str) -> None:
        """The BC number into the order's meta data under ``META_KEY`` (replaced, never added twice)."""
        self.client.order_meta_set(woo_order_id(order_id), key=META_KEY, value=number)

    def order_completed_in_raw(self, raw: dict) -> bool:
        return (raw or {}).get("status") == COMPLETED

    def order_complete(self, order_id: str) -> None:
        self.client.order_status_set(woo_order_id(order_id), COMPLETED)

    def order_notes_private(self, order_id: str) -> list[OrderNote]:
        notes = self.client.order_notes(woo_order_id(order_id), kind="internal")
        return [OrderNote(id=note.id, text=note.note) for note in notes]

    def order_note_add_private(self, order_id: str, text: str) -> OrderNote:
        note = self.client.order_note_add(woo_order_id(order_id), text, customer_note=False)
        return OrderNote(id=note.id, text=note.note)

    # --- ShopStockLevels ----------------------------------------------------------------------------

    def stock_levels(self) -> list[StockLevel]:
        """Every simple product with a SKU and every variation that manages stock, with its quantity."""
        found: list[StockLevel] = []
        for product in self.client.products_iter():
            if product.is_variable:
                for variation in self.client.variations_iter(product.id):
                    if variation.manage_stock:
                        found.append(
                            StockLevel(
                                product_id=str(product.id),
                                variation_id=str(variation.id),
                                sku=variation.sku,
                                quantity=variation.stock_quantity,
                            )
                        )
            elif product.sku and product.manage_stock:
                found.append(StockLevel(product_id=str(product.id), sku=product.sku, quantity=product.stock_quantity))
        return found

    def stock_levels_set(self, levels: Iterable[StockLevel]) -> dict[str, WooError | None]:
        """Set each quantity (100 a batch request): target id -> None, or the store's refusal."""
        updates = [
            StockUpdate(
                product_id=int(level.product_id),
                variation_id=int(level.variation_id or 0),
                quantity=int(level.quantity or 0),
            )
            for level in levels
        ]
        outcomes: dict[str, WooError | None] = {}
        for outcome in self.client.stock_update(updates):
            outcomes[str(outcome.id)] = (
                None
                if outcome.ok
                else WooValidationError(outcome.error_message, code=outcome.error_code, store=self.client.store_url)
            )
        return outcomes

    # --- ShopProductStore ---------------------------------------------------------------------------

    def store_prices_include_tax(self) -> bool:
        return self.client.prices_include_tax()

    def item_product_write(self, product: ProductInput, *, sku: str, stocked: bool) -> tuple[Product, bool]:
        """Create or update the store's product of one item (catalogue.py); whether it existed."""
        return item_product_write(self.client, product, sku=sku, stocked=stocked)
