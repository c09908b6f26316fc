"""BC items and item variants for the orders' SKUs, read in bulk and remembered for the run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from integrations.connectors.businesscentral import entities, odata
from integrations.models import Integration
from syncs.mapping.lines import ItemRef
from syncs.mapping.products import VARIANT_CODE_LENGTH, VARIANT_SKU_SEPARATOR
from syncs.services.orders.context import OrdersContext

LOOKUP_CHUNK = 40


def _chunks(*, values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def items_resolve(*, ctx: OrdersContext, keys: Iterable[str]) -> dict[str, ItemRef]:
    """BC items for SKU keys, one filtered read per 40 keys, remembered for the run.

    A key that is no item is tried as a variant SKU (``<item>-<variant code>``, as the products flow
    writes them): the item before a separator and the variant after it, in two more bulk reads.
    """
    wanted = sorted({key for key in keys if key and key not in ctx.items})
    bc_field = "gtin" if ctx.settings.sku_rule == Integration.SkuRule.GTIN else "number"
    for group in _chunks(values=wanted, size=LOOKUP_CHUNK):
        found: dict[str, ItemRef | None] = dict.fromkeys(group)
        for item in ctx.client.iter_records(
            entities.ITEMS,
            filter=odata.any_of(bc_field, group),
            select=["id", "number", "gtin", "taxGroupCode", "blocked"],
        ):
            key = item.gtin if bc_field == "gtin" else item.number
            found[key] = ItemRef(number=item.number, id=item.id, tax_group_code=item.tax_group_code)
        missing = [key for key, ref in found.items() if ref is None]
        if missing:
            found.update(_variants_resolve(ctx=ctx, keys=missing, bc_field=bc_field))
        # Remembered only once read: a failed read must not leave the SKUs "not in BC" for the run.
        ctx.items.update(found)
    return ctx.items_found


def _variant_splits(*, key: str) -> list[tuple[str, str]]:
    """Every (item key, variant code) a variant SKU can be cut into; variant codes are Code[10]."""
    parts = []
    for index, char in enumerate(key):
        if char == VARIANT_SKU_SEPARATOR and 0 < index < len(key) - 1:
            item_key, code = key[:index], key[index + 1 :]
            if len(code) <= VARIANT_CODE_LENGTH:
                parts.append((item_key, code.upper()))
    return parts


def _variants_resolve(*, ctx: OrdersContext, keys: list[str], bc_field: str) -> dict[str, ItemRef]:
    splits = {key: _variant_splits(key=key) for key in keys}
    item_keys = sorted({item_key for parts in splits.values() for item_key, _ in parts})
    if not item_keys:
        return {}
    items = {}
    for group in _chunks(values=item_keys, size=LOOKUP_CHUNK):
        for item in ctx.client.iter_records(
            entities.ITEMS,
            filter=odata.any_of(bc_field, group),
            select=["id", "number", "gtin", "taxGroupCode", "blocked"],
        ):
            items[item.gtin if bc_field == "gtin" else item.number] = item
    variants = {}
    numbers = sorted({item.number for item in items.values()})
    for group in _chunks(values=numbers, size=LOOKUP_CHUNK):
        for variant in ctx.client.iter_records(
            entities.ITEM_VARIANTS, filter=odata.any_of("itemNumber", group), select=["id", "itemNumber", "code"]
        ):
            variants[(variant.item_number, variant.code.upper())] = variant
    found = {}
    for key, parts in splits.items():
        for item_key, code in parts:
            known_item = items.get(item_key)
            known_variant = variants.get((known_item.number, code)) if known_item is not None else None
            if known_item is not None and known_variant is not None:
                found[key] = ItemRef(
                    number=known_item.number,
                    id=known_item.id,
                    tax_group_code=known_item.tax_group_code,
                    variant_id=known_variant.id,
                    variant_code=known_variant.code,
                )
                break
    return found
