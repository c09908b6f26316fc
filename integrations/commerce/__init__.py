"""The product's own commerce model: what every shop connector translates its platform into.

``money`` (Money, MoneyBag), ``orders`` (orders, lines, refunds, transactions, customers, addresses),
``catalogue`` (products, variants, locations, stock levels), ``fulfilment`` (fulfilment orders and
lines), ``errors`` (ShopError, the base of every shop connector's exceptions), ``platform`` (the
Protocols a shop connector implements) and ``ids`` (record ids). The core
(mapping, flows, preflight, payouts) imports these, never a connector's records.
"""

from integrations.commerce.catalogue import (
    InventoryChange,
    InventoryLevel,
    Location,
    Product,
    ProductInput,
    ProductOption,
    ProductVariant,
    SelectedOption,
    VariantInput,
)
from integrations.commerce.errors import ShopAuthError, ShopError, ShopRefused, ShopStockConflict
from integrations.commerce.fulfilment import FulfillmentLineInput, FulfillmentOrder, FulfillmentOrderLine
from integrations.commerce.ids import id_tail
from integrations.commerce.money import Money, MoneyBag
from integrations.commerce.orders import (
    Address,
    Customer,
    DiscountAllocation,
    DiscountApplication,
    LineItem,
    Order,
    OrderStamp,
    OrderUsage,
    Refund,
    RefundLineItem,
    RefundShippingLine,
    ShippingLine,
    TaxLine,
    Tracking,
    Transaction,
)

__all__ = [
    "Address",
    "Customer",
    "DiscountAllocation",
    "DiscountApplication",
    "FulfillmentLineInput",
    "FulfillmentOrder",
    "FulfillmentOrderLine",
    "InventoryChange",
    "InventoryLevel",
    "LineItem",
    "Location",
    "Money",
    "MoneyBag",
    "Order",
    "OrderStamp",
    "OrderUsage",
    "Product",
    "ProductInput",
    "ProductOption",
    "ProductVariant",
    "Refund",
    "RefundLineItem",
    "RefundShippingLine",
    "SelectedOption",
    "ShopAuthError",
    "ShopError",
    "ShopRefused",
    "ShopStockConflict",
    "ShippingLine",
    "TaxLine",
    "Tracking",
    "Transaction",
    "VariantInput",
    "id_tail",
]
