"""BC items -> the products of a store written item by item (the ``ShopProductStore`` role:
WooCommerce): the products flow's item push for such a store.

Items, the delta cursor, retries and the failure links are ``products_sync``'s (services/products.py);
this module writes one item. The store's translation (integrations/connectors/woocommerce/catalogue.py):
an item without BC variants is a ``simple`` product with the item's SKU and price; an item with
variants is a ``variable`` product (SKU = the item's SKU) with one attribute, "Variant", and a
variation per BC item variant (SKU and option as on Shopify).

Exactly once: the item's RecordLink names the product and each variation. Without a link the store
is searched by SKU first (a populated store, or a create whose answer was lost), so a retry never
makes a second product; a product whose variations failed keeps its id on the failed link, and its
variations are matched by SKU, then by option, before any is created.

Prices: WooCommerce takes prices as the store enters them ("Prices entered with tax", read once a
run). An item whose "Price Includes VAT" differs is refused (WOO-013), never converted: the VAT
rate of the product in the store is not known here.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from integrations.commerce import ProductInput, ProductOption, SelectedOption, ShopRefused, VariantInput
from integrations.commerce.platform import ShopProductStore
from integrations.models import Integration
from syncs.errors import ProductError
from syncs.mapping.products import (
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
SKU_REFUSED = "product_invalid_sku"  # WooCommerce's code of a SKU it refuses ("Invalid or duplicated SKU.")


def _refused(*, exc: ShopRefused, item: Any, sku: str, store: str) -> ProductError:
    if getattr(exc, "code", "") == SKU_REFUSED:
        return ProductError(CODE_SKU_TAKEN, item=item.number, store=store, sku=sku)
    return ProductError(CODE_PRODUCT_REJECTED, item=item.number, vendor_message=getattr(exc, "message", str(exc)))


def _product_input(*, spec: ProductSpec, link: RecordLink | None) -> ProductInput:
    """The item's product, with the ids the item's link knows (none without a product id)."""
    product_id = str(link.target_id) if link and link.target_id else ""
    variants = ((link.details or {}).get("variants") or {}) if link and product_id else {}
    return ProductInput(
        id=product_id or None,
        title=spec.title,
        status=spec.status,
        description_html=description_html(spec.description),
        options=(ProductOption(VARIANT_OPTION_NAME, tuple(v.option for v in spec.variants)),)
        if spec.has_options
        else (),
        variants=tuple(
            VariantInput(
                id=str((variants.get(wanted.key) or {}).get("variant_id") or "") or None,
                sku=wanted.sku,
                price=wanted.price,
                weight=wanted.weight,
                option_values=(SelectedOption(VARIANT_OPTION_NAME, wanted.option),) if spec.has_options else (),
            )
            for wanted in spec.variants
        ),
    )


def store_product_push(
    *,
    integration: Integration,
    item: Any,
    link: RecordLink | None,
    shop_client: Any = None,
    force: bool = False,
    shop: ShopProductStore,
    store_prices_include_tax: bool,
) -> tuple[str, RecordLink | None]:
    """Create or update the store's product of one BC item: created/updated/unchanged."""
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
    store = shop.store_url
    if bool(getattr(item, "price_includes_tax", False)) != store_prices_include_tax:
        raise ProductError(CODE_PRICE_BASIS, item=item.number, store=store)
    digest = product_digest(spec)
    synced = link is not None and bool(link.target_id) and link.state == RecordLink.State.SYNCED
    if not force and synced and link is not None and link.payload_digest == digest:
        return "unchanged", link

    try:
        model, existed = shop.item_product_write(
            _product_input(spec=spec, link=link), sku=sku, stocked=getattr(item, "type", "") == INVENTORY
        )
    except ShopRefused as exc:
        refused_sku = exc.refused_sku
        if exc.product_id and refused_sku is None:
            raise  # the product was written; the store failed otherwise: the link keeps the product
        error = _refused(exc=exc, item=item, sku=sku if refused_sku is None else refused_sku, store=store)
        if refused_sku is not None:
            error.product_id = exc.product_id  # type: ignore[attr-defined]  # the product is in the store: the retry completes it
        raise error from exc
    link = item_links_save(integration=integration, item=item, spec=spec, digest=digest, product=model)
    return ("updated" if existed else "created"), link


def store_product_pusher(*, shop: ShopProductStore) -> partial:
    """The item push for one run: the store's "Prices entered with tax" is read once."""
    return partial(store_product_push, shop=shop, store_prices_include_tax=shop.store_prices_include_tax())
