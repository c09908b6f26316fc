"""Fulfilment in the commerce model: what a shop still has to ship of an order, and what is shipped.

A fulfilment order is the order's lines at one place they ship from, each with what is still open;
a fulfilment names the fulfilment-order lines and quantities that left. Ids are the platform's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FulfillmentOrderLine:
    id: str
    line_item_id: str
    sku: str
    remaining_quantity: int


@dataclass(frozen=True, slots=True)
class FulfillmentOrder:
    """The order's lines at one location, with what is still to ship."""

    id: str
    status: str  # OPEN / IN_PROGRESS / CLOSED / CANCELLED / ON_HOLD / SCHEDULED / INCOMPLETE
    lines: tuple[FulfillmentOrderLine, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentLineInput:
    fulfillment_order_id: str
    fulfillment_order_line_id: str
    quantity: int
