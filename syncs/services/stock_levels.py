"""BC stock -> the quantities of a store that keeps one per product and variation (the
``ShopStockLevels`` role: WooCommerce), writing only the differences.

The store's current quantities are read (products and their variations that manage stock),
compared with BC's, and only the items whose quantity differs are set (WooCommerce: 100 a request
through its batch endpoints). An item the store refuses is reported with its code; the others
are written.

What BC quantity belongs where: a variation the products flow linked to a BC item variant (its
RecordLink names the variation) gets that variant's stock, the open entries of page 38 "Item Ledger
Entries" summed per item and variant code over every location (API v2.0 has no quantity per
variant; page 38 is read only when a linked variation manages stock). Everything else matches by
SKU = BC item number and gets the item's total (API v2.0 ``items.inventory``). Page 38 not
published fails the linked variations with BC-601, once, and the rest is still written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from integrations.commerce import StockLevel
from integrations.commerce.platform import ShopStockLevels
from integrations.connectors.businesscentral import BusinessCentralClient, PageNotPublished, entities
from integrations.models import Integration
from syncs.errors import ClassifiedError, ProductError, classify_exception
from syncs.mapping.products import shop_quantity
from syncs.models import EntityType, RecordLink, SourceSystem, SyncRun
from syncs.services.runs import sync_log_error

BC_PAGE_SIZE = 20_000
CODE_PAGE_NOT_PUBLISHED = "BC-601"
ITEM_LEDGER_ENTRIES_PAGE_ID = "38"


@dataclass
class StockLevelsResult:
    seen: int = 0
    pushed: int = 0
    unchanged: int = 0
    not_in_bc: int = 0
    failed: dict[str, ClassifiedError] = field(default_factory=dict)  # SKU -> error
    variants_error: ClassifiedError | None = None  # BC's stock per variant could not be read
    variants_failed: int = 0  # linked variations left unwritten because of it


def bc_inventory_by_number(*, bc_client: BusinessCentralClient) -> dict[str, int]:
    """Item number -> inventory of every BC item (three fields, 20,000 items a page)."""
    quantities = {}
    for item in bc_client.iter_records(entities.ITEMS, select=("id", "number", "inventory"), page_size=BC_PAGE_SIZE):
        quantities[str(item.number)] = int(Decimal(str(item.inventory or 0)))
    return quantities


def bc_variant_quantities(*, bc_client: BusinessCentralClient) -> dict[tuple[str, str], int]:
    """(item number, variant code) -> stock over every location: the open entries of page 38
    (four fields, BC_PAGE_SIZE entries a request), their remaining quantities summed."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    try:
        for entry in bc_client.open_item_ledger_entries(location_codes=(), page_size=BC_PAGE_SIZE, variants=True):
            if entry.variant_code:
                totals[(entry.item_number, entry.variant_code)] += Decimal(entry.remaining_quantity)
    except PageNotPublished as exc:
        raise ProductError(CODE_PAGE_NOT_PUBLISHED, page_id=ITEM_LEDGER_ENTRIES_PAGE_ID, service_name=exc.page) from exc
    return {key: shop_quantity(quantity) for key, quantity in totals.items()}


def linked_variations(*, integration: Integration) -> dict[str, tuple[str, str]]:
    """Store variation id -> (BC item number, variant code), from the products flow's variant links."""
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        state=RecordLink.State.SYNCED,
        details__has_key="variant_code",
    ).values_list("source_reference", "details")
    found: dict[str, tuple[str, str]] = {}
    for reference, details in rows.iterator(chunk_size=2000):
        code = str(details.get("variant_code") or "")
        try:
            variation_id = int(str(details.get("variant_id") or "").rsplit("/", 1)[-1])
        except ValueError:
            continue
        if code and variation_id:
            found[str(variation_id)] = (reference.removesuffix(f"/{code}"), code)
    return found


@dataclass(frozen=True)
class _InStore:
    sku: str
    target: StockLevel
    current: int | None
    variant: tuple[str, str] | None = None  # (item number, variant code) of a linked variation


def _store_stock(*, shop: ShopStockLevels, variants: dict[str, tuple[str, str]]) -> list[_InStore]:
    """Everything in the store that manages stock: where to write it and the store's current quantity
    (a variation without a SKU only when the products flow linked it)."""
    found: list[_InStore] = []
    for level in shop.stock_levels():
        linked = variants.get(level.variation_id) if level.variation_id else None
        if level.variation_id and not (level.sku or linked):
            continue
        target = StockLevel(product_id=level.product_id, variation_id=level.variation_id, quantity=0)
        found.append(_InStore(level.sku, target, level.quantity, linked))
    return found


def stock_levels_push(
    *, integration: Integration, bc_client: BusinessCentralClient, shop: ShopStockLevels
) -> StockLevelsResult:
    result = StockLevelsResult()
    inventory = bc_inventory_by_number(bc_client=bc_client)
    in_store = _store_stock(shop=shop, variants=linked_variations(integration=integration))
    per_variant: dict[tuple[str, str], int] = {}
    if any(row.variant for row in in_store):
        try:
            per_variant = bc_variant_quantities(bc_client=bc_client)
        except ProductError as exc:
            result.variants_error = classify_exception(exc)
    updates: dict[str, tuple[str, StockLevel]] = {}
    for row in in_store:
        result.seen += 1
        if row.variant is not None:
            if result.variants_error is not None:
                result.variants_failed += 1
                continue
            wanted = per_variant.get(row.variant, 0)  # no open entry: none in stock
        elif row.sku in inventory:
            wanted = inventory[row.sku]
        else:
            result.not_in_bc += 1
            continue
        if wanted == row.current:
            result.unchanged += 1
        else:
            update = replace(row.target, quantity=wanted)
            label = row.sku or "/".join(row.variant or ())
            updates[update.target_id] = (label, update)
    for target_id, refused in shop.stock_levels_set([update for _, update in updates.values()]).items():
        sku = updates[target_id][0]
        if refused is None:
            result.pushed += 1
        else:
            result.failed[sku] = classify_exception(refused)
    return result


def stock_levels_run(*, run: SyncRun, bc_client: BusinessCentralClient, shop: ShopStockLevels) -> StockLevelsResult:
    """The stock flow for a store with ``ShopStockLevels``: push the differences, count them on the run
    and log every item the store refused with its code (the next run pushes it again)."""
    result = stock_levels_push(integration=run.integration, bc_client=bc_client, shop=shop)
    run.records_seen += result.seen
    run.records_updated += result.pushed
    run.records_skipped += result.unchanged + result.not_in_bc
    run.records_failed += len(result.failed) + result.variants_failed
    if result.variants_error is not None:
        error = result.variants_error
        sync_log_error(
            run=run,
            integration_id=run.integration_id,
            flow=run.flow,
            error=error,
            message=f"The stock of {result.variants_failed} variation(s) was not written: {error.message}",
        )
    for sku, error in result.failed.items():
        sync_log_error(
            run=run,
            integration_id=run.integration_id,
            flow=run.flow,
            error=error,
            message=f"The store refused the stock level of {sku}: {error.message}",
        )
    return result
