"""The two simulators' seeds describe one merchant: every shop SKU is a BC item with the same
number, GTIN, VAT group, shelf price and stock, so no test has to create items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulators.businesscentral import BusinessCentralSimulator
from simulators.shopify import ShopifySimulator


@pytest.fixture(scope="module")
def catalogues():
    shop = ShopifySimulator(seed=42)
    items = {item["number"]: item for item in BusinessCentralSimulator().company().rows("items")}
    variants = [variant for variant in shop.store.variants.values() if variant["sku"]]
    return variants, items


def test_every_shop_sku_is_a_bc_item_with_the_shops_gtin_price_vat_group_and_stock(catalogues):
    variants, items = catalogues
    assert len(variants) == 16
    for variant in variants:
        item = items[variant["sku"]]
        assert item["gtin"] == variant["barcode"], variant["sku"]
        assert (item["taxGroupCode"], variant["taxCode"]) == ("STANDARD", "VAT25")
        assert item["priceIncludesTax"] is True
        assert Decimal(str(item["unitPrice"])) == Decimal(variant["price"]), variant["sku"]
        assert item["inventory"] == variant["inventoryQuantity"], variant["sku"]
        assert (item["type"], item["blocked"]) == ("Inventory", False)


def test_the_gtin_rule_finds_every_shop_barcode_once(catalogues):
    variants, items = catalogues
    by_gtin: dict[str, list[str]] = {}
    for item in items.values():
        if item["gtin"]:
            by_gtin.setdefault(item["gtin"], []).append(item["number"])
    assert all(by_gtin[variant["barcode"]] == [variant["sku"]] for variant in variants)
