"""Orders, their lines, refunds, transactions and customers in the product's own commerce model.

Every shop connector (Shopify, WooCommerce, ...) translates its platform's records into these
dataclasses; mapping, flows, preflight and payouts read nothing else. Ids are platform record URIs
(``gid://shopify/Order/1001``, ``gid://woocommerce/Order/42``): opaque strings whose last segment is
the platform's own number (``ids.id_tail``). Amounts are ``Decimal``. Status and kind values use the
model's vocabulary (financial status PAID / PARTIALLY_REFUNDED / ..., transaction kind SALE / CAPTURE /
REFUND ..., restock type RETURN / CANCEL / NO_RESTOCK); a value a platform adds later stays a raw
string and must survive, not vanish.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from integrations.commerce.ids import id_tail
from integrations.commerce.money import Money, MoneyBag


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
    created_at: dt.datetime | None  # Shopify's Refund.createdAt is nullable (its processedAt is not)
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
        return id_tail(self.id)

    @property
    def sales_channel(self) -> str:
        """The channel's name as the merchant sees it in Shopify (the app), else Shopify's source name."""
        return self.app_name or self.source_name


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
