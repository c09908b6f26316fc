"""Stock writes: ``available`` quantities set with compare-and-swap, and the re-read after a conflict."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from integrations import commerce
from integrations.connectors.shopify import queries
from integrations.connectors.shopify.exceptions import ShopifyStockConflict, raise_user_errors
from integrations.connectors.shopify.payloads import inventory_set_input, request_key
from integrations.connectors.shopify.transport import ShopifyTransport

logger = logging.getLogger(__name__)

# Shopify accepts at most 250 quantities per inventorySetQuantities call.
INVENTORY_BATCH = 250
# A compare-and-swap conflict (CHANGE_FROM_QUANTITY_STALE) re-reads the levels and resends at most
# this many times; then ShopifyStockConflict (SHOP-006).
INVENTORY_CAS_RETRIES = 3
STALE_CODES = frozenset({"CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE"})


def inventory_set_quantities(
    transport: ShopifyTransport,
    changes: Iterable[commerce.InventoryChange],
    *,
    idempotency_key: str,
    reason: str = "correction",
    reference_document_uri: str | None = None,
    max_conflict_retries: int = INVENTORY_CAS_RETRIES,
) -> list[str]:
    """Set ``available`` quantities with compare-and-swap, 250 per request; the adjustment group ids.

    See ``ShopifyClient.inventory_set_quantities`` for the contract.
    """
    changes = list(changes)
    group_ids = []
    for batch_no, start in enumerate(range(0, len(changes), INVENTORY_BATCH)):
        group_ids.append(
            _set_batch(
                transport,
                changes[start : start + INVENTORY_BATCH],
                key=f"{idempotency_key}:{batch_no}",
                reason=reason,
                reference_document_uri=reference_document_uri,
                max_conflict_retries=max_conflict_retries,
            )
        )
    return group_ids


def _set_batch(
    transport: ShopifyTransport,
    batch: list[commerce.InventoryChange],
    *,
    key: str,
    reason: str,
    reference_document_uri: str | None,
    max_conflict_retries: int,
) -> str:
    conflicts = 0
    while True:
        payload = inventory_set_input(batch, reason=reason, reference_document_uri=reference_document_uri)
        data = transport.execute(queries.INVENTORY_SET_QUANTITIES, {"input": payload, "key": request_key(key, payload)})
        result = data["inventorySetQuantities"]
        errors = result.get("userErrors") or []
        if errors and all(e.get("code") in STALE_CODES for e in errors):
            conflicts += 1
            transport.stats.stock_conflicts += 1
            if conflicts > max_conflict_retries:
                raise ShopifyStockConflict(
                    f"The shop's stock kept changing while it was set ({conflicts} compare-and-swap conflicts).",
                    inventory_item_ids=sorted({c.inventory_item_id for c in batch}),
                    attempts=conflicts,
                )
            logger.info("Shopify %s: stock changed meanwhile; re-reading %d levels", transport.shop_domain, len(batch))
            batch = _with_current_quantities(transport, batch)
            continue
        raise_user_errors(result, "inventorySetQuantities")
        return (result.get("inventoryAdjustmentGroup") or {}).get("id") or ""


def _with_current_quantities(
    transport: ShopifyTransport, batch: list[commerce.InventoryChange]
) -> list[commerce.InventoryChange]:
    current = inventory_available_now(transport, [(c.inventory_item_id, c.location_id) for c in batch])
    return [
        dataclasses.replace(c, change_from_quantity=current.get((c.inventory_item_id, c.location_id), 0)) for c in batch
    ]


def inventory_available_now(transport: ShopifyTransport, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The current ``available`` quantity of each (inventory item, location); 0 where it is not stocked."""
    found: dict[tuple[str, str], int] = {}
    per_query = queries.INVENTORY_REREAD_PER_QUERY
    for start in range(0, len(pairs), per_query):
        chunk = pairs[start : start + per_query]
        variables = {}
        for i, (item, location) in enumerate(chunk):
            variables[f"i{i}"], variables[f"l{i}"] = item, location
        data = transport.execute(queries.inventory_levels_query(len(chunk)), variables)
        for i, pair in enumerate(chunk):
            level = (data.get(f"i{i}") or {}).get("inventoryLevel") or {}
            quantities = {q["name"]: q["quantity"] for q in level.get("quantities") or ()}
            found[pair] = int(quantities.get("available") or 0)
    return found
