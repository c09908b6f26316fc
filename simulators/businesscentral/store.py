"""In-memory BC data: environments, companies and their tables.

Records are plain dicts in API shape; keys starting with "_" are internal (sequence, etag,
links the API does not show) and never leave the simulator.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import uuid
from dataclasses import dataclass, field

from simulators.businesscentral.numbering import increment

from .clock import SimClock
from .entities import SPECS
from .numbering import NoSeries

# ODataV4 page web services the product reads (pages 472, 456, 457).
ODATAV4_PAGES = (
    "VATPostingSetup",
    "NoSeries",
    "NoSeriesLines",
    "ItemLedgerEntries",
    "GeneralJournal",
    "DimensionValues",
    "PostedSalesShipment",
    "GeneralJournalTemplates",
    "GeneralJournalBatches",
)


@dataclass
class VatPostingSetup:
    bus: str
    prod: str
    vat_percent: float
    sales_vat_account: str
    vat_identifier: str = ""
    calculation_type: str = "Normal VAT"
    blocked: bool = False
    description: str = ""


@dataclass
class PostingAccounts:
    """Which G/L accounts postings hit (customer/general posting setup, simplified)."""

    receivables: str = "1510"
    sales_by_vat_bus: dict[str, str] = field(default_factory=dict)
    default_sales: str = "3001"
    bank_by_bank_account: dict[str, str] = field(default_factory=dict)


def now_iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class CompanyStore:
    """One BC company: its tables plus the setup (VAT matrix, number series) behind the errors."""

    def __init__(self, *, environment: str, name: str, clock: SimClock, company_id: str | None = None) -> None:
        self.environment = environment
        self.name = name
        self.id = company_id or str(uuid.uuid4())
        self.clock = clock
        self.tables: dict[str, dict[str, dict]] = {name: {} for name in SPECS if name != "companies"}
        # Lines by their document (entity set -> documentId -> id -> record): a company with
        # thousands of documents must not scan every line to price or post one document.
        self.by_document: dict[str, dict[str, dict[str, dict]]] = {}
        self.vat_setup: dict[tuple[str, str], VatPostingSetup] = {}
        self.number_series: dict[str, NoSeries] = {}
        self.series_for: dict[str, str] = {}  # purpose ("customers", "postedSalesInvoices", ...) -> series code
        self.posting = PostingAccounts()
        self.published_pages: set[str] = set(ODATAV4_PAGES)
        # Gen. Journal Templates: {"name", "description", "type", "recurring"}. The API's
        # customerPaymentJournals are the batches of the first non-recurring Cash Receipts template and
        # journals carry their template; batches of other templates are only in ``other_batches``
        # ({"template", "code", "description", "balancingAccountNumber"}), which the API does not list.
        self.journal_templates: list[dict] = []
        self.other_batches: list[dict] = []
        # (entity set, "Read"/"Insert"/"Modify"/"Delete") the caller's permission sets lack.
        self.denied_permissions: set[tuple[str, str]] = set()
        self.item_ledger: list[dict] = []
        # (item number, location code, variant code) -> its open entries with a positive remaining
        # quantity, oldest first: what an outbound entry is applied to. Kept by inventory.py, which
        # rebuilds it when the ledger was changed behind its back (``open_inbound_mark``).
        self.open_inbound: dict[tuple[str, str, str], list[dict]] = {}
        self.open_inbound_mark: tuple | None = None
        self._sequence = 0
        self._writes = 0
        self._entry_number = 0
        self.created_at = now_iso(clock.now())

    # -- records ---------------------------------------------------------------------------

    def table(self, entity_set: str) -> dict[str, dict]:
        return self.tables[entity_set]

    def rows(self, entity_set: str) -> list[dict]:
        # Tables keep insertion order, which is _seq order (insert moves a re-inserted id to the end).
        return list(self.tables[entity_set].values())

    def get(self, entity_set: str, record_id: str | None) -> dict | None:
        if not record_id:
            return None
        return self.tables[entity_set].get(str(record_id).lower())

    def _candidates(self, entity_set: str, criteria: dict) -> list[dict]:
        if "documentId" in criteria and entity_set in self.by_document:
            return list(self.by_document[entity_set].get(criteria["documentId"], {}).values())
        return self.rows(entity_set)

    def find(self, entity_set: str, **criteria) -> dict | None:
        if len(criteria) == 1 and "documentId" not in criteria:
            # The common lookup (a number or a code): one comparison per row, no generator per row.
            ((key, value),) = criteria.items()
            return next((record for record in self.tables[entity_set].values() if record.get(key) == value), None)
        for record in self._candidates(entity_set, criteria):
            if all(record.get(key) == value for key, value in criteria.items()):
                return record
        return None

    def filter(self, entity_set: str, **criteria) -> list[dict]:
        return [r for r in self._candidates(entity_set, criteria) if all(r.get(k) == v for k, v in criteria.items())]

    def insert(self, entity_set: str, record: dict) -> dict:
        spec = SPECS[entity_set]
        full = {name: record.get(name, _default_for(name)) for name in spec.fields}
        if full.get("blocked") is None and "blocked" in full:
            full["blocked"] = " " if entity_set == "customers" else False
        full.update({k: v for k, v in record.items() if k.startswith("_")})
        full["id"] = str(record.get("id") or uuid.uuid4()).lower()
        self._sequence += 1
        full["_seq"] = self._sequence
        self.touch(full)
        self.delete(entity_set, full["id"])
        self.tables[entity_set][full["id"]] = full
        if "documentId" in spec.fields:
            self.by_document.setdefault(entity_set, {}).setdefault(full["documentId"], {})[full["id"]] = full
        return full

    def touch(self, record: dict) -> None:
        """Every write gets a new etag and lastModifiedDateTime."""
        self._writes += 1
        digits = str(10**19 + self._writes * 7919 + self._sequence)
        raw = f"'{len(digits)};{digits}1;00;'".encode()
        record["_etag"] = 'W/"' + base64.b64encode(raw).decode() + '"'
        if "lastModifiedDateTime" in record:
            record["lastModifiedDateTime"] = now_iso(self.clock.now())

    def delete(self, entity_set: str, record_id: str) -> None:
        record = self.tables[entity_set].pop(record_id, None)
        if record is not None and entity_set in self.by_document:
            self.by_document[entity_set].get(record.get("documentId"), {}).pop(record_id, None)

    def next_entry_number(self) -> int:
        self._entry_number += 1
        return self._entry_number

    # -- setup shortcuts ---------------------------------------------------------------------

    @property
    def general_ledger_setup(self) -> dict:
        return self.rows("generalLedgerSetup")[0]

    @property
    def lcy_code(self) -> str:
        return self.general_ledger_setup["localCurrencyCode"]

    def series(self, purpose: str) -> NoSeries | None:
        code = self.series_for.get(purpose)
        return self.number_series.get(code) if code else None

    def default_cash_receipts_template(self) -> str:
        """BC's Graph Mgt - Journal: the first (by name) non-recurring Cash Receipts template."""
        names = sorted(t["name"] for t in self.journal_templates if t["type"] == "Cash Receipts" and not t["recurring"])
        return names[0] if names else "CASHRCPT"

    def account(self, number: str) -> dict | None:
        return self.find("accounts", number=number)

    # -- batch isolation ---------------------------------------------------------------------

    _STATE = (
        "tables",
        "by_document",
        "vat_setup",
        "number_series",
        "series_for",
        "posting",
        "published_pages",
        "journal_templates",
        "other_batches",
        "item_ledger",
    )
    _COUNTERS = ("_sequence", "_writes", "_entry_number")

    def snapshot(self) -> dict:
        return copy.deepcopy({name: getattr(self, name) for name in self._STATE + self._COUNTERS})

    def restore(self, snapshot: dict) -> None:
        for name, value in snapshot.items():
            setattr(self, name, value)

    # -- misconfiguration helpers (tests seed the problems preflight must find) -----------------

    def remove_vat_posting_setup(self, bus: str, prod: str) -> None:
        self.vat_setup.pop((bus, prod), None)

    def block_vat_posting_setup(self, bus: str, prod: str, blocked: bool = True) -> None:
        self.vat_setup[(bus, prod)].blocked = blocked

    def exhaust_number_series(self, code: str) -> None:
        for line in self.number_series[code].lines:
            line.last_no_used = line.ending_no
            line.open = False

    def set_series_last_used(self, code: str, last_no_used: str) -> None:
        line = self.number_series[code].lines[-1]
        line.last_no_used = last_no_used

    def add_record_ahead_of_series(self, code: str, ahead: int = 3) -> str:
        """Number a record inside the series, ``ahead`` numbers past its last used number (what a
        manual number colliding with the series looks like). Returns that number."""

        line = self.number_series[code].lines[-1]
        base = line.last_no_used or line.starting_no
        number = increment(base, ahead * line.increment_by)
        purpose = next(p for p, c in self.series_for.items() if c == code)
        target = {
            "customers": "customers",
            "salesInvoices": "salesInvoices",
            "salesOrders": "salesOrders",
            "salesCreditMemos": "salesCreditMemos",
            "postedSalesInvoices": "salesInvoices",
            "postedSalesCreditMemos": "salesCreditMemos",
        }.get(purpose)
        if target == "customers":
            self.insert(
                "customers", {"number": number, "displayName": f"Manually numbered {number}", "type": "Company"}
            )
        elif target:
            customer = self.rows("customers")[0]
            status = "Open" if purpose.startswith("posted") else "Draft"
            self.insert(
                target,
                {
                    "number": number,
                    "customerId": customer["id"],
                    "customerNumber": customer["number"],
                    "status": status,
                },
            )
        return number

    def remove_currency(self, code: str) -> None:
        for table in ("currencies", "currencyExchangeRates"):
            field_name = "code" if table == "currencies" else "currencyCode"
            for record in self.filter(table, **{field_name: code}):
                self.delete(table, record["id"])

    def age_exchange_rates(self, code: str, days: int) -> None:
        """Move every rate of ``code`` ``days`` further into the past (a stale rate)."""
        for rate in self.filter("currencyExchangeRates", currencyCode=code):
            start = dt.date.fromisoformat(rate["startingDate"]) - dt.timedelta(days=days)
            rate["startingDate"] = start.isoformat()
            self.touch(rate)

    def set_exchange_rates_start(self, code: str, starting_date: dt.date) -> None:
        for rate in self.filter("currencyExchangeRates", currencyCode=code):
            rate["startingDate"] = starting_date.isoformat()
            self.touch(rate)

    def change_lcy(self, code: str) -> None:
        setup = self.general_ledger_setup
        setup["localCurrencyCode"] = code
        self.touch(setup)
        info = self.rows("companyInformation")[0]
        info["currencyCode"] = code
        self.touch(info)

    def journal_batch(self, code: str) -> tuple[str, dict] | None:
        for table in ("customerPaymentJournals", "journals"):
            record = self.find(table, code=code)
            if record:
                return table, record
        return None

    def delete_journal_batch(self, code: str) -> None:
        found = self.journal_batch(code)
        if found:
            self.delete(found[0], found[1]["id"])

    def clear_balancing_account(self, code: str) -> None:
        _, batch = self.journal_batch(code)
        batch.update(balancingAccountId="00000000-0000-0000-0000-000000000000", balancingAccountNumber="")
        self.touch(batch)

    def unpublish_odatav4_pages(self, *pages: str) -> None:
        self.published_pages -= set(pages or ODATAV4_PAGES)

    def publish_odatav4_pages(self, *pages: str) -> None:
        self.published_pages |= set(pages or ODATAV4_PAGES)

    def deny_permission(self, entity_set: str, *permissions: str) -> None:
        """Make the API user lack TableData permissions on an entity set (default: all writes)."""
        for permission in permissions or ("Insert", "Modify", "Delete"):
            self.denied_permissions.add((entity_set, permission))

    def block_customer(self, number: str, blocked: str = "All") -> None:
        customer = self.find("customers", number=number)
        customer["blocked"] = blocked
        self.touch(customer)

    def block_item(self, number: str, blocked: bool = True) -> None:
        item = self.find("items", number=number)
        item["blocked"] = blocked
        self.touch(item)


_NUMERIC_DEFAULTS = {
    "balanceDue", "creditLimit", "inventory", "unitPrice", "unitCost", "discountAmount", "totalAmountExcludingTax",
    "totalTaxAmount", "totalAmountIncludingTax", "remainingAmount", "quantity", "discountPercent",
    "amountExcludingTax", "taxPercent", "amountIncludingTax", "invoiceDiscountAllocation", "netAmount",
    "netTaxAmount", "netAmountIncludingTax", "amount", "debitAmount", "creditAmount", "netChange",
    "additionalCurrencyDebitAmount", "additionalCurrencyCreditAmount", "shippedQuantity", "invoicedQuantity",
    "invoiceQuantity", "shipQuantity", "exchangeRateAmount", "relationalExchangeRateAmount",
    "amountRoundingPrecision",
}  # fmt: skip
_BOOLEAN_DEFAULTS = {
    "taxLiable", "priceIncludesTax", "pricesIncludeTax", "discountAppliedBeforeTax", "partialShipping",
    "fullyShipped", "calculateDiscountOnCreditMemos", "directPosting",
}  # fmt: skip
_EMPTY_GUID = "00000000-0000-0000-0000-000000000000"


def _default_for(name: str):
    if name in _NUMERIC_DEFAULTS:
        return 0
    if name in _BOOLEAN_DEFAULTS:
        return False
    if name == "blocked":
        return None  # customers use " "/"All", items/accounts a bool: set by the writer
    if name.endswith("Id") and name != "id":
        return _EMPTY_GUID
    if name in {"sequence", "lineNumber", "entryNumber", "timestamp"}:
        return 0
    if name.endswith("Date") or name in {"postingDate", "dueDate", "promisedPayDate"}:
        return "0001-01-01"
    return ""


EMPTY_GUID = _EMPTY_GUID


@dataclass
class Environment:
    name: str
    type: str  # "Production" | "Sandbox"
    country_code: str = "SE"
    companies: dict[str, CompanyStore] = field(default_factory=dict)

    def company_by_name(self, name: str) -> CompanyStore | None:
        return next((c for c in self.companies.values() if c.name == name), None)
