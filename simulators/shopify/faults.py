"""Per-record failures that tests and benchmarks switch on. All are off by default.

    sim.faults.reject_inventory_item(item_id)   # inventorySetQuantities answers a userError for it
    sim.faults.reject_inventory_item(item_id, positioned=False)   # ... naming no field, as some
                                                # bundle errors do: the client cannot tell which row
    sim.faults.reject_sku("1928-S")             # a variant write carrying this SKU is refused
    sim.faults.sell_during_updates(item_id, times=2)   # a sale lowers the item's stock just before
                                                # each of the next 2 inventorySetQuantities checks
    sim.faults.clear()

As in Shopify, one refused row refuses the whole mutation: nothing in it is applied.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

DEFAULT_INVENTORY_MESSAGE = "The quantity of this inventory item can't be adjusted."
DEFAULT_SKU_MESSAGE = "The variant could not be saved."


@dataclass(frozen=True)
class Rejection:
    message: str
    code: str | None = None
    positioned: bool = True  # False: the userError's field is null


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.inventory_items: dict[str, Rejection] = {}
        self.skus: dict[str, Rejection] = {}
        self.sales: dict[str, int] = {}
        self.injected = 0

    def reject_inventory_item(
        self,
        inventory_item_id: str,
        *,
        message: str = DEFAULT_INVENTORY_MESSAGE,
        code: str = "INVALID_INVENTORY_ITEM",
        positioned: bool = True,
    ) -> Faults:
        with self._lock:
            self.inventory_items[inventory_item_id] = Rejection(message, code, positioned)
        return self

    def reject_sku(self, sku: str, *, message: str = DEFAULT_SKU_MESSAGE) -> Faults:
        with self._lock:
            self.skus[sku] = Rejection(message)
        return self

    def sell_during_updates(self, inventory_item_id: str, *, times: int = 1) -> Faults:
        with self._lock:
            self.sales[inventory_item_id] = times
        return self

    def sale_now(self, inventory_item_id: str) -> bool:
        """True (once per planned sale) when a sale should move this item's stock now."""
        with self._lock:
            left = self.sales.get(inventory_item_id, 0)
            if left <= 0:
                return False
            self.sales[inventory_item_id] = left - 1
            self.injected += 1
            return True

    def clear(self) -> None:
        with self._lock:
            self.inventory_items.clear()
            self.skus.clear()
            self.sales.clear()

    def inventory_rejection(self, inventory_item_id: str) -> Rejection | None:
        rejection = self.inventory_items.get(inventory_item_id)
        if rejection is not None:
            with self._lock:
                self.injected += 1
        return rejection

    def sku_rejection(self, sku: str | None) -> Rejection | None:
        rejection = self.skus.get(sku) if sku else None
        if rejection is not None:
            with self._lock:
                self.injected += 1
        return rejection
