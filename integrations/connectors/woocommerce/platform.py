"""The shop-client surface the order services use, served by a WooCommerce store.

``syncs.services.orders`` reads orders through ``orders_iter``, ``orders_by_names`` and
``order_get``; this adapter answers them from a WooCommerceClient, reading each order's refunds
(a separate route in WooCommerce) and translating both into the product's order model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from integrations.connectors.shopify.types import Order, gid_tail
from integrations.connectors.woocommerce.client import WooCommerceClient
from integrations.connectors.woocommerce.commerce import woo_order_translate
from integrations.connectors.woocommerce.records import WooOrder


class WooCommerceShop:
    def __init__(self, *, client: WooCommerceClient) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"<WooCommerceShop {self.client.store_url}>"

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
        if query:
            raise ValueError("WooCommerce has no order search query; filter by dates")
        for order in self.client.orders_iter(modified_after=updated_since, after=created_since):
            yield self._translate(order)

    def orders_by_names(self, names: Iterable[str]) -> list[Order]:
        """Orders by their ``#number``. WooCommerce's order number is its id unless a plugin
        renumbers orders; names that are not numbers are not found."""
        wanted = {name.lstrip("#").strip(): name for name in names}
        ids = [int(number) for number in wanted if number.isdigit()]
        found = [self._translate(order) for order in self.client.orders_by_ids(ids)] if ids else []
        return [order for order in found if order.name.lstrip("#") in wanted]

    def order_get(self, order_id: str) -> Order:
        return self._translate(self.client.order_get(int(gid_tail(order_id))))
