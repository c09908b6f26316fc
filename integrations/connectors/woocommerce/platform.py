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

from integrations.commerce import Customer, Order, OrderUsage, id_tail
from integrations.connectors.http import ClientStats
from integrations.connectors.woocommerce.client import WooCommerceClient
from integrations.connectors.woocommerce.commerce import shipping_code, woo_customer_translate, woo_order_translate
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


class WooCommerceShop:
    """integrations/commerce/platform.py's ``ShopPlatform`` for a WooCommerce store."""

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
