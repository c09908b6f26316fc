"""Item ledger entries per location, as BC keeps them (table 32 "Item Ledger Entry").

Every stock movement is one entry with the item number, a variant code and a location code (each
blank when the document had none) and a quantity. An inbound entry stays open with its whole
quantity remaining; an outbound entry is applied to the oldest open inbound entries of the same
item, variant and location, and what it could
not apply stays open with a negative remaining quantity (negative inventory). So the sum of the open
entries' remaining quantities per item and location is the item's inventory there, and over all
locations it equals the item's ``inventory`` (API v2.0 items). [assumption: FIFO application order;
BC applies by the item's costing method, which does not change the sums.]
"""

from __future__ import annotations

from .store import CompanyStore


def item_entry_post(
    store: CompanyStore,
    *,
    item: dict,
    location_code: str,
    quantity: float,
    entry_type: str,
    document_number: str,
    posting_date: str | None = None,
    variant_code: str = "",
) -> dict:
    """Append one entry, apply an outbound one to open inbound ones, move the item's total."""
    quantity = round(float(quantity), 5)
    remaining = quantity
    key = (item["number"], location_code, variant_code)
    if quantity < 0:
        # Only the open inbound entries of this item, variant and location, oldest first (an index:
        # a scan of the whole ledger per line made long runs quadratic).
        queue = _open_inbound(store).get(key, [])
        while queue and remaining < 0:
            entry = queue[0]
            applied = min(entry["remainingQuantity"], -remaining)
            entry["remainingQuantity"] = round(entry["remainingQuantity"] - applied, 5)
            entry["open"] = entry["remainingQuantity"] != 0
            remaining = round(remaining + applied, 5)
            if entry["remainingQuantity"] <= 0:
                queue.pop(0)
    entry = {
        "entryNo": len(store.item_ledger) + 1,
        "itemNumber": item["number"],
        "variantCode": variant_code,
        "entryType": entry_type,
        "postingDate": posting_date or store.clock.today().isoformat(),
        "documentNumber": document_number,
        "locationCode": location_code,
        "quantity": quantity,
        "remainingQuantity": remaining,
        "open": remaining != 0,
    }
    index = _open_inbound(store)
    store.item_ledger.append(entry)
    if remaining > 0:
        index.setdefault(key, []).append(entry)
    store.open_inbound_mark = _ledger_mark(store)
    item["inventory"] = round(float(item.get("inventory") or 0) + quantity, 5)
    return entry


def _ledger_mark(store: CompanyStore) -> tuple:
    ledger = store.item_ledger
    return (id(ledger), len(ledger), id(ledger[-1]) if ledger else None)


def _open_inbound(store: CompanyStore) -> dict[tuple[str, str, str], list[dict]]:
    """The store's open inbound entries by (item, location, variant), rebuilt from the ledger when it
    changed other than through ``item_entry_post`` (seeded, cleared, restored after a failed batch)."""
    if store.open_inbound_mark != _ledger_mark(store):
        index: dict[tuple[str, str, str], list[dict]] = {}
        for entry in store.item_ledger:
            if entry.get("open") and entry["remainingQuantity"] > 0:
                key = (entry["itemNumber"], entry.get("locationCode", ""), entry.get("variantCode", ""))
                index.setdefault(key, []).append(entry)
        store.open_inbound = index
        store.open_inbound_mark = _ledger_mark(store)
    return store.open_inbound


def location_quantity(store: CompanyStore, *, item_number: str, location_code: str, variant_code: str = "") -> float:
    entries = (
        entry
        for entry in store.item_ledger
        if entry.get("open") and entry["itemNumber"] == item_number and entry.get("variantCode", "") == variant_code
    )
    return round(sum(e["remainingQuantity"] for e in entries if e.get("locationCode", "") == location_code), 5)


def line_variant_code(store: CompanyStore, line: dict) -> str:
    """The variant code of a document line (``itemVariantId``), blank without one."""
    variant = store.get("itemVariants", line.get("itemVariantId")) if line.get("itemVariantId") else None
    return variant["code"] if variant else ""


def location_quantity_set(
    store: CompanyStore, *, item: dict, location_code: str, quantity: float, variant_code: str = ""
) -> None:
    """Post the positive or negative adjustment that brings the item (or one of its variants) to
    ``quantity`` at the location."""
    now = location_quantity(store, item_number=item["number"], location_code=location_code, variant_code=variant_code)
    delta = round(float(quantity) - now, 5)
    if delta:
        item_entry_post(
            store,
            item=item,
            location_code=location_code,
            quantity=delta,
            entry_type="Positive Adjmt." if delta > 0 else "Negative Adjmt.",
            document_number=item["number"],
            variant_code=variant_code,
        )  # an item journal: the item's lastModifiedDateTime does not move
