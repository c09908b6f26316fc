"""Typed records the Shopify connector hands to the rest of the product.

Ids are Shopify GIDs (``gid://shopify/Order/1001``). Amounts are ``Decimal``. Enum-like values
(financial status, transaction kind, balance-transaction type) stay raw strings: Shopify adds
values over time and an unknown value must survive, not vanish (see product-peers-facts, 4.12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class MoneyBag:
    """The same amount in the shop's currency and in the buyer's (presentment) currency."""

    shop: Money
    presentment: Money


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
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    zip: str = ""
    province_code: str = ""
    country_code: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    tax_exempt: bool = False
    default_address: Address | None = None
    tags: tuple[str, ...] = ()
    updated_at: dt.datetime | None = None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class TaxLine:
    title: str
    rate: Decimal
    price: MoneyBag


@dataclass(frozen=True, slots=True)
class DiscountApplication:
    index: int
    kind: str  # DiscountCodeApplication / AutomaticDiscountApplication / ManualDiscountApplication
    title: str  # the code for a discount code
    target_type: str  # LINE_ITEM / SHIPPING_LINE
    allocation_method: str
    value_amount: Money | None = None
    value_percentage: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DiscountAllocation:
    amount: MoneyBag
    application_index: int | None = None


@dataclass(frozen=True, slots=True)
class LineItem:
    id: str
    title: str
    sku: str
    barcode: str
    quantity: int
    unit_price: MoneyBag
    is_gift_card: bool = False
    taxable: bool = True
    tax_code: str = ""  # the variant's product tax code / class, if the shop sets one
    variant_id: str = ""
    discount_allocations: tuple[DiscountAllocation, ...] = ()
    tax_lines: tuple[TaxLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ShippingLine:
    id: str
    title: str
    code: str
    price: MoneyBag
    discounted_price: MoneyBag | None = None
    tax_lines: tuple[TaxLine, ...] = ()
    discount_allocations: tuple[DiscountAllocation, ...] = ()


@dataclass(frozen=True, slots=True)
class Transaction:
    id: str
    kind: str  # SALE / CAPTURE / AUTHORIZATION / REFUND / VOID ...
    status: str  # SUCCESS / PENDING / FAILURE ...
    gateway: str  # shopify_payments, gift_card, manual ...
    amount: MoneyBag
    created_at: dt.datetime | None = None
    parent_id: str = ""
    test: bool = False


@dataclass(frozen=True, slots=True)
class RefundLineItem:
    line_item_id: str
    sku: str
    quantity: int
    restock_type: str  # RETURN / CANCEL / NO_RESTOCK / LEGACY_RESTOCK
    subtotal: MoneyBag  # price x quantity: includes VAT when the order's taxes_included
    total_tax: MoneyBag  # the VAT part


@dataclass(frozen=True, slots=True)
class RefundShippingLine:
    shipping_line_id: str
    subtotal: MoneyBag  # before tax (Shopify's subtotalAmountSet), whatever taxes_included says
    tax: MoneyBag


@dataclass(frozen=True, slots=True)
class Refund:
    id: str
    created_at: dt.datetime
    note: str
    total_refunded: MoneyBag
    line_items: tuple[RefundLineItem, ...] = ()
    shipping_lines: tuple[RefundShippingLine, ...] = ()
    transactions: tuple[Transaction, ...] = ()


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    test: bool
    financial_status: str
    fulfillment_status: str
    currency: str  # the shop's currency
    presentment_currency: str
    email: str
    phone: str
    customer: Customer | None
    billing_address: Address | None
    shipping_address: Address | None
    line_items: tuple[LineItem, ...]
    shipping_lines: tuple[ShippingLine, ...]
    discount_applications: tuple[DiscountApplication, ...]
    transactions: tuple[Transaction, ...]
    refunds: tuple[Refund, ...]
    total_price: MoneyBag
    total_tax: MoneyBag
    subtotal: MoneyBag
    total_shipping: MoneyBag
    total_discounts: MoneyBag
    taxes_included: bool = True
    cancelled_at: dt.datetime | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    source_name: str = ""  # Shopify's sourceName: web, pos, shopify_draft_order, an app's id ...
    app_name: str = ""  # the app (sales channel) that created the order: "Online Store", "Point of Sale"
    risk_level: str = ""  # the highest risk assessment: HIGH / MEDIUM / LOW / NONE / PENDING ("" = none)
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def legacy_id(self) -> str:
        return gid_tail(self.id)

    @property
    def sales_channel(self) -> str:
        """The channel's name as the merchant sees it in Shopify (the app), else Shopify's source name."""
        return self.app_name or self.source_name


@dataclass(frozen=True, slots=True)
class FulfillmentOrderLine:
    id: str
    line_item_id: str
    sku: str
    remaining_quantity: int


@dataclass(frozen=True, slots=True)
class FulfillmentOrder:
    """Shopify's unit of fulfilment: the order's lines at one location, with what is still to ship."""

    id: str
    status: str  # OPEN / IN_PROGRESS / CLOSED / CANCELLED / ON_HOLD / SCHEDULED / INCOMPLETE
    lines: tuple[FulfillmentOrderLine, ...] = ()


@dataclass(frozen=True, slots=True)
class FulfillmentLineInput:
    fulfillment_order_id: str
    fulfillment_order_line_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Tracking:
    number: str = ""
    company: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class OrderStamp:
    """An order's id, name and last change: what a sweep needs to decide whether to read it in full."""

    id: str
    name: str
    updated_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class OrderUsage:
    """What one order used (countries, gateways, currencies, shipping, tax), without its amounts."""

    name: str
    test: bool
    country: str
    gateways: tuple[str, ...]
    currencies: tuple[str, ...]
    shipping_methods: tuple[str, ...]
    tax_lines: tuple[tuple[str, Decimal], ...]  # (title, rate as a fraction: 0.25)


@dataclass(frozen=True, slots=True)
class SelectedOption:
    """One option value of a variant: ``SelectedOption("Color", "Red")``."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ProductOption:
    """A product option and its values, in display order (``ProductOption("Color", ("Red", "Blue"))``)."""

    name: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductVariant:
    id: str
    sku: str
    barcode: str
    price: Decimal
    inventory_item_id: str
    title: str = ""
    compare_at_price: Decimal | None = None
    taxable: bool = True
    tax_code: str = ""
    weight: Decimal | None = None
    weight_unit: str = ""
    inventory_quantity: int | None = None
    selected_options: tuple[SelectedOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    title: str
    status: str
    handle: str = ""
    vendor: str = ""
    product_type: str = ""
    tags: tuple[str, ...] = ()
    updated_at: dt.datetime | None = None
    variants: tuple[ProductVariant, ...] = ()
    description_html: str = ""
    options: tuple[ProductOption, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantInput:
    """A variant to create (no ``id``) or update (with ``id``). ``None`` fields are left alone."""

    id: str | None = None
    sku: str | None = None
    barcode: str | None = None
    price: Decimal | None = None
    compare_at_price: Decimal | None = None
    weight: Decimal | None = None
    weight_unit: str = "KILOGRAMS"
    taxable: bool | None = None
    # Required by Shopify once a product has options: one value per option, unique per variant.
    option_values: tuple[SelectedOption, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductInput:
    """A product to create or update. On update only the set fields change.

    ``options`` is used on create only (Shopify's ``productOptions``): a product with several
    variants needs them, each variant naming its values in ``VariantInput.option_values``. Values
    added later arrive with the new variants' ``option_values``.
    """

    id: str | None = None
    title: str | None = None
    status: str | None = None  # ACTIVE / DRAFT / ARCHIVED
    vendor: str | None = None
    product_type: str | None = None
    tags: tuple[str, ...] | None = None
    description_html: str | None = None
    options: tuple[ProductOption, ...] = ()
    variants: tuple[VariantInput, ...] = ()


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    name: str
    is_active: bool = True
    country_code: str = ""


@dataclass(frozen=True, slots=True)
class InventoryLevel:
    inventory_item_id: str
    location_id: str
    available: int
    on_hand: int | None = None


@dataclass(frozen=True, slots=True)
class InventoryChange:
    """Set the ``available`` quantity of one item at one location to ``quantity``.

    ``change_from_quantity`` is the quantity the caller expects Shopify to hold now (the
    compare-and-swap check); None skips the check (sent as Shopify's explicit ``null``).
    """

    inventory_item_id: str
    location_id: str
    quantity: int
    change_from_quantity: int | None = None


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
        return gid_tail(self.id)


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


def gid_tail(gid: str) -> str:
    """``gid://shopify/Order/1001`` -> ``1001`` (the REST / legacy id)."""
    return gid.rsplit("/", 1)[-1] if gid else ""
