"""BC items -> WooCommerce products: the products flow's item push for a WooCommerce store.

Items, the delta cursor, retries and the failure links are ``products_sync``'s (services/products.py);
this module writes one item. An item without BC variants is a ``simple`` product with the item's
SKU and price; an item with variants is a ``variable`` product (SKU = the item's SKU) with one
attribute, "Variant", and a variation per BC item variant (SKU and option as on Shopify).

Exactly once: the item's RecordLink names the product and each variation. Without a link the store
is searched by SKU first (a populated store, or a create whose answer was lost), so a retry never
makes a second product; a product whose variations failed keeps its id on the failed link, and its
variations are matched by SKU, then by option, before any is created.

Prices: WooCommerce takes prices as the store enters them ("Prices entered with tax", read once a
run). An item whose "Price Includes VAT" differs is refused (WOO-013), never converted: the VAT
rate of the product in the store is not known here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import Any

from integrations.connectors.woocommerce import (
    ProductWrite,
    VariationWrite,
    WooCommerceClient,
    WooError,
    WooValidationError,
    woo_product_translate,
)
from integrations.models import Integration
from syncs.errors import ProductError
from syncs.mapping.products import (
    STATUS_ACTIVE,
    STATUS_ARCHIVED,
    STATUS_DRAFT,
    VARIANT_OPTION_NAME,
    MissingSku,
    ProductSpec,
    description_html,
    item_sku,
    product_digest,
    product_spec,
)
from syncs.models import RecordLink
from syncs.services.products import CODE_NO_GTIN, CODE_PRODUCT_REJECTED, item_links_save

INVENTORY = "Inventory"  # BC item type whose stock the shop shows
CODE_PRICE_BASIS = "WOO-013"
CODE_SKU_TAKEN = "WOO-014"
SKU_REFUSED = "product_invalid_sku"  # WC_Product::set_sku: "Invalid or duplicated SKU."
# WooCommerce has no archived status: an archived product is private (only shop staff see it).
WOO_STATUS = {STATUS_ACTIVE: "publish", STATUS_DRAFT: "draft", STATUS_ARCHIVED: "private"}


CENT = Decimal("0.01")


def woo_price(value: Decimal) -> str:
    """BC's unit price as WooCommerce's decimal string: "149.00", or every decimal BC has ("0.125")."""
    value = Decimal(value)
    return format(value.quantize(CENT) if value == value.quantize(CENT) else value.normalize(), "f")


def _weight(value: Decimal | None) -> str:
    return format(value.normalize(), "f") if value else ""


def _id(value: Any) -> int:
    try:
        return int(str(value or "").rsplit("/", 1)[-1])
    except ValueError:
        return 0


def _product_write(*, spec: ProductSpec, sku: str) -> ProductWrite:
    status = WOO_STATUS.get(spec.status, "draft")
    if spec.has_options:
        return ProductWrite(
            name=spec.title,
            type="variable",
            status=status,
            sku=sku,
            description=description_html(spec.description),
            attribute_name=VARIANT_OPTION_NAME,
            attribute_options=tuple(v.option for v in spec.variants),
        )
    (only,) = spec.variants
    return ProductWrite(
        name=spec.title,
        status=status,
        sku=only.sku,
        regular_price=woo_price(only.price),
        description=description_html(spec.description),
        weight=_weight(only.weight),
    )


def _refused(*, exc: WooError, item: Any, sku: str, store: str) -> ProductError:
    if isinstance(exc, WooValidationError) and exc.code == SKU_REFUSED:
        return ProductError(CODE_SKU_TAKEN, item=item.number, store=store, sku=sku)
    return ProductError(CODE_PRODUCT_REJECTED, item=item.number, vendor_message=exc.message)


def _variations_write(*, woo_client: WooCommerceClient, spec: ProductSpec, item: Any, product_id: int, known: dict):
    """Match the product's existing variations (by SKU, then option), then create or update each."""
    if any(wanted.key not in known for wanted in spec.variants):
        existing = list(woo_client.variations_iter(product_id))
        by_sku = {v.sku: v.id for v in existing if v.sku}
        by_option = {a.option: v.id for v in existing for a in v.attributes if a.name == VARIANT_OPTION_NAME}
        for wanted in spec.variants:
            found = known.get(wanted.key) or by_sku.get(wanted.sku) or by_option.get(wanted.option)
            if found:
                known[wanted.key] = found
    status = WOO_STATUS.get(spec.status, "draft")
    stocked = getattr(item, "type", "") == INVENTORY
    writes = [
        VariationWrite(
            id=known.get(wanted.key, 0),
            sku=wanted.sku,
            regular_price=woo_price(wanted.price),
            attribute_name=VARIANT_OPTION_NAME,
            option=wanted.option,
            status=status,
            weight=_weight(wanted.weight),
            # A new variation of a stocked item manages stock, so the stock flow sets its quantity.
            manage_stock=True if not known.get(wanted.key) and stocked else None,
        )
        for wanted in spec.variants
    ]
    results = woo_client.variations_write(product_id, writes)
    variations = []
    for wanted, result in zip(spec.variants, results, strict=True):
        if not result.ok:
            refused = WooValidationError(result.error_message, code=result.error_code, store=woo_client.store_url)
            raise _refused(exc=refused, item=item, sku=wanted.sku, store=woo_client.store_url)
        variations.append(result.variation)
    return variations


def woo_product_push(
    *,
    integration: Integration,
    item: Any,
    link: RecordLink | None,
    shop_client: Any = None,
    force: bool = False,
    woo_client: WooCommerceClient,
    store_prices_include_tax: bool,
) -> tuple[str, RecordLink | None]:
    """Create or update the WooCommerce product of one BC item: created/updated/unchanged."""
    try:
        spec = product_spec(
            item=item,
            variants=getattr(item, "item_variants", None) or (),
            sku_rule=integration.sku_rule,
            blocked_item_product_status=integration.blocked_item_product_status,
        )
        sku = item_sku(item=item, sku_rule=integration.sku_rule)
    except MissingSku:
        raise ProductError(CODE_NO_GTIN, item=item.number)
    store = woo_client.store_url
    if bool(getattr(item, "price_includes_tax", False)) != store_prices_include_tax:
        raise ProductError(CODE_PRICE_BASIS, item=item.number, store=store)
    digest = product_digest(spec)
    synced = link is not None and bool(link.target_id) and link.state == RecordLink.State.SYNCED
    if not force and synced and link is not None and link.payload_digest == digest:
        return "unchanged", link

    product_id = _id(link.target_id) if link and link.target_id else 0
    variants = ((link.details or {}).get("variants") or {}) if link and product_id else {}
    known = {key: _id(value.get("variant_id")) for key, value in variants.items() if _id(value.get("variant_id"))}
    if not product_id:
        existing = next(iter(woo_client.products_iter(sku=sku)), None)
        product_id = existing.id if existing is not None else 0
    write = _product_write(spec=spec, sku=sku)
    if not product_id and write.type == "simple" and getattr(item, "type", "") == INVENTORY:
        # A new stocked product manages stock, so the stock flow sets its quantity; an existing one
        # keeps the store's choice.
        write = replace(write, manage_stock=True)
    try:
        product = woo_client.product_update(product_id, write) if product_id else woo_client.product_create(write)
    except WooValidationError as exc:
        raise _refused(exc=exc, item=item, sku=sku, store=store) from exc
    variations = []
    if spec.has_options:
        try:
            variations = _variations_write(
                woo_client=woo_client, spec=spec, item=item, product_id=product.id, known=known
            )
        except (ProductError, WooError) as exc:
            # The failed link keeps the product: the retry completes it (read back with getattr).
            exc.product_id = str(product.id)  # type: ignore[union-attr]
            raise
    model = woo_product_translate(product, variations)
    link = item_links_save(integration=integration, item=item, spec=spec, digest=digest, product=model)
    return ("updated" if product_id else "created"), link


def woo_product_pusher(*, woo_client: WooCommerceClient) -> partial:
    """The item push for one run: the store's "Prices entered with tax" is read once."""
    return partial(woo_product_push, woo_client=woo_client, store_prices_include_tax=woo_client.prices_include_tax())
