"""What the product writes to Business Central, as dataclasses.

``None`` means "not sent" (BC keeps or defaults the field). ``extra`` carries any further BC
field by its JSON name, for the fields this module does not name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from integrations.connectors.businesscentral.codec import enum_encode


@dataclass(kw_only=True)
class Payload:
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class NewSalesLine(Payload):
    line_type: str | None = field(default=None, metadata={"enum": "Invoice Line Agg. Line Type"})  # "Item" ...
    line_object_number: str | None = None  # item no. or G/L account no.
    item_id: str | None = None
    account_id: str | None = None
    item_variant_id: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    discount_amount: Decimal | None = None
    discount_percent: Decimal | None = None
    tax_code: str | None = None
    unit_of_measure_code: str | None = None
    location_id: str | None = None
    shipment_date: date | None = None


@dataclass(kw_only=True)
class NewSalesDocument(Payload):
    """Header fields shared by invoices, orders and credit memos; lines go in by deep insert."""

    LINES_KEY: ClassVar[str] = ""

    external_document_number: str | None = None
    customer_id: str | None = None
    customer_number: str | None = None
    posting_date: date | None = None
    currency_code: str | None = None
    payment_terms_id: str | None = None
    shipment_method_id: str | None = None
    sell_to_address_line1: str | None = None
    sell_to_address_line2: str | None = None
    sell_to_city: str | None = None
    sell_to_state: str | None = None
    sell_to_country: str | None = None
    sell_to_post_code: str | None = None
    phone_number: str | None = None
    email: str | None = None
    discount_amount: Decimal | None = None
    lines: list[NewSalesLine] = field(default_factory=list)


@dataclass(kw_only=True)
class _ShipTo(NewSalesDocument):
    """Ship-to fields: invoices and orders have them, credit memos do not."""

    ship_to_name: str | None = None
    ship_to_contact: str | None = None
    ship_to_address_line1: str | None = None
    ship_to_address_line2: str | None = None
    ship_to_city: str | None = None
    ship_to_state: str | None = None
    ship_to_country: str | None = None
    ship_to_post_code: str | None = None


@dataclass(kw_only=True)
class NewSalesInvoice(_ShipTo):
    LINES_KEY: ClassVar[str] = "salesInvoiceLines"

    customer_purchase_order_reference: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None


@dataclass(kw_only=True)
class NewSalesOrder(_ShipTo):
    LINES_KEY: ClassVar[str] = "salesOrderLines"

    order_date: date | None = None
    prices_include_tax: bool | None = None
    partial_shipping: bool | None = None
    requested_delivery_date: date | None = None


@dataclass(kw_only=True)
class NewSalesCreditMemo(NewSalesDocument):
    LINES_KEY: ClassVar[str] = "salesCreditMemoLines"

    credit_memo_date: date | None = None
    due_date: date | None = None
    invoice_id: str | None = None
    invoice_number: str | None = None


@dataclass(kw_only=True)
class NewCustomerPayment(Payload):
    customer_id: str | None = None
    customer_number: str | None = None
    posting_date: date | None = None
    document_number: str | None = None
    external_document_number: str | None = None
    amount: Decimal | None = None
    applies_to_invoice_id: str | None = None
    applies_to_invoice_number: str | None = None
    description: str | None = None
    comment: str | None = None


@dataclass(kw_only=True, frozen=True)
class NewGeneralJournalPageLine:
    """A line for the General Journal page (39) published as an ODataV4 web service: the one documented
    way to give a general journal line a Currency Code (API v2.0's journalLines has none). Sent with the
    page's field names (``page_json``)."""

    journal_template_name: str
    journal_batch_name: str
    account_type: str  # enum member name, e.g. "G/L Account"
    account_number: str
    posting_date: date | None
    external_document_number: str
    amount: Decimal
    description: str
    currency_code: str
    balance_account_type: str
    balancing_account_number: str

    def page_json(self) -> dict:
        return {
            "Journal_Template_Name": self.journal_template_name,
            "Journal_Batch_Name": self.journal_batch_name,
            "Account_Type": enum_encode(self.account_type),
            "Account_No": self.account_number,
            "Posting_Date": self.posting_date.isoformat() if self.posting_date else None,
            "External_Document_No": self.external_document_number,
            "Amount": float(self.amount),
            "Description": self.description,
            "Currency_Code": self.currency_code,
            "Bal_Account_Type": enum_encode(self.balance_account_type),
            "Bal_Account_No": self.balancing_account_number,
        }


@dataclass(kw_only=True)
class NewJournalLine(Payload):
    account_type: str | None = field(default=None, metadata={"enum": "Gen. Journal Account Type"})
    account_id: str | None = None
    account_number: str | None = None
    posting_date: date | None = None
    document_number: str | None = None
    external_document_number: str | None = None
    amount: Decimal | None = None
    description: str | None = None
    comment: str | None = None
    balance_account_type: str | None = field(default=None, metadata={"enum": "Gen. Journal Account Type"})
    balancing_account_id: str | None = None
    balancing_account_number: str | None = None
