"""Typed inputs and outputs of the preflight checks (pure data: checks are functions over these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from syncs.errors import ClassifiedError, get_error


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class CheckResult:
    """One named check's verdict: the message names the exact objects; ``error_code`` is the remedy."""

    name: str
    status: Status
    message: str
    objects: list = field(default_factory=list)
    error_code: str = ""

    @classmethod
    def ok(cls, name: str, message: str, objects: list | None = None) -> CheckResult:
        return cls(name, Status.PASS, message, objects or [])

    @classmethod
    def problem(cls, name: str, status: Status, code: str, objects: list, /, **params) -> CheckResult:
        """A warning or failure whose message is the catalogue entry rendered with ``params``."""
        return cls(name, status, get_error(code).render(**params), objects, code)


@dataclass(frozen=True)
class PermissionProbe:
    entity: str
    can_read: bool
    can_write: bool
    message: str = ""


@dataclass(frozen=True)
class SeriesLine:
    starting_no: str
    ending_no: str
    last_no_used: str
    warning_no: str = ""
    increment_by: int = 1
    open: bool = True
    starting_date: dt.date | None = None


@dataclass(frozen=True)
class Series:
    code: str
    manual_nos: bool
    lines: tuple[SeriesLine, ...] = ()


@dataclass(frozen=True)
class JournalBatch:
    code: str
    template: str
    balancing_account: str
    id: str = ""


@dataclass(frozen=True)
class JournalTemplate:
    name: str
    type: str  # "General", "Cash Receipts", ...
    recurring: bool = False


@dataclass(frozen=True)
class GLAccount:
    number: str
    account_type: str  # "Posting", "Heading", "Total", ...
    blocked: bool = False


@dataclass(frozen=True)
class BankAccount:
    number: str
    currency: str  # "" = the local currency
    blocked: bool = False


@dataclass(frozen=True)
class PayoutConfig:
    """One payout configuration as the checks see it (integrations.models.PayoutAccountMapping)."""

    label: str  # "Klarna SE SEK": how the merchant names it
    provider: str
    market: str
    currency: str
    journal_template: str
    journal_batch: str
    general_batch: str
    clearing_account: str
    fee_account: str
    bank_account: str = ""
    disputes_account: str = ""


@dataclass(frozen=True)
class ProbePlan:
    """The writes the enabled flows make, tried by the rolled-back permission probe."""

    customers: bool = True
    items: bool = True
    sales_invoices: bool = True
    sales_orders: bool = True
    credit_memos: bool = False
    payment_batches: tuple[str, ...] = ()  # customer payment journal batches lines are written to
    general_batches: tuple[str, ...] = ()  # general journal batches lines are written to


@dataclass
class BCSnapshot:
    """What one collector read from BC. ``None`` = could not be read (see ``errors``)."""

    environment_name: str = ""
    environment_type: str = ""
    environment_status: str | None = None  # None: not in the environments the user can reach
    on_premises: bool = False  # a server instance: no environments, no admin center
    company_name: str = ""
    company_reachable: bool = False
    permissions: list[PermissionProbe] = field(default_factory=list)
    local_currency: str | None = None
    currencies: set[str] | None = None
    latest_rates: dict[str, dt.date] = field(default_factory=dict)
    vat_setup: dict[tuple[str, str], bool] | None = None  # (bus, prod) -> blocked
    number_series: dict[str, Series] | None = None
    # purpose ("customers", "postedSalesInvoices", ...) -> record numbers seen in BC
    numbers_by_purpose: dict[str, list[str]] = field(default_factory=dict)
    journal_batches: list[JournalBatch] | None = None  # customerPaymentJournals (template "") and journals
    # Pages 101 and 251 (None: not published or not readable): every template, every batch of every template.
    journal_templates: dict[str, JournalTemplate] | None = None
    all_batches: list[JournalBatch] | None = None
    gl_accounts: dict[str, GLAccount] | None = None
    bank_accounts: dict[str, BankAccount] | None = None
    # customer number -> VAT business posting group (the API's taxAreaId, resolved to its code)
    customer_vat_groups: dict[str, str] = field(default_factory=dict)
    item_vat_groups: dict[str, str] = field(default_factory=dict)  # item number -> VAT prod. group
    customers: dict[str, str] | None = None  # customer number -> Blocked ("" when not blocked)
    unpublished_pages: set[str] = field(default_factory=set)
    # Read only when the settings name them (dimensions, salesperson, location). None = not read.
    dimension_values: dict[str, set[str]] | None = None  # dimension code -> value codes (API v2.0)
    blocked_dimension_values: set[tuple[str, str]] | None = None  # (dimension, value), page 537
    salespeople: dict[str, bool] | None = None  # salesperson code -> blocked
    locations: set[str] | None = None
    location_codes: set[str] | None = None  # BC's locations (read only when stock goes per location)
    # section -> what went wrong reading it (connection errors make the dependent checks fail, not crash)
    errors: dict[str, ClassifiedError] = field(default_factory=dict)


@dataclass
class IntegrationFacts:
    """What the product knows on its side: settings, mappings and the last 90 days of orders."""

    base_currency: str
    environment_type: str = ""
    sandbox_test_passed_at: dt.datetime | None = None
    customer_manual_numbering: bool = False
    payment_journal_template: str = ""
    payment_journal_batch: str = ""
    payouts_enabled: bool = False
    country_vat_groups: dict[str, str] = field(default_factory=dict)  # country -> VAT bus. group
    collective_strategy: bool = False  # one collective customer per country
    collective_customers: dict[str, str] = field(default_factory=dict)  # country -> customer number ("" = none)
    tax_class_vat_groups: set[str] = field(default_factory=set)
    shipping_vat_groups: set[str] = field(default_factory=set)
    mapped_payment_methods: set[str] = field(default_factory=set)
    mapped_shipping_methods: set[str] = field(default_factory=set)
    providers: dict[str, set[str]] = field(default_factory=dict)  # provider -> currencies
    payout_configs: list[PayoutConfig] = field(default_factory=list)
    # (provider, market, currencies, label) of every provider connection: each needs a configuration
    provider_connections: list[tuple[str, str, frozenset[str], str]] = field(default_factory=list)
    rounding_account: str = ""
    mark_paid: bool = False  # a payment method is marked paid at sync: the integration's own batch is used
    creates_items: bool = False  # products both ways: shop-only products become BC items
    probe: ProbePlan = field(default_factory=ProbePlan)
    # customers matched during order sync: number -> the country of the order it was matched for
    matched_customers: dict[str, str] = field(default_factory=dict)
    # seen in recent orders
    # How many recent orders the mapping checks looked at, from how many days back.
    orders_looked_at: int = 0
    lookback_days: int = 90
    order_countries: set[str] = field(default_factory=set)
    order_currencies: set[str] = field(default_factory=set)
    order_payment_methods: set[str] = field(default_factory=set)
    order_shipping_methods: set[str] = field(default_factory=set)
    order_skus: set[str] = field(default_factory=set)
    shop_currencies: set[str] = field(default_factory=set)
    # Document header settings and the shops sharing the BC company.
    mapped_dimension_values: set[tuple[str, str]] = field(default_factory=set)  # (dimension, value)
    salesperson_code: str = ""
    location_code: str = ""
    document_number_prefix: str = ""
    prefix_shared_with: list[str] = field(default_factory=list)  # integrations of the company with the same prefix

    @property
    def needs_header_codes(self) -> bool:
        return bool(self.mapped_dimension_values or self.salesperson_code or self.location_code)

    stock_enabled: bool = False
    stock_location_codes: set[str] = field(default_factory=set)  # BC locations mapped to shop locations
