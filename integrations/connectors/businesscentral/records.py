"""Records read from Business Central (API v2.0, the environments list and ODataV4 pages).

Field names are BC's, in snake_case (see jsonmap). Every field has a default so a ``$select``
that leaves fields out still parses; ``raw`` keeps the whole JSON object, including fields this
module does not name. Money is ``Decimal``; dates are ``date``; timestamps are aware ``datetime``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

ZERO = Decimal("0")
EMPTY_GUID = "00000000-0000-0000-0000-000000000000"


def _etag() -> Any:
    return field(default="", metadata={"json": "@odata.etag"})


def _enum(name: str) -> Any:
    """A BC enum field: the member name here, the ``_xHHHH_`` wire form in JSON (codec.py)."""
    return field(default="", metadata={"enum": name})


def _order_only() -> Any:
    """A sales line field that only salesOrderLines has (invoice and credit memo lines leave it 0)."""
    return field(default=ZERO, metadata={"only": "salesOrderLines"})


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, kw_only=True)
class Record:
    id: str = ""
    etag: str = _etag()
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class Company(Record):
    name: str = ""
    display_name: str = ""
    system_version: str = ""
    business_profile_id: str = ""
    system_created_at: datetime | None = None
    system_modified_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CompanyInformation(Record):
    display_name: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    postal_code: str = ""
    phone_number: str = ""
    email: str = ""
    website: str = ""
    tax_registration_number: str = ""
    currency_code: str = ""
    current_fiscal_year_start_date: date | None = None
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class GeneralLedgerSetup(Record):
    allow_posting_from: date | None = None
    allow_posting_to: date | None = None
    local_currency_code: str = ""
    local_currency_symbol: str = ""
    additional_reporting_currency: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Customer(Record):
    number: str = ""
    display_name: str = ""
    type: str = _enum("Contact Type")
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    postal_code: str = ""
    phone_number: str = ""
    email: str = ""
    website: str = ""
    salesperson_code: str = ""
    balance_due: Decimal = ZERO
    credit_limit: Decimal = ZERO
    tax_liable: bool = False
    tax_area_id: str = ""
    tax_area_display_name: str = ""
    tax_registration_number: str = ""
    currency_id: str = ""
    currency_code: str = ""
    payment_terms_id: str = ""
    shipment_method_id: str = ""
    payment_method_id: str = ""
    blocked: str = _enum("Customer Blocked")  # " " = not blocked
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ItemVariant(Record):
    item_id: str = ""
    item_number: str = ""
    code: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Item(Record):
    number: str = ""
    display_name: str = ""
    display_name2: str = ""
    type: str = _enum("Item Type")
    item_category_id: str = ""
    item_category_code: str = ""
    blocked: bool = False
    gtin: str = ""
    inventory: Decimal = ZERO
    unit_price: Decimal = ZERO
    price_includes_tax: bool = False
    unit_cost: Decimal = ZERO
    tax_group_id: str = ""
    tax_group_code: str = ""
    base_unit_of_measure_id: str = ""
    base_unit_of_measure_code: str = ""
    general_product_posting_group_code: str = ""
    inventory_posting_group_code: str = ""
    last_modified_date_time: datetime | None = None
    item_variants: list[ItemVariant] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SalesLine(Record):
    """A line of a sales invoice, order or credit memo (same shape; order lines add quantities)."""

    document_id: str = ""
    sequence: int = 0
    item_id: str = ""
    account_id: str = ""
    line_type: str = _enum("Invoice Line Agg. Line Type")
    line_object_number: str = ""
    description: str = ""
    description2: str = ""
    unit_of_measure_code: str = ""
    quantity: Decimal = ZERO
    unit_price: Decimal = ZERO
    discount_amount: Decimal = ZERO
    discount_percent: Decimal = ZERO
    amount_excluding_tax: Decimal = ZERO
    tax_code: str = ""
    tax_percent: Decimal = ZERO
    total_tax_amount: Decimal = ZERO
    amount_including_tax: Decimal = ZERO
    net_amount: Decimal = ZERO
    net_amount_including_tax: Decimal = ZERO
    item_variant_id: str = ""
    location_id: str = ""
    shipment_date: date | None = None
    # Sales order lines only.
    shipped_quantity: Decimal = _order_only()
    invoiced_quantity: Decimal = _order_only()
    ship_quantity: Decimal = _order_only()
    invoice_quantity: Decimal = _order_only()


@dataclass(frozen=True, kw_only=True)
class SalesDocument(Record):
    number: str = ""
    external_document_number: str = ""
    posting_date: date | None = None
    customer_id: str = ""
    customer_number: str = ""
    customer_name: str = ""
    currency_id: str = ""
    currency_code: str = ""
    payment_terms_id: str = ""
    shipment_method_id: str = ""
    prices_include_tax: bool = False
    discount_amount: Decimal = ZERO
    total_amount_excluding_tax: Decimal = ZERO
    total_tax_amount: Decimal = ZERO
    total_amount_including_tax: Decimal = ZERO
    status: str = _enum("status")  # each document has its own status enum
    email: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class SalesInvoice(SalesDocument):
    invoice_date: date | None = None
    due_date: date | None = None
    order_id: str = ""
    order_number: str = ""
    remaining_amount: Decimal = ZERO
    lines: list[SalesLine] = field(default_factory=list, metadata={"json": "salesInvoiceLines"})


@dataclass(frozen=True, kw_only=True)
class SalesOrder(SalesDocument):
    order_date: date | None = None
    requested_delivery_date: date | None = None
    partial_shipping: bool = False
    fully_shipped: bool = False
    lines: list[SalesLine] = field(default_factory=list, metadata={"json": "salesOrderLines"})


@dataclass(frozen=True, kw_only=True)
class SalesCreditMemo(SalesDocument):
    credit_memo_date: date | None = None
    due_date: date | None = None
    invoice_id: str = ""
    invoice_number: str = ""
    lines: list[SalesLine] = field(default_factory=list, metadata={"json": "salesCreditMemoLines"})


@dataclass(frozen=True, kw_only=True)
class CustomerPaymentJournal(Record):
    code: str = ""
    display_name: str = ""
    balancing_account_id: str = ""
    balancing_account_number: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CustomerPayment(Record):
    journal_id: str = ""
    journal_display_name: str = ""
    line_number: int = 0
    customer_id: str = ""
    customer_number: str = ""
    posting_date: date | None = None
    document_number: str = ""
    external_document_number: str = ""
    amount: Decimal = ZERO
    applies_to_invoice_id: str = ""
    applies_to_invoice_number: str = ""
    description: str = ""
    comment: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Journal(Record):
    code: str = ""
    display_name: str = ""
    template_display_name: str = ""
    balancing_account_id: str = ""
    balancing_account_number: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class JournalLine(Record):
    journal_id: str = ""
    journal_display_name: str = ""
    line_number: int = 0
    account_type: str = _enum("Gen. Journal Account Type")
    account_id: str = ""
    account_number: str = ""
    posting_date: date | None = None
    document_number: str = ""
    external_document_number: str = ""
    amount: Decimal = ZERO
    description: str = ""
    comment: str = ""
    tax_code: str = ""
    balance_account_type: str = _enum("Gen. Journal Account Type")
    balancing_account_id: str = ""
    balancing_account_number: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Currency(Record):
    code: str = ""
    display_name: str = ""
    symbol: str = ""
    amount_decimal_places: str = ""
    amount_rounding_precision: Decimal = ZERO
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CurrencyExchangeRate(Record):
    currency_code: str = ""
    starting_date: date | None = None
    exchange_rate_amount: Decimal = ZERO
    relational_currency_code: str = ""
    relational_exchange_rate_amount: Decimal = ZERO


@dataclass(frozen=True, kw_only=True)
class CodeRecord(Record):
    """The lookup tables that are a code and a name (payment methods, shipment methods...)."""

    code: str = ""
    display_name: str = ""
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentMethod(CodeRecord):
    pass


@dataclass(frozen=True, kw_only=True)
class ShipmentMethod(CodeRecord):
    pass


@dataclass(frozen=True, kw_only=True)
class Location(CodeRecord):
    """A BC location (API v2.0 ``locations``): a warehouse or store whose stock can go to a shop location."""


@dataclass(frozen=True, kw_only=True)
class PaymentTerm(CodeRecord):
    due_date_calculation: str = ""
    discount_date_calculation: str = ""
    discount_percent: Decimal = ZERO
    calculate_discount_on_credit_memos: bool = False


@dataclass(frozen=True, kw_only=True)
class TaxArea(CodeRecord):
    """In VAT countries: a VAT Business Posting Group."""

    tax_type: str = _enum("Tax Buffer Type")


@dataclass(frozen=True, kw_only=True)
class TaxGroup(CodeRecord):
    """In VAT countries: a VAT Product Posting Group."""

    tax_type: str = _enum("Tax Buffer Type")


@dataclass(frozen=True, kw_only=True)
class CountryRegion(CodeRecord):
    address_format: str = _enum("Country/Region Address Format")


@dataclass(frozen=True, kw_only=True)
class Dimension(CodeRecord):
    pass


@dataclass(frozen=True, kw_only=True)
class DimensionValue(CodeRecord):
    dimension_id: str = ""


@dataclass(frozen=True, kw_only=True)
class DimensionSetLine(Record):
    """One dimension of a document (its ``id`` is the dimension's id, BC's key of the part)."""

    code: str = ""
    parent_id: str = ""
    value_id: str = ""
    value_code: str = ""


@dataclass(frozen=True, kw_only=True)
class SalespersonPurchaser(Record):
    code: str = ""
    display_name: str = ""
    blocked: bool = False


@dataclass(frozen=True, kw_only=True)
class SalesShipment(Record):
    """A posted sales shipment (read-only in the API): what the warehouse shipped of a sales order."""

    number: str = ""
    external_document_number: str = ""
    order_number: str = ""
    customer_number: str = ""
    posting_date: date | None = None
    shipment_method_code: str = ""
    last_modified_date_time: datetime | None = None
    sales_shipment_lines: list[SalesShipmentLine] = field(default_factory=list)  # with $expand


@dataclass(frozen=True, kw_only=True)
class SalesShipmentLine(Record):
    document_id: str = ""
    sequence: int = 0
    line_type: str = _enum("Sales Line Type")
    line_object_number: str = ""
    description: str = ""
    quantity: Decimal = ZERO


@dataclass(frozen=True, kw_only=True)
class GeneralLedgerEntry(Record):
    entry_number: int = 0
    posting_date: date | None = None
    document_number: str = ""
    document_type: str = _enum("Gen. Journal Document Type")
    account_id: str = ""
    account_number: str = ""
    description: str = ""
    debit_amount: Decimal = ZERO
    credit_amount: Decimal = ZERO
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class BankAccount(Record):
    number: str = ""
    display_name: str = ""
    bank_account_number: str = ""
    iban: str = ""
    currency_code: str = ""
    blocked: bool = False
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Account(Record):
    number: str = ""
    display_name: str = ""
    category: str = _enum("G/L Account Category")
    sub_category: str = ""
    account_type: str = _enum("G/L Account Type")
    blocked: bool = False
    direct_posting: bool = False
    net_change: Decimal = ZERO
    last_modified_date_time: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Environment:
    """An environment the user can reach (``GET {api root}/environments/v1.2``)."""

    name: str = ""
    type: str = ""  # "Production" | "Sandbox"
    country_code: str = ""
    application_family: str = ""
    aad_tenant_id: str = ""
    web_service_url: str = ""
    web_client_login_url: str = ""
    ring_name: str = ""
    raw: dict[str, Any] = _raw()

    @property
    def is_production(self) -> bool:
        return self.type == "Production"


# --- ODataV4 pages (UI pages published as web services; names are the page's control names) ---


@dataclass(frozen=True, kw_only=True)
class VatPostingSetupRow:
    vat_bus_posting_group: str = field(default="", metadata={"json": "VAT_Bus_Posting_Group"})
    vat_prod_posting_group: str = field(default="", metadata={"json": "VAT_Prod_Posting_Group"})
    vat_percent: Decimal = field(default=ZERO, metadata={"json": "VAT_Percent"})
    vat_calculation_type: str = field(default="", metadata={"json": "VAT_Calculation_Type"})
    blocked: bool = field(default=False, metadata={"json": "Blocked"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class JournalTemplateRow:
    """Page 101 General Journal Templates (ODataV4)."""

    name: str = field(default="", metadata={"json": "Name"})
    description: str = field(default="", metadata={"json": "Description"})
    type: str = field(default="", metadata={"json": "Type"})  # "General", "Cash Receipts", "Payments", ...
    recurring: bool = field(default=False, metadata={"json": "Recurring"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class PostedShipmentRow:
    """A row of page 130 Posted Sales Shipment (published as PostedSalesShipment): the package
    tracking number and shipping agent that API v2.0's salesShipments leaves out."""

    number: str = field(default="", metadata={"json": "No"})
    shipping_agent_code: str = field(default="", metadata={"json": "Shipping_Agent_Code"})
    package_tracking_no: str = field(default="", metadata={"json": "Package_Tracking_No"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class JournalBatchRow:
    """Page 251 General Journal Batches (ODataV4), read with no template filter: every batch."""

    template: str = field(default="", metadata={"json": "Journal_Template_Name"})
    name: str = field(default="", metadata={"json": "Name"})
    description: str = field(default="", metadata={"json": "Description"})
    balancing_account_type: str = field(default="", metadata={"json": "Bal_Account_Type"})
    balancing_account_number: str = field(default="", metadata={"json": "Bal_Account_No"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class DimensionValueRow:
    """A row of page 537 Dimension Values (published as DimensionValues): API v2.0 leaves out Blocked."""

    dimension_code: str = field(default="", metadata={"json": "Dimension_Code"})
    code: str = field(default="", metadata={"json": "Code"})
    name: str = field(default="", metadata={"json": "Name"})
    blocked: bool = field(default=False, metadata={"json": "Blocked"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class NoSeries:
    code: str = field(default="", metadata={"json": "Code"})
    description: str = field(default="", metadata={"json": "Description"})
    default_nos: bool = field(default=False, metadata={"json": "Default_Nos"})
    manual_nos: bool = field(default=False, metadata={"json": "Manual_Nos"})
    date_order: bool = field(default=False, metadata={"json": "Date_Order"})
    # The page shows the series' current line; NoSeriesLine has every line.
    start_no: str = field(default="", metadata={"json": "StartNo"})
    end_no: str = field(default="", metadata={"json": "EndNo"})
    last_no_used: str = field(default="", metadata={"json": "LastNoUsed"})
    last_date_used: date | None = field(default=None, metadata={"json": "LastDateUsed"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class NoSeriesLine:
    series_code: str = field(default="", metadata={"json": "Series_Code"})
    line_no: int = field(default=0, metadata={"json": "Line_No"})
    starting_date: date | None = field(default=None, metadata={"json": "Starting_Date"})
    starting_no: str = field(default="", metadata={"json": "Starting_No"})
    ending_no: str = field(default="", metadata={"json": "Ending_No"})
    warning_no: str = field(default="", metadata={"json": "Warning_No"})
    last_no_used: str = field(default="", metadata={"json": "Last_No_Used"})
    last_date_used: date | None = field(default=None, metadata={"json": "Last_Date_Used"})
    increment_by_no: int = field(default=1, metadata={"json": "Increment_by_No"})
    open: bool = field(default=True, metadata={"json": "Open"})
    raw: dict[str, Any] = _raw()


@dataclass(frozen=True, kw_only=True)
class ItemLedgerEntryRow:
    """Page 38 "Item Ledger Entries": an open entry's remaining quantity is stock at its location."""

    item_number: str = field(default="", metadata={"json": "Item_No"})
    location_code: str = field(default="", metadata={"json": "Location_Code"})
    variant_code: str = field(default="", metadata={"json": "Variant_Code"})
    remaining_quantity: Decimal = field(default=ZERO, metadata={"json": "Remaining_Quantity"})
    raw: dict[str, Any] = _raw()
