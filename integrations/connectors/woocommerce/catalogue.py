"""A product of the product model written into a WooCommerce store: the item push's translation.

``item_product_write`` takes a ``ProductInput`` (the product's id and its variants' ids when the
core knows them) and writes it: without an id the store is searched by the item's SKU first (a
populated store, or a create whose answer was lost), so a retry never makes a second product. A
product without options is a ``simple`` product with its variant's SKU and price; one with options
is a ``variable`` product (SKU = the item's SKU) with one attribute and a variation per variant,
matched to the store's variations by id, then SKU, then option, before any is created.

Failures are the client's exceptions. A refused variation raises ``WooValidationError`` naming the
variant's SKU (``refused_sku``); any failure after the product was written carries its id
(``product_id``), so the core keeps it and the retry completes that product.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from integrations.commerce import Product, ProductInput, VariantInput, id_tail
from integrations.connectors.woocommerce.client import WooCommerceClient
from integrations.connectors.woocommerce.commerce import woo_product_translate
from integrations.connectors.woocommerce.exceptions import WooError, WooValidationError
from integrations.connectors.woocommerce.payloads import ProductWrite, VariationWrite
from integrations.connectors.woocommerce.records import WooVariation

SKU_REFUSED = "product_invalid_sku"  # WC_Product::set_sku: "Invalid or duplicated SKU."
# WooCommerce has no archived status: an archived product is private (only shop staff see it).
WOO_STATUS = {"ACTIVE": "publish", "DRAFT": "draft", "ARCHIVED": "private"}
CENT = Decimal("0.01")


def woo_price(value: Decimal) -> str:
    """A unit price as WooCommerce's decimal string: "149.00", or every decimal there is ("0.125")."""
    value = Decimal(value)
    return format(value.quantize(CENT) if value == value.quantize(CENT) else value.normalize(), "f")


def _weight(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value else ""


def _id(value: Any) -> int:
    try:
        return int(id_tail(str(value or "")))
    except ValueError:
        return 0


def _option(variant: VariantInput) -> str:
    return variant.option_values[0].value if variant.option_values else ""


def _product_write(*, product: ProductInput, sku: str) -> ProductWrite:
    status = WOO_STATUS.get(product.status or "", "draft")
    if product.options:
        return ProductWrite(
            name=product.title or "",
            type="variable",
            status=status,
            sku=sku,
            description=product.description_html or "",
            attribute_name=product.options[0].name,
            attribute_options=tuple(_option(v) for v in product.variants),
        )
    (only,) = product.variants
    return ProductWrite(
        name=product.title or "",
        status=status,
        sku=only.sku or "",
        regular_price=woo_price(only.price or Decimal(0)),
        description=product.description_html or "",
        weight=_weight(only.weight),
    )


def _variations_write(
    *, client: WooCommerceClient, product: ProductInput, product_id: int, stocked: bool
) -> list[WooVariation]:
    """Match the product's existing variations (by id, SKU, then option), then create or update each."""
    attribute = product.options[0].name
    known = [_id(v.id) for v in product.variants]
    if not all(known):
        existing = list(client.variations_iter(product_id))
        by_sku = {v.sku: v.id for v in existing if v.sku}
        by_option = {a.option: v.id for v in existing for a in v.attributes if a.name == attribute}
        known = [
            found or by_sku.get(wanted.sku or "") or by_option.get(_option(wanted)) or 0
            for found, wanted in zip(known, product.variants, strict=True)
        ]
    status = WOO_STATUS.get(product.status or "", "draft")
    writes = [
        VariationWrite(
            id=found,
            sku=wanted.sku or "",
            regular_price=woo_price(wanted.price or Decimal(0)),
            attribute_name=attribute,
            option=_option(wanted),
            status=status,
            weight=_weight(wanted.weight),
            # A new variation of a stocked item manages stock, so the stock flow sets its quantity.
            manage_stock=True if not found and stocked else None,
        )
        for found, wanted in zip(known, product.variants, strict=True)
    ]
    results = client.variations_write(product_id, writes)
    variations: list[WooVariation] = []
    for wanted, result in zip(product.variants, results, strict=True):
        if not result.ok:
            refused = WooValidationError(result.error_message, code=result.error_code, store=client.store_url)
            refused.refused_sku = wanted.sku or ""
            raise refused
        if result.variation is not None:
            variations.append(result.variation)
    return variations


def item_product_write(
    client: WooCommerceClient, product: ProductInput, *, sku: str, stocked: bool
) -> tuple[Product, bool]:
    """Create or update the store's product; the product as the model, and whether it existed."""
    product_id = _id(product.id)
    if not product_id:
        existing = next(iter(client.products_iter(sku=sku)), None)
        product_id = existing.id if existing is not None else 0
    write = _product_write(product=product, sku=sku)
    if not product_id and write.type == "simple" and stocked:
        # A new stocked product manages stock, so the stock flow sets its quantity; an existing one
        # keeps the store's choice.
        write = replace(write, manage_stock=True)
    written = client.product_update(product_id, write) if product_id else client.product_create(write)
    variations = []
    if product.options:
        try:
            variations = _variations_write(client=client, product=product, product_id=written.id, stocked=stocked)
        except WooError as exc:
            exc.product_id = str(written.id)  # the core keeps the product: the retry completes it
            raise
    return woo_product_translate(written, variations), bool(product_id)
