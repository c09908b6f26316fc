"""The simulator's in-memory shop. Records are plain dicts shaped like the GraphQL types (with
``__typename``), so graphql-core's default resolvers read them directly; connections are stored
as lists and sliced into edges/pageInfo by the schema's connection resolver."""

from __future__ import annotations

import itertools
import threading
from collections import Counter

from simulators.shopify.clock import SimClock, iso

# First legacy id per GID type: realistic-looking, distinct per type.
ID_BASES = {
    "Order": 5_510_000_001_000,
    "LineItem": 14_200_000_000_000,
    "ShippingLine": 4_700_000_000_000,
    "OrderTransaction": 6_900_000_000_000,
    "Refund": 920_000_000_000,
    "RefundLineItem": 510_000_000_000,
    "RefundShippingLine": 81_000_000_000,
    "OrderEdit": 3_300_000_000,
    "Customer": 7_300_000_000_000,
    "MailingAddress": 9_100_000_000_000,
    "Product": 8_800_000_000_000,
    "ProductVariant": 45_000_000_000_000,
    "InventoryItem": 47_000_000_000_000,
    "InventoryLevel": 110_000_000_000,
    "Location": 71_000_000_000,
    "ShopifyPaymentsPayout": 96_000_000,
    "ShopifyPaymentsBalanceTransaction": 2_010_000_000,
    "BulkOperation": 3_300_000_000,
    "WebhookSubscription": 1_400_000_000,
    "InventoryAdjustmentGroup": 19_000_000_000,
    "ProductOption": 10_500_000_000,
    "ProductOptionValue": 3_900_000_000,
    "FulfillmentOrder": 6_100_000_000_000,
    "FulfillmentOrderLineItem": 15_300_000_000_000,
    "Fulfillment": 5_200_000_000_000,
    "Metafield": 27_000_000_000_000,
}


class Store:
    def __init__(self, *, shop_domain: str, clock: SimClock) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.shop_domain = shop_domain
        self.shop: dict = {}
        self.orders: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}  # every order's refunds by id (they live on their order)
        self.customers: dict[str, dict] = {}
        self.products: dict[str, dict] = {}
        self.variants: dict[str, dict] = {}
        self.inventory_items: dict[str, dict] = {}
        self.locations: dict[str, dict] = {}
        # (inventory item id, location id) -> InventoryLevel dict with a ``_quantities`` dict
        self.inventory_levels: dict[tuple[str, str], dict] = {}
        self.payouts: dict[str, dict] = {}
        self.balance_transactions: dict[str, dict] = {}
        self.bulk_operations: dict[str, dict] = {}
        self.bulk_files: dict[str, bytes] = {}
        self.webhook_subscriptions: dict[str, dict] = {}
        self.adjustment_groups: dict[str, dict] = {}
        self.idempotency: dict[str, tuple[dict, dict]] = {}
        self.version = 0  # bumped on every write; list caches key on it
        self._counters = {name: itertools.count(base) for name, base in ID_BASES.items()}
        self.stats: Counter = Counter()

    def new_id(self, type_name: str) -> str:
        return f"gid://shopify/{type_name}/{next(self._counters[type_name])}"

    def now_iso(self) -> str:
        return iso(self.clock.now())

    def touch(self) -> None:
        self.version += 1

    def node(self, gid: str) -> dict | None:
        type_name = gid.split("/")[-2] if gid.count("/") >= 3 else ""
        table = {
            "Order": self.orders,
            "Refund": self.refunds,
            "Customer": self.customers,
            "Product": self.products,
            "ProductVariant": self.variants,
            "InventoryItem": self.inventory_items,
            "Location": self.locations,
            "ShopifyPaymentsPayout": self.payouts,
            "ShopifyPaymentsBalanceTransaction": self.balance_transactions,
            "BulkOperation": self.bulk_operations,
            "WebhookSubscription": self.webhook_subscriptions,
        }.get(type_name)
        return table.get(gid) if table is not None else None

    def inventory_level(self, item_id: str, location_id: str, *, create: bool = False) -> dict | None:
        level = self.inventory_levels.get((item_id, location_id))
        if level is None and create:
            level = {
                "__typename": "InventoryLevel",
                "id": self.new_id("InventoryLevel"),
                "item": self.inventory_items[item_id],
                "location": self.locations[location_id],
                "_quantities": {"available": 0, "on_hand": 0, "committed": 0},
            }
            self.inventory_levels[(item_id, location_id)] = level
        return level
