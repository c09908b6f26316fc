"""The simulated store's record constructors (products, options, variants, inventory levels), shaped
as Shopify's Admin API returns them: used by the seed, the mutations, tests and benchmarks."""

from __future__ import annotations

from simulators.shopify.store import Store

# Shopify's one option of a product created without options.
DEFAULT_OPTION, DEFAULT_OPTION_VALUE = "Title", "Default Title"


def variant_create(store: Store, product: dict, *, sku: str, barcode: str, price: str, weight: float, **extra) -> dict:
    item_id = store.new_id("InventoryItem")
    item = {
        "__typename": "InventoryItem",
        "id": item_id,
        "sku": sku or None,
        "tracked": bool(sku),
        "measurement": {"id": f"{item_id}/measurement", "weight": {"unit": "KILOGRAMS", "value": weight}},
    }
    store.inventory_items[item_id] = item
    variant = {
        "__typename": "ProductVariant",
        "id": store.new_id("ProductVariant"),
        "title": "Default Title",
        "sku": sku or None,
        "barcode": barcode or None,
        "price": price,
        "compareAtPrice": None,
        "taxable": True,
        "taxCode": "VAT25",
        "inventoryQuantity": 0,
        "inventoryItem": item,
        "product": product,
        "updatedAt": product["updatedAt"],
        # As Shopify: a variant has one value per product option ("Title: Default Title" by default).
        "selectedOptions": [{"name": o["name"], "value": o["values"][0]} for o in product.get("options") or ()],
        **extra,
    }
    item["_variant"] = variant
    store.variants[variant["id"]] = variant
    product["variants"].append(variant)
    return variant


def product_new(store: Store, *, title: str, created: str, **fields) -> dict:
    product = {
        "__typename": "Product",
        "id": store.new_id("Product"),
        "title": title,
        "handle": title.lower().replace(",", "").replace(" ", "-"),
        "status": "ACTIVE",
        "vendor": "CRONUS",
        "productType": "Furniture",
        "tags": [],
        "createdAt": created,
        "updatedAt": created,
        "descriptionHtml": "",
        "variants": [],
        **fields,
    }
    if "options" not in fields:
        product["options"] = [option_new(store, name=DEFAULT_OPTION, values=[DEFAULT_OPTION_VALUE], position=1)]
    store.products[product["id"]] = product
    return product


def option_new(store: Store, *, name: str, values: list[str], position: int) -> dict:
    option = {
        "__typename": "ProductOption",
        "id": store.new_id("ProductOption"),
        "name": name,
        "position": position,
        "values": [],
        "optionValues": [],
    }
    for value in values:
        option_value_add(store, option, value)
    return option


def option_value_add(store: Store, option: dict, value: str) -> None:
    if value not in option["values"]:
        option["values"].append(value)
        option["optionValues"].append({"id": store.new_id("ProductOptionValue"), "name": value, "hasVariants": True})


def inventory_set(store: Store, item_id: str, location_id: str, available: int) -> None:
    level = store.inventory_level(item_id, location_id, create=True)
    level["_quantities"]["available"] = available
    level["_quantities"]["on_hand"] = available + level["_quantities"]["committed"]
    variant = store.inventory_items[item_id].get("_variant")
    if variant is not None:
        # Per location, not over every level: benchmarks set quantities on tens of thousands of items.
        levels = (store.inventory_levels.get((item_id, location_id)) for location_id in store.locations)
        variant["inventoryQuantity"] = sum(level["_quantities"]["available"] for level in levels if level)
