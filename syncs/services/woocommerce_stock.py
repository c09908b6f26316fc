"""BC stock -> WooCommerce stock quantities, writing only the differences.

The store's current quantities are read (products and their variations that manage stock, by
SKU = BC item number), compared with BC's inventory, and only the items whose quantity differs
are set, 100 a request through WooCommerce's batch endpoints. An item WooCommerce refuses is
reported with its code; the others are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from integrations.connectors.businesscentral import BusinessCentralClient, entities
from integrations.connectors.woocommerce import StockUpdate, WooCommerceClient, WooValidationError
from syncs.errors import ClassifiedError
from syncs.errors.classify import classify_woo_error
from syncs.models import SyncRun
from syncs.services.runs import sync_log_error

BC_PAGE_SIZE = 20_000


@dataclass
class WooStockPushResult:
    seen: int = 0
    pushed: int = 0
    unchanged: int = 0
    not_in_bc: int = 0
    failed: dict[str, ClassifiedError] = field(default_factory=dict)  # SKU -> error


def bc_inventory_by_number(*, bc_client: BusinessCentralClient) -> dict[str, int]:
    """Item number -> inventory of every BC item (three fields, 20,000 items a page)."""
    quantities = {}
    for item in bc_client.iter_records(entities.ITEMS, select=("id", "number", "inventory"), page_size=BC_PAGE_SIZE):
        quantities[str(item.number)] = int(Decimal(str(item.inventory or 0)))
    return quantities


def _store_stock(*, woo_client: WooCommerceClient) -> dict[str, tuple[StockUpdate, int | None]]:
    """SKU -> (where to write it, the store's current quantity) for everything that manages stock."""
    found: dict[str, tuple[StockUpdate, int | None]] = {}
    for product in woo_client.products_iter():
        if product.is_variable:
            for variation in woo_client.variations_iter(product.id):
                if variation.sku and variation.manage_stock:
                    target = StockUpdate(product_id=product.id, variation_id=variation.id, quantity=0)
                    found[variation.sku] = (target, variation.stock_quantity)
        elif product.sku and product.manage_stock:
            found[product.sku] = (StockUpdate(product_id=product.id, quantity=0), product.stock_quantity)
    return found


def woo_stock_push(*, bc_client: BusinessCentralClient, woo_client: WooCommerceClient) -> WooStockPushResult:
    result = WooStockPushResult()
    inventory = bc_inventory_by_number(bc_client=bc_client)
    updates: dict[int, tuple[str, StockUpdate]] = {}
    for sku, (target, current) in _store_stock(woo_client=woo_client).items():
        result.seen += 1
        if sku not in inventory:
            result.not_in_bc += 1
        elif inventory[sku] == current:
            result.unchanged += 1
        else:
            update = replace(target, quantity=inventory[sku])
            updates[update.target_id] = (sku, update)
    for outcome in woo_client.stock_update([update for _, update in updates.values()]):
        sku = updates[outcome.id][0]
        if outcome.ok:
            result.pushed += 1
        else:
            refused = WooValidationError(outcome.error_message, code=outcome.error_code, store=woo_client.store_url)
            result.failed[sku] = classify_woo_error(refused)
    return result


def woo_stock_run(
    *, run: SyncRun, bc_client: BusinessCentralClient, woo_client: WooCommerceClient
) -> WooStockPushResult:
    """The stock flow for a WooCommerce store: push the differences, count them on the run and log
    every item the store refused with its code (the next run pushes it again)."""
    result = woo_stock_push(bc_client=bc_client, woo_client=woo_client)
    run.records_seen += result.seen
    run.records_updated += result.pushed
    run.records_skipped += result.unchanged + result.not_in_bc
    run.records_failed += len(result.failed)
    for sku, error in result.failed.items():
        sync_log_error(
            run=run,
            integration_id=run.integration_id,
            flow=run.flow,
            error=error,
            message=f"The store refused the stock level of {sku}: {error.message}",
        )
    return result
