"""Records read from WooCommerce REST API v3, as typed dataclasses.

Field names are WooCommerce's. Money is ``Decimal`` (WooCommerce sends decimal strings);
timestamps are aware UTC ``datetime`` read from the ``*_gmt`` twins (the plain fields are in
the site's time zone without an offset). ``raw`` keeps the whole JSON object. Enum-like values
(order status, product type, stock status) stay strings: stores and plugins add values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

ZERO = Decimal("0")


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


def money(value: Any) -> Decimal:
    """A WooCommerce money string ("12.50", "", None, a number) as Decimal; blank is zero."""
    if value in (None, ""):
        return ZERO
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return ZERO


def gmt(value: Any) -> dt.datetime | None:
    """A ``*_gmt`` value (``YYYY-MM-DDTHH:MM:SS``, no offset) as an aware UTC datetime."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _str(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class WooMeta:
    key: str
    value: Any = None
    id: int = 0


def _meta(items: Any) -> tuple[WooMeta, ...]:
    return tuple(
        WooMeta(key=_str(m.get("key")), value=m.get("value"), id=_int(m.get("id")))
        for m in items or ()
        if isinstance(m, dict)
    )


@dataclass(frozen=True, kw_only=True)
class WooAddress:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def from_json(cls, data: Any) -> WooAddress | None:
        if not isinstance(data, dict) or not any(data.values()):
            return None
        # Order shipping addresses carry no e-mail (and older stores no phone): read what is there.
        return cls(**{name: _str(data.get(name)) for name in cls.__dataclass_fields__ if name in data})


@dataclass(frozen=True, kw_only=True)
class WooTax:
    """One tax rate's share of a line (``taxes``): rate id, total and subtotal."""

    id: int
    total: Decimal = ZERO
    subtotal: Decimal = ZERO


def _taxes(items: Any) -> tuple[WooTax, ...]:
    # Shipping and fee taxes carry no subtotal: read it only where it is.
    return tuple(
        WooTax(
            id=_int(t.get("id")),
            total=money(t.get("total")),
            subtotal=money(t.get("subtotal")) if "subtotal" in t else ZERO,
        )
        for t in items or ()
        if isinstance(t, dict)
    )


@dataclass(frozen=True, kw_only=True)
class WooLineItem:
    """A product line. ``subtotal`` is before coupons, ``total`` after; both exclude tax."""

    id: int
    name: str = ""
    product_id: int = 0
    variation_id: int = 0
    quantity: int = 0
    tax_class: str = ""
    subtotal: Decimal = ZERO
    subtotal_tax: Decimal = ZERO
    total: Decimal = ZERO
    total_tax: Decimal = ZERO
    sku: str = ""
    price: Decimal = ZERO
    taxes: tuple[WooTax, ...] = ()
    meta_data: tuple[WooMeta, ...] = ()

    @property
    def refunded_item_id(self) -> int:
        """On a refund's line: the order line it refunds (meta ``_refunded_item_id``), else 0."""
        return next((_int(m.value) for m in self.meta_data if m.key == "_refunded_item_id"), 0)

    @classmethod
    def from_json(cls, data: dict) -> WooLineItem:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            product_id=_int(data.get("product_id")),
            variation_id=_int(data.get("variation_id")),
            quantity=_int(data.get("quantity")),
            tax_class=_str(data.get("tax_class")),
            subtotal=money(data.get("subtotal")),
            subtotal_tax=money(data.get("subtotal_tax")),
            total=money(data.get("total")),
            total_tax=money(data.get("total_tax")),
            sku=_str(data.get("sku")),
            price=money(data.get("price")),
            taxes=_taxes(data.get("taxes")),
            meta_data=_meta(data.get("meta_data")),
        )


@dataclass(frozen=True, kw_only=True)
class WooTaxLine:
    id: int
    rate_code: str = ""
    rate_id: int = 0
    label: str = ""
    compound: bool = False
    tax_total: Decimal = ZERO
    shipping_tax_total: Decimal = ZERO

    @classmethod
    def from_json(cls, data: dict) -> WooTaxLine:
        return cls(
            id=_int(data.get("id")),
            rate_code=_str(data.get("rate_code")),
            rate_id=_int(data.get("rate_id")),
            label=_str(data.get("label")),
            compound=bool(data.get("compound")),
            tax_total=money(data.get("tax_total")),
            shipping_tax_total=money(data.get("shipping_tax_total")),
        )


@dataclass(frozen=True, kw_only=True)
class WooShippingLine:
    id: int
    method_title: str = ""
    method_id: str = ""
    instance_id: str = ""
    total: Decimal = ZERO
    total_tax: Decimal = ZERO
    taxes: tuple[WooTax, ...] = ()
    meta_data: tuple[WooMeta, ...] = ()

    @property
    def refunded_item_id(self) -> int:
        return next((_int(m.value) for m in self.meta_data if m.key == "_refunded_item_id"), 0)

    @classmethod
    def from_json(cls, data: dict) -> WooShippingLine:
        return cls(
            id=_int(data.get("id")),
            method_title=_str(data.get("method_title")),
            method_id=_str(data.get("method_id")),
            instance_id=_str(data.get("instance_id")),
            total=money(data.get("total")),
            total_tax=money(data.get("total_tax")),
            taxes=_taxes(data.get("taxes")),
            meta_data=_meta(data.get("meta_data")),
        )


@dataclass(frozen=True, kw_only=True)
class WooFeeLine:
    id: int
    name: str = ""
    tax_class: str = ""
    tax_status: str = ""
    total: Decimal = ZERO
    total_tax: Decimal = ZERO

    @classmethod
    def from_json(cls, data: dict) -> WooFeeLine:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            tax_class=_str(data.get("tax_class")),
            tax_status=_str(data.get("tax_status")),
            total=money(data.get("total")),
            total_tax=money(data.get("total_tax")),
        )


@dataclass(frozen=True, kw_only=True)
class WooCouponLine:
    id: int
    code: str = ""
    discount: Decimal = ZERO
    discount_tax: Decimal = ZERO

    @classmethod
    def from_json(cls, data: dict) -> WooCouponLine:
        return cls(
            id=_int(data.get("id")),
            code=_str(data.get("code")),
            discount=money(data.get("discount")),
            discount_tax=money(data.get("discount_tax")),
        )


@dataclass(frozen=True, kw_only=True)
class WooRefundSummary:
    """An entry of an order's ``refunds``: id, reason and total (a negative string in the order)."""

    id: int
    reason: str = ""
    total: Decimal = ZERO


@dataclass(frozen=True, kw_only=True)
class WooRefund:
    """GET /orders/{order_id}/refunds/{id}. ``amount`` is positive; line quantities and totals negative."""

    id: int
    order_id: int
    date_created: dt.datetime | None = None
    amount: Decimal = ZERO
    reason: str = ""
    refunded_payment: bool = False
    line_items: tuple[WooLineItem, ...] = ()
    shipping_lines: tuple[WooShippingLine, ...] = ()
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict, *, order_id: int) -> WooRefund:
        return cls(
            id=_int(data.get("id")),
            order_id=order_id,
            date_created=gmt(data.get("date_created_gmt")),
            amount=money(data.get("amount")),
            reason=_str(data.get("reason")),
            refunded_payment=bool(data.get("refunded_payment")),
            line_items=tuple(WooLineItem.from_json(i) for i in data.get("line_items") or ()),
            shipping_lines=tuple(WooShippingLine.from_json(i) for i in data.get("shipping_lines") or ()),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooOrder:
    id: int
    number: str = ""
    status: str = ""
    currency: str = ""
    created_via: str = ""
    date_created: dt.datetime | None = None
    date_modified: dt.datetime | None = None
    date_paid: dt.datetime | None = None
    date_completed: dt.datetime | None = None
    discount_total: Decimal = ZERO
    discount_tax: Decimal = ZERO
    shipping_total: Decimal = ZERO
    shipping_tax: Decimal = ZERO
    cart_tax: Decimal = ZERO
    total: Decimal = ZERO
    total_tax: Decimal = ZERO
    prices_include_tax: bool = False
    customer_id: int = 0
    customer_note: str = ""
    billing: WooAddress | None = None
    shipping: WooAddress | None = None
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    line_items: tuple[WooLineItem, ...] = ()
    tax_lines: tuple[WooTaxLine, ...] = ()
    shipping_lines: tuple[WooShippingLine, ...] = ()
    fee_lines: tuple[WooFeeLine, ...] = ()
    coupon_lines: tuple[WooCouponLine, ...] = ()
    refunds: tuple[WooRefundSummary, ...] = ()
    meta_data: tuple[WooMeta, ...] = ()
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict) -> WooOrder:
        return cls(
            id=_int(data.get("id")),
            number=_str(data.get("number")) or _str(data.get("id")),
            status=_str(data.get("status")),
            currency=_str(data.get("currency")).upper(),
            created_via=_str(data.get("created_via")),
            date_created=gmt(data.get("date_created_gmt")),
            date_modified=gmt(data.get("date_modified_gmt")),
            date_paid=gmt(data.get("date_paid_gmt")),
            date_completed=gmt(data.get("date_completed_gmt")),
            discount_total=money(data.get("discount_total")),
            discount_tax=money(data.get("discount_tax")),
            shipping_total=money(data.get("shipping_total")),
            shipping_tax=money(data.get("shipping_tax")),
            cart_tax=money(data.get("cart_tax")),
            total=money(data.get("total")),
            total_tax=money(data.get("total_tax")),
            prices_include_tax=bool(data.get("prices_include_tax")),
            customer_id=_int(data.get("customer_id")),
            customer_note=_str(data.get("customer_note")),
            billing=WooAddress.from_json(data.get("billing")),
            shipping=WooAddress.from_json(data.get("shipping")),
            payment_method=_str(data.get("payment_method")),
            payment_method_title=_str(data.get("payment_method_title")),
            transaction_id=_str(data.get("transaction_id")),
            line_items=tuple(WooLineItem.from_json(i) for i in data.get("line_items") or ()),
            tax_lines=tuple(WooTaxLine.from_json(i) for i in data.get("tax_lines") or ()),
            shipping_lines=tuple(WooShippingLine.from_json(i) for i in data.get("shipping_lines") or ()),
            fee_lines=tuple(WooFeeLine.from_json(i) for i in data.get("fee_lines") or ()),
            coupon_lines=tuple(WooCouponLine.from_json(i) for i in data.get("coupon_lines") or ()),
            refunds=tuple(
                WooRefundSummary(id=_int(r.get("id")), reason=_str(r.get("reason")), total=money(r.get("total")))
                for r in data.get("refunds") or ()
            ),
            meta_data=_meta(data.get("meta_data")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooCustomer:
    id: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str = ""
    username: str = ""
    billing: WooAddress | None = None
    shipping: WooAddress | None = None
    is_paying_customer: bool = False
    date_created: dt.datetime | None = None
    date_modified: dt.datetime | None = None
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict) -> WooCustomer:
        return cls(
            id=_int(data.get("id")),
            email=_str(data.get("email")),
            first_name=_str(data.get("first_name")),
            last_name=_str(data.get("last_name")),
            role=_str(data.get("role")),
            username=_str(data.get("username")),
            billing=WooAddress.from_json(data.get("billing")),
            shipping=WooAddress.from_json(data.get("shipping")),
            is_paying_customer=bool(data.get("is_paying_customer")),
            date_created=gmt(data.get("date_created_gmt")),
            date_modified=gmt(data.get("date_modified_gmt")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooAttribute:
    name: str
    option: str = ""  # a variation's chosen value
    options: tuple[str, ...] = ()  # a product's values
    variation: bool = False


def _attributes(items: Any) -> tuple[WooAttribute, ...]:
    # A product's attributes list ``options``; a variation's name the chosen ``option``.
    return tuple(
        WooAttribute(
            name=_str(a.get("name")),
            option=_str(a.get("option")) if "option" in a else "",
            options=tuple(_str(o) for o in a.get("options") or ()) if "options" in a else (),
            variation=bool(a.get("variation")) if "variation" in a else False,
        )
        for a in items or ()
        if isinstance(a, dict)
    )


@dataclass(frozen=True, kw_only=True)
class WooStock:
    """The stock fields products and variations share."""

    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = ""
    backorders: str = ""


@dataclass(frozen=True, kw_only=True)
class WooVariation(WooStock):
    id: int
    product_id: int = 0
    sku: str = ""
    price: Decimal = ZERO
    regular_price: Decimal = ZERO
    sale_price: Decimal = ZERO
    status: str = ""
    tax_status: str = ""
    tax_class: str = ""
    weight: str = ""
    attributes: tuple[WooAttribute, ...] = ()
    date_modified: dt.datetime | None = None
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict, *, product_id: int = 0) -> WooVariation:
        quantity = data.get("stock_quantity")
        return cls(
            id=_int(data.get("id")),
            product_id=product_id or _int(data.get("parent_id")),
            sku=_str(data.get("sku")),
            price=money(data.get("price")),
            regular_price=money(data.get("regular_price")),
            sale_price=money(data.get("sale_price")),
            status=_str(data.get("status")),
            tax_status=_str(data.get("tax_status")),
            tax_class=_str(data.get("tax_class")),
            weight=_str(data.get("weight")),
            manage_stock=data.get("manage_stock") is True,  # "parent" when the product manages it
            stock_quantity=None if quantity is None else int(quantity),
            stock_status=_str(data.get("stock_status")),
            backorders=_str(data.get("backorders")),
            attributes=_attributes(data.get("attributes")),
            date_modified=gmt(data.get("date_modified_gmt")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooProduct(WooStock):
    id: int
    name: str = ""
    slug: str = ""
    type: str = ""
    status: str = ""
    sku: str = ""
    price: Decimal = ZERO
    regular_price: Decimal = ZERO
    sale_price: Decimal = ZERO
    tax_status: str = ""
    tax_class: str = ""
    weight: str = ""
    attributes: tuple[WooAttribute, ...] = ()
    variation_ids: tuple[int, ...] = ()
    date_modified: dt.datetime | None = None
    raw: dict[str, Any] = _raw()

    @property
    def is_variable(self) -> bool:
        return self.type == "variable"

    @classmethod
    def from_json(cls, data: dict) -> WooProduct:
        quantity = data.get("stock_quantity")
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            slug=_str(data.get("slug")),
            type=_str(data.get("type")),
            status=_str(data.get("status")),
            sku=_str(data.get("sku")),
            price=money(data.get("price")),
            regular_price=money(data.get("regular_price")),
            sale_price=money(data.get("sale_price")),
            tax_status=_str(data.get("tax_status")),
            tax_class=_str(data.get("tax_class")),
            weight=_str(data.get("weight")),
            manage_stock=bool(data.get("manage_stock")),
            stock_quantity=None if quantity is None else int(quantity),
            stock_status=_str(data.get("stock_status")),
            backorders=_str(data.get("backorders")),
            attributes=_attributes(data.get("attributes")),
            variation_ids=tuple(_int(v) for v in data.get("variations") or ()),
            date_modified=gmt(data.get("date_modified_gmt")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooPage:
    """One page of a collection and the paging headers that came with it."""

    items: list[dict[str, Any]]
    page: int
    total: int | None
    total_pages: int | None


@dataclass(frozen=True, kw_only=True)
class StockResult:
    """The outcome of one stock update in a batch: the new quantity, or WooCommerce's error."""

    id: int
    product_id: int  # the parent product for a variation, else the product itself
    stock_quantity: int | None = None
    error_code: str = ""
    error_message: str = ""

    @property
    def ok(self) -> bool:
        return not self.error_code


@dataclass(frozen=True, kw_only=True)
class WooWebhook:
    """A webhook saved in the store (``/webhooks``): its topic, where it delivers and its status.

    The secret is write-only for the product: WooCommerce signs with it, it is never read back.
    """

    id: int
    name: str = ""
    status: str = ""
    topic: str = ""
    delivery_url: str = ""
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict) -> WooWebhook:
        return cls(
            id=_int(data.get("id")),
            name=_str(data.get("name")),
            status=_str(data.get("status")),
            topic=_str(data.get("topic")),
            delivery_url=_str(data.get("delivery_url")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class WooOrderNote:
    """An order note (``/orders/{order_id}/notes``): private to the shop staff unless ``customer_note``."""

    id: int
    order_id: int
    note: str = ""
    customer_note: bool = False
    author: str = ""
    date_created: dt.datetime | None = None
    raw: dict[str, Any] = _raw()

    @classmethod
    def from_json(cls, data: dict, *, order_id: int) -> WooOrderNote:
        return cls(
            id=_int(data.get("id")),
            order_id=order_id,
            note=_str(data.get("note")),
            customer_note=data.get("customer_note") is True,
            author=_str(data.get("author")),
            date_created=gmt(data.get("date_created_gmt")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class VariationResult:
    """The outcome of one variation in a batch write: the variation, or WooCommerce's error."""

    sku: str
    variation: WooVariation | None = None
    error_code: str = ""
    error_message: str = ""

    @property
    def ok(self) -> bool:
        return self.variation is not None and not self.error_code
