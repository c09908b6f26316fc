"""What the mapping produces: BC document drafts (ready to send) or problems (error codes).

Payloads carry enum member names and whole texts; the writer passes them through the BC
connector's ``payload_fit`` (writes.py), which encodes enums, cuts text where BC would refuse and
refuses identifiers that do not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from integrations.connectors.businesscentral.codec import CUSTOMER_TYPE_PERSON

ZERO = Decimal("0")


class DocumentKind(StrEnum):
    INVOICE = "salesInvoices"
    ORDER = "salesOrders"
    CREDIT_MEMO = "salesCreditMemos"

    @property
    def lines_property(self) -> str:
        return {
            DocumentKind.INVOICE: "salesInvoiceLines",
            DocumentKind.ORDER: "salesOrderLines",
            DocumentKind.CREDIT_MEMO: "salesCreditMemoLines",
        }[self]

    @property
    def date_field(self) -> str:
        return {
            DocumentKind.INVOICE: "invoiceDate",
            DocumentKind.ORDER: "orderDate",
            DocumentKind.CREDIT_MEMO: "creditMemoDate",
        }[self]


@dataclass(frozen=True)
class Problem:
    """A reason the order cannot become a document; ``code`` is an error-catalogue code."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class MappingError(Exception):
    """Raised by the mapping with every problem found (not just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.code} {p.params}" for p in problems))


@dataclass(frozen=True)
class DocumentLine:
    line_type: str  # "Item" or "Account"
    number: str  # item no. or G/L account no.
    description: str
    quantity: Decimal
    unit_price: Decimal  # excluding VAT: BC adds VAT from its posting setup
    discount_amount: Decimal = ZERO
    tax_code: str = ""  # VAT product posting group; empty = BC's default for the item/account
    source: str = ""  # "item", "fallback", "shipping", "gift_card" (for previews and refunds)
    sku: str = ""
    item_variant_id: str = ""  # BC item variant (a variant SKU "<item>-<variant code>")
    location_id: str = ""  # BC location (the integration's location code, resolved by the flow)

    @property
    def net_amount(self) -> Decimal:
        return (self.quantity * self.unit_price - self.discount_amount).quantize(Decimal("0.01"))

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "lineType": self.line_type,
            "lineObjectNumber": self.number,
            "description": self.description,
            "quantity": float(self.quantity),
            "unitPrice": float(self.unit_price),
        }
        if self.discount_amount:
            payload["discountAmount"] = float(self.discount_amount)
        if self.tax_code:
            payload["taxCode"] = self.tax_code
        if self.item_variant_id:
            payload["itemVariantId"] = self.item_variant_id
        if self.location_id:
            payload["locationId"] = self.location_id
        return payload


@dataclass(frozen=True)
class CustomerDraft:
    """A BC customer to create (match-by-email strategy, nobody matched)."""

    display_name: str
    email: str
    phone: str
    country: str
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    postal_code: str = ""
    vat_business_group: str = ""  # resolved to taxAreaId by the flow
    currency_code: str = ""
    payment_terms_code: str = ""
    payment_method_code: str = ""
    number: str = ""  # manual numbering only

    def to_payload(self, *, ids: dict[str, str] | None = None) -> dict[str, Any]:
        """``ids`` holds resolved BC ids: taxAreaId, paymentTermsId, paymentMethodId."""
        payload: dict[str, Any] = {
            "displayName": self.display_name,
            "type": CUSTOMER_TYPE_PERSON,
            "email": self.email,
            "phoneNumber": self.phone,
            "addressLine1": self.address_line1,
            "addressLine2": self.address_line2,
            "city": self.city,
            "postalCode": self.postal_code,
            "country": self.country,
        }
        if self.number:
            payload["number"] = self.number
        if self.currency_code:
            payload["currencyCode"] = self.currency_code
        payload.update({key: value for key, value in (ids or {}).items() if value})
        return {key: value for key, value in payload.items() if value not in ("", None)}


@dataclass(frozen=True)
class CustomerPlan:
    """How the order's BC customer is found: a fixed number, or match-then-create."""

    number: str = ""  # collective customer: known up front
    email: str = ""
    phone: str = ""
    source_id: str = ""  # RecordLink source id for the matched/created customer
    draft: CustomerDraft | None = None

    @property
    def is_fixed(self) -> bool:
        return bool(self.number)


@dataclass(frozen=True)
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    name: str = ""


@dataclass(frozen=True)
class DocumentDraft:
    kind: DocumentKind
    external_document_number: str
    document_date: dt.date
    currency_code: str  # "" = BC's local currency
    lines: tuple[DocumentLine, ...]
    expected_total: Decimal  # the shop's total incl. VAT in the chosen currency
    currency_mode: str
    customer_number: str = ""  # filled once the customer is resolved
    email: str = ""
    phone: str = ""
    ship_to: Address | None = None
    shipment_method_code: str = ""
    shipment_method_id: str = ""  # the code resolved to BC's shipmentMethods id by the flow
    applies_to_invoice_id: str = ""  # credit memos
    post: bool = True  # invoice/credit memo: post after creating
    ship_and_invoice: bool = False  # sales order: fulfilled -> shipAndInvoice
    salesperson_code: str = ""
    # Header dimensions (code, value code), written as dimensionSetLines before the document is posted.
    dimensions: tuple[tuple[str, str], ...] = ()

    @property
    def expected_net(self) -> Decimal:
        return sum((line.net_amount for line in self.lines), ZERO)

    def to_payload(self) -> dict[str, Any]:
        """The deep-insert body (header + lines in one POST)."""
        payload: dict[str, Any] = {
            "externalDocumentNumber": self.external_document_number,
            self.kind.date_field: self.document_date.isoformat(),
            "customerNumber": self.customer_number,
            self.kind.lines_property: [line.to_payload() for line in self.lines],
        }
        if self.email and self.kind != DocumentKind.CREDIT_MEMO:
            payload["email"] = self.email
        if self.applies_to_invoice_id:
            payload["invoiceId"] = self.applies_to_invoice_id
        if self.salesperson_code:
            payload["salesperson"] = self.salesperson_code
        if self.shipment_method_id and self.kind != DocumentKind.CREDIT_MEMO:
            payload["shipmentMethodId"] = self.shipment_method_id
        if self.ship_to and self.kind != DocumentKind.CREDIT_MEMO:
            payload.update(
                {
                    "shipToName": self.ship_to.name,
                    "shipToAddressLine1": self.ship_to.line1,
                    "shipToAddressLine2": self.ship_to.line2,
                    "shipToCity": self.ship_to.city,
                    "shipToPostCode": self.ship_to.postal_code,
                    "shipToCountry": self.ship_to.country,
                }
            )
        payload = {key: value for key, value in payload.items() if value not in ("", None)}
        # Always sent, blank for LCY: left out, BC takes the customer's currency, and an SEK
        # order for a collective customer kept in EUR would be booked as euros.
        payload["currencyCode"] = self.currency_code
        return payload
