"""In-memory stand-ins for the two connector clients, at the connectors' method boundary.

They keep the connectors' contracts that the products and stock services rely on: typed records
in and out, ``ShopifyUserError`` with ``userErrors`` field paths, an atomic inventory mutation
that refuses the whole call when one quantity is bad, idempotency keys, and request counters.
Test modules import the fixtures at the bottom (``from tests.flows.catalogue_fakes import ...``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from integrations.connectors.businesscentral.records import Item, ItemVariant
from integrations.connectors.shopify.exceptions import ShopifyUserError
from integrations.connectors.shopify.types import Product, ProductVariant
from integrations.models import Integration
from tests.factories import IntegrationFactory, LocationMappingFactory

_GT = re.compile(r"lastModifiedDateTime gt (\S+)")
_EQ = re.compile(r"(\w+) eq '?([^')\s]+)'?")


class FakeBC:
    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.requests = 0
        self.created: list[dict] = []
        self.clock = dt.datetime.now(dt.UTC)

    @property
    def stats(self) -> SimpleNamespace:
        return SimpleNamespace(requests=self.requests, operations=len(self.created))

    def tick(self) -> dt.datetime:
        # BC stamps the commit time: never earlier than now, strictly increasing.
        self.clock = max(self.clock + dt.timedelta(microseconds=1), dt.datetime.now(dt.UTC))
        return self.clock

    def add_item(self, number: str, *, variants: tuple[str, ...] = (), **fields) -> Item:
        item_id = str(uuid.uuid4())
        values = {"display_name": f"Item {number}", "gtin": "", "unit_price": Decimal("10"), "inventory": Decimal("5")}
        values.update(fields)
        if not isinstance(values["inventory"], Decimal):
            values["inventory"] = Decimal(str(values["inventory"]))
        item_variants = [
            ItemVariant(id=str(uuid.uuid4()), item_id=item_id, item_number=number, code=code) for code in variants
        ]
        item = Item(
            id=item_id, number=number, last_modified_date_time=self.tick(), item_variants=item_variants, **values
        )
        self.items[item_id] = item
        return item

    def change(self, item: Item, **fields) -> Item:
        self.items[item.id] = replace(self.items[item.id], last_modified_date_time=self.tick(), **fields)
        return self.items[item.id]

    def age(self, delta: dt.timedelta) -> None:
        """Let time pass: every item was last modified ``delta`` earlier than recorded."""
        self.items = {
            key: replace(item, last_modified_date_time=item.last_modified_date_time - delta)
            for key, item in self.items.items()
        }

    def set_inventory(self, item: Item, quantity) -> None:
        # Posting an item journal does not touch the item's lastModifiedDateTime in BC.
        self.items[item.id] = replace(self.items[item.id], inventory=Decimal(str(quantity)))

    def iter_records(self, entity, *, filter=None, select=None, expand=None, **_):  # noqa: A002
        assert entity.name == "items"
        self.requests += 1
        rows = list(self.items.values())
        if filter:
            since = _GT.search(filter)
            if since:
                moment = dt.datetime.fromisoformat(since.group(1).replace("Z", "+00:00"))
                rows = [row for row in rows if row.last_modified_date_time > moment]
            else:
                wanted: dict[str, set[str]] = {}
                for name, value in _EQ.findall(filter):
                    wanted.setdefault(name, set()).add(value)
                for name, values in wanted.items():
                    rows = [row for row in rows if str(getattr(row, name)) in values]
        if expand is None:
            rows = [replace(row, item_variants=[]) for row in rows]
        yield from rows

    def create_record(self, entity, payload):
        assert entity.name == "items"
        assert "inventory" not in payload  # BC refuses inventory on insert
        self.requests += 1
        self.created.append(payload)
        number = payload.get("number") or f"NEW{len(self.items)}"
        return self.add_item(
            number,
            display_name=payload.get("displayName", ""),
            gtin=payload.get("gtin", ""),
            unit_price=Decimal(str(payload.get("unitPrice", 0))),
            inventory=Decimal("0"),
        )


class FakeShop:
    def __init__(self) -> None:
        self.products: dict[str, Product] = {}
        self.levels: dict[tuple[str, str], int] = {}
        self.requests = 0
        self.writes = 0
        self.inventory_calls: list[list[tuple[str, str, int]]] = []
        self.keys: set[str] = set()
        self.reject_inventory_items: set[str] = set()
        self.reject_skus: set[str] = set()
        self._ids = itertools.count(1000)

    @property
    def stats(self) -> SimpleNamespace:
        return SimpleNamespace(requests=self.requests)

    def _variant(self, source, existing: ProductVariant | None = None) -> ProductVariant:
        if existing is None:
            number = next(self._ids)
            existing = ProductVariant(
                id=f"gid://shopify/ProductVariant/{number}",
                sku="",
                barcode="",
                price=Decimal("0"),
                inventory_item_id=f"gid://shopify/InventoryItem/{number}",
            )
        changes = {name: getattr(source, name) for name in ("sku", "barcode", "price", "weight")}
        return replace(existing, **{k: v for k, v in changes.items() if v is not None})

    def _check(self, product_input) -> None:
        bad = [v.sku for v in product_input.variants if v.sku in self.reject_skus]
        if bad:
            raise ShopifyUserError(
                f"SKU {bad[0]} refused", user_errors=[{"field": ["variants", "0", "sku"], "message": "SKU refused"}]
            )

    def product_create(self, product_input) -> Product:
        self.requests += 1
        self.writes += 1
        self._check(product_input)
        product_id = f"gid://shopify/Product/{next(self._ids)}"
        variants = tuple(self._variant(v) for v in product_input.variants)
        product = Product(id=product_id, title=product_input.title, status=product_input.status, variants=variants)
        self.products[product_id] = product
        return product

    def product_update(self, product_input) -> Product:
        self.requests += 1
        self.writes += 1
        self._check(product_input)
        product = self.products[product_input.id]
        by_id = {v.id: v for v in product.variants}
        variants = list(product.variants)
        for wanted in product_input.variants:
            if wanted.id:
                variants[variants.index(by_id[wanted.id])] = self._variant(wanted, by_id[wanted.id])
            else:
                variants.append(self._variant(wanted))
        self.products[product.id] = replace(
            product, title=product_input.title, status=product_input.status, variants=tuple(variants)
        )
        return self.products[product.id]

    def products_iter(self, *, updated_since=None, query=None):
        self.requests += 1
        for product in list(self.products.values()):
            if query:
                sku = query.split(":", 1)[1].strip('"')
                if not any(v.sku == sku for v in product.variants):
                    continue
            yield product

    def add_product(self, title: str, *, sku: str, price: str = "10", barcode: str = "") -> Product:
        number = next(self._ids)
        variant = ProductVariant(
            id=f"gid://shopify/ProductVariant/{number}",
            sku=sku,
            barcode=barcode,
            price=Decimal(price),
            inventory_item_id=f"gid://shopify/InventoryItem/{number}",
        )
        product = Product(id=f"gid://shopify/Product/{number}", title=title, status="ACTIVE", variants=(variant,))
        self.products[product.id] = product
        return product

    def inventory_set_quantities(self, changes, *, idempotency_key: str, **_):
        self.requests += 1
        changes = list(changes)
        if idempotency_key in self.keys:
            return ["replayed"]
        # Like Shopify, one bad quantity refuses the whole mutation.
        errors = [
            {
                "field": ["input", "quantities", str(i), "inventoryItemId"],
                "message": "The inventory item is not stocked at the location.",
            }
            for i, change in enumerate(changes)
            if change.inventory_item_id in self.reject_inventory_items
        ]
        if errors:
            raise ShopifyUserError("inventorySetQuantities refused", user_errors=errors)
        self.keys.add(idempotency_key)
        self.inventory_calls.append([(c.inventory_item_id, c.location_id, c.quantity) for c in changes])
        for change in changes:
            self.levels[(change.inventory_item_id, change.location_id)] = change.quantity
        return ["gid://shopify/InventoryAdjustmentGroup/1"]

    def variant_by_sku(self, sku: str) -> ProductVariant:
        for product in self.products.values():
            for variant in product.variants:
                if variant.sku == sku:
                    return variant
        raise KeyError(sku)


@pytest.fixture
def bc() -> FakeBC:
    return FakeBC()


@pytest.fixture
def shop() -> FakeShop:
    return FakeShop()


@pytest.fixture
def integration(db) -> Integration:
    integration = IntegrationFactory(products_enabled=True, stock_enabled=True, allow_writes=True)
    LocationMappingFactory(integration=integration, bc_location_code="", shop_location_id="gid://shopify/Location/1")
    return integration
