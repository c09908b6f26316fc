"""Products, variants, locations and stock levels in the product's own commerce model.

The catalogue flows (BC items -> shop products, BC stock -> shop stock) speak these dataclasses; each
shop connector translates them to and from its platform.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class SelectedOption:
    """One option value of a variant: ``SelectedOption("Color", "Red")``."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ProductOption:
    """A product option and its values, in display order (``ProductOption("Color", ("Red", "Blue"))``)."""

    name: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductVariant:
    id: str
    sku: str
    barcode: str
    price: Decimal
    inventory_item_id: str
    title: str = ""
    compare_at_price: Decimal | None = None
    taxable: bool = True
    tax_code: str = ""
    weight: Decimal | None = None
    weight_unit: str = ""
    inventory_quantity: int | None = None
    selected_options: tuple[SelectedOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    title: str
    status: str
    handle: str = ""
    vendor: str = ""
    product_type: str = ""
    tags: tuple[str, ...] = ()
    updated_at: dt.datetime | None = None
    variants: tuple[ProductVariant, ...] = ()
    description_html: str = ""
    options: tuple[ProductOption, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantInput:
    """A variant to create (no ``id``) or update (with ``id``). ``None`` fields are left alone."""

    id: str | None = None
    sku: str | None = None
    barcode: str | None = None
    price: Decimal | None = None
    compare_at_price: Decimal | None = None
    weight: Decimal | None = None
    weight_unit: str = "KILOGRAMS"
    taxable: bool | None = None
    # Required by Shopify once a product has options: one value per option, unique per variant.
    option_values: tuple[SelectedOption, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductInput:
    """A product to create or update. On update only the set fields change.

    ``options`` is used on create only (Shopify's ``productOptions``): a product with several
    variants needs them, each variant naming its values in ``VariantInput.option_values``. Values
    added later arrive with the new variants' ``option_values``.
    """

    id: str | None = None
    title: str | None = None
    status: str | None = None  # ACTIVE / DRAFT / ARCHIVED
    vendor: str | None = None
    product_type: str | None = None
    tags: tuple[str, ...] | None = None
    description_html: str | None = None
    options: tuple[ProductOption, ...] = ()
    variants: tuple[VariantInput, ...] = ()


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    is_active: bool = True
    country_code: str = ""


@dataclass(frozen=True, slots=True)
class InventoryLevel:
    inventory_item_id: str
    location_id: str
    available: int
    on_hand: int | None = None


@dataclass(frozen=True, slots=True)
class InventoryChange:
    """Set the ``available`` quantity of one item at one location to ``quantity``.

    ``change_from_quantity`` is the quantity the caller expects Shopify to hold now (the
    compare-and-swap check); None skips the check (sent as Shopify's explicit ``null``).
    """

    inventory_item_id: str
    location_id: str
    quantity: int
    change_from_quantity: int | None = None


@dataclass(frozen=True)
class StockLevel:
    """A stocked product (``variation_id`` empty) or variation of a store that keeps one quantity
    each (WooCommerce): its SKU and the quantity the store has, or the quantity to set."""

    product_id: str
    variation_id: str = ""
    sku: str = ""
    quantity: int | None = None

    @property
    def target_id(self) -> str:
        return self.variation_id or self.product_id
