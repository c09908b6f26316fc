"""Shopify-only records the Shopify connector hands out (shop, payouts, bulk, stats).

Orders, customers, products, stock and fulfilment orders are the product's commerce model
(integrations/commerce; the fulfilment records are re-exported here for the connector); the
connector translates Shopify's records into those. Ids are Shopify GIDs; enum-like values stay raw
strings: Shopify adds values over time and an unknown value must survive, not vanish.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from integrations.commerce.fulfilment import FulfillmentLineInput as FulfillmentLineInput
from integrations.commerce.fulfilment import FulfillmentOrder as FulfillmentOrder
from integrations.commerce.fulfilment import FulfillmentOrderLine as FulfillmentOrderLine
from integrations.commerce.ids import id_tail
from integrations.commerce.money import Money


@dataclass(frozen=True, slots=True)
class Shop:
    name: str
    currency_code: str
    iana_timezone: str
    myshopify_domain: str = ""
    email: str = ""
    presentment_currencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShopifyPaymentsAccount:
    id: str
    activated: bool
    default_currency: str


@dataclass(frozen=True, slots=True)
class Payout:
    id: str
    status: str  # SCHEDULED / IN_TRANSIT / PAID / FAILED / CANCELED
    issued_at: dt.datetime
    net: Money
    gross: Money | None = None
    fees: Money | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def legacy_id(self) -> str:
        return id_tail(self.id)


@dataclass(frozen=True, slots=True)
class BalanceTransaction:
    id: str
    type: str  # raw Shopify value: CHARGE / REFUND / ADJUSTMENT / ... (unknown values kept)
    amount: Money
    fee: Money
    net: Money
    transaction_date: dt.datetime
    source_id: str = ""
    source_type: str = ""
    source_order_transaction_id: str = ""
    order_id: str = ""
    order_name: str = ""
    payout_id: str = ""
    test: bool = False
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class WebhookSubscription:
    id: str
    topic: str
    uri: str


@dataclass(frozen=True, slots=True)
class OrderEditLine:
    """One line of an order edit: the line item and by how much its quantity changed."""

    line_item_id: str
    delta: int


@dataclass(frozen=True, slots=True)
class OrderEdit:
    """The body of an ``orders/edited`` webhook: which order changed and how (not the order itself)."""

    id: str
    order_id: str  # the Order's GraphQL id
    created_at: str = ""
    additions: tuple[OrderEditLine, ...] = ()
    removals: tuple[OrderEditLine, ...] = ()


@dataclass(frozen=True, slots=True)
class BulkOperation:
    id: str
    status: str
    url: str = ""
    object_count: int = 0
    error_code: str = ""


@dataclass(slots=True)
class ClientStats:
    """Counters for benchmarks and SyncRun.api_requests."""

    requests: int = 0
    cost_requested: int = 0
    cost_used: int = 0
    throttled: int = 0
    retries: int = 0
    stock_conflicts: int = 0
    waited_seconds: float = 0.0
