"""UI pages published as ODataV4 web services: VAT Posting Setup (472), No. Series (456),
No. Series Lines (457), Item Ledger Entries (38), General Journal (39, read and insert: the one
way to give a general journal line a Currency Code, which API v2.0's journalLines page lacks),
Dimension Values (537), Posted Sales Shipment (130), General Journal Templates (101) and General
Journal Batches (251). Field names are page control names with underscores [assumption,
docs/vendor-contracts.md]. An unpublished page is an unknown service: 404 BadRequest_NotFound.
$filter, $select, $orderby, $top/$skip and server-driven paging work as on API v2.0 pages."""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote

from . import odata
from .api import next_link
from .errors import BCError, dialog, not_found_route
from .fields import member, wire
from .http import ApiRequest, ApiResponse
from .journals import journal_line_create
from .store import CompanyStore, Environment

_COMPANY = re.compile(r"^Company\((?:'(?P<name>(?:[^']|'')*)'|Id=(?P<id>[0-9a-fA-F-]{36}))\)$")


def _etag(values: dict) -> str:
    digest = abs(hash(tuple(sorted((k, str(v)) for k, v in values.items())))) % 10**19
    return 'W/"' + base64.b64encode(f"'20;{digest}1;00;'".encode()).decode() + '"'


def _vat_rows(company: CompanyStore) -> list[dict]:
    return [
        {
            "VAT_Bus_Posting_Group": setup.bus,
            "VAT_Prod_Posting_Group": setup.prod,
            "VAT_Identifier": setup.vat_identifier,
            "VAT_Percent": setup.vat_percent,
            "VAT_Calculation_Type": setup.calculation_type,
            "Sales_VAT_Account": setup.sales_vat_account,
            "Blocked": setup.blocked,
            "Description": setup.description,
        }
        for setup in company.vat_setup.values()
    ]


def _series_rows(company: CompanyStore) -> list[dict]:
    rows = []
    for series in company.number_series.values():
        line = series.open_line(company.clock.today()) or (series.lines[-1] if series.lines else None)
        rows.append(
            {
                "Code": series.code,
                "Description": series.description,
                "StartDate": (line.starting_date or "0001-01-01") if line else "0001-01-01",
                "StartNo": line.starting_no if line else "",
                "EndNo": line.ending_no if line else "",
                "LastDateUsed": (line.last_date_used or "0001-01-01") if line else "0001-01-01",
                "LastNoUsed": line.last_no_used if line else "",
                "Default_Nos": series.default_nos,
                "Manual_Nos": series.manual_nos,
                "Date_Order": series.date_order,
            }
        )
    return rows


def _series_line_rows(company: CompanyStore) -> list[dict]:
    return [
        {
            "Series_Code": series.code,
            "Line_No": line.line_no,
            "Starting_Date": line.starting_date or "0001-01-01",
            "Starting_No": line.starting_no,
            "Ending_No": line.ending_no,
            "Last_Date_Used": line.last_date_used or "0001-01-01",
            "Last_No_Used": line.last_no_used,
            "Warning_No": line.warning_no,
            "Increment_by_No": line.increment_by,
            "Open": line.open,
        }
        for series in company.number_series.values()
        for line in series.lines
    ]


def _dimension_value_rows(company: CompanyStore) -> list[dict]:
    codes = {row["id"]: row["code"] for row in company.rows("dimensions")}
    return [
        {
            "Dimension_Code": codes.get(value["dimensionId"], ""),
            "Code": value["code"],
            "Name": value["displayName"],
            "Blocked": bool(value.get("_blocked")),
        }
        for value in company.rows("dimensionValues")
    ]


def _posted_shipment_rows(company: CompanyStore) -> list[dict]:
    return [
        {
            "No": shipment["number"],
            "Order_No": shipment["orderNumber"],
            "External_Document_No": shipment["externalDocumentNumber"],
            "Shipping_Agent_Code": shipment.get("_shippingAgentCode") or "",
            "Package_Tracking_No": shipment.get("_packageTrackingNo") or "",
        }
        for shipment in company.rows("salesShipments")
    ]


def _journal_row(company: CompanyStore, line: dict) -> dict:
    batch = company.get("journals", line["journalId"]) or {}
    return {
        "Journal_Template_Name": batch.get("templateDisplayName") or "GENERAL",
        "Journal_Batch_Name": line["journalDisplayName"],
        "Line_No": line["lineNumber"],
        "Posting_Date": line["postingDate"],
        "Document_Type": " ",
        "Document_No": line.get("documentNumber") or "",
        "External_Document_No": line.get("externalDocumentNumber") or "",
        "Account_Type": wire(line["accountType"]),
        "Account_No": line.get("accountNumber") or "",
        "Description": line.get("description") or "",
        "Currency_Code": line.get("_currencyCode") or "",
        "Amount": line["amount"],
        "Bal_Account_Type": wire(line.get("balanceAccountType") or "G/L Account"),
        "Bal_Account_No": line.get("balancingAccountNumber") or "",
    }


def _journal_rows(company: CompanyStore) -> list[dict]:
    return [_journal_row(company, line) for line in company.rows("journalLines")]


def _journal_insert(company: CompanyStore, body: dict) -> dict:
    """Insert a general journal line as page 39 does: the batch by template and name, then the
    fields; an explicit Currency Code stays (it follows Account No. on the page)."""
    if not isinstance(body, dict):
        raise BCError("BadRequest", "The request body is not a JSON object.")
    batch = company.find("journals", code=body.get("Journal_Batch_Name") or "")
    template = body.get("Journal_Template_Name") or ""
    if batch is None or (template and template != (batch.get("templateDisplayName") or "GENERAL")):
        raise BCError(
            "Internal_RecordNotFound",
            "The Gen. Journal Batch does not exist. Identification fields and values: "
            f"Journal Template Name='{template}',Name='{body.get('Journal_Batch_Name') or ''}'",
        )
    currency = str(body.get("Currency_Code") or "")
    if currency and company.find("currencies", code=currency) is None:
        raise dialog(
            f"The field Currency Code of table Gen. Journal Line contains a value ({currency}) that cannot be "
            "found in the related table (Currency)."
        )
    values = {
        "lineNumber": body.get("Line_No") or 0,
        "postingDate": body.get("Posting_Date"),
        "documentNumber": body.get("Document_No") or "",
        "externalDocumentNumber": body.get("External_Document_No") or "",
        "accountType": member(body.get("Account_Type") or "G_x002F_L_x0020_Account"),
        "accountNumber": body.get("Account_No") or "",
        "description": body.get("Description") or "",
        "amount": body.get("Amount") or 0,
        "balanceAccountType": member(body.get("Bal_Account_Type") or "G_x002F_L_x0020_Account"),
        "balancingAccountNumber": body.get("Bal_Account_No") or "",
        "_currencyCode": currency,
        "_currencyFixed": bool(currency),
    }
    line = journal_line_create(company, values, {"journalId": batch["id"]})
    return _journal_row(company, line)


def _item_ledger_rows(company: CompanyStore) -> list[dict]:
    """Page 38's repeater fields the product reads (and a few beside them), newest entry first
    (the page's SourceTableView: sorting("Entry No.") order(descending))."""
    return [
        {
            "Entry_No": entry["entryNo"],
            "Posting_Date": entry["postingDate"],
            "Entry_Type": entry["entryType"],
            "Document_No": entry["documentNumber"],
            "Item_No": entry["itemNumber"],
            "Variant_Code": entry.get("variantCode", ""),
            "Location_Code": entry.get("locationCode", ""),
            "Quantity": entry["quantity"],
            "Remaining_Quantity": entry["remainingQuantity"],
            "Open": entry["open"],
        }
        for entry in reversed(company.item_ledger)
    ]


def _template_rows(company: CompanyStore) -> list[dict]:
    return [
        {"Name": t["name"], "Description": t["description"], "Type": t["type"], "Recurring": t["recurring"]}
        for t in company.journal_templates
    ]


def _batch_rows(company: CompanyStore) -> list[dict]:
    """Every Gen. Journal Batch of every template (page 251 with no template filter)."""
    default = company.default_cash_receipts_template()
    rows = [(default, b) for b in company.rows("customerPaymentJournals")]
    rows += [(b.get("templateDisplayName") or "GENERAL", b) for b in company.rows("journals")]
    rows += [(b["template"], b) for b in company.other_batches]
    return [
        {
            "Journal_Template_Name": template,
            "Name": batch["code"],
            "Description": batch.get("displayName", batch.get("description", "")),
            "Bal_Account_Type": "G/L Account",
            "Bal_Account_No": batch.get("balancingAccountNumber", ""),
        }
        for template, batch in rows
    ]


PAGES = {
    "VATPostingSetup": _vat_rows,
    "NoSeries": _series_rows,
    "NoSeriesLines": _series_line_rows,
    "ItemLedgerEntries": _item_ledger_rows,
    "GeneralJournal": _journal_rows,
    "DimensionValues": _dimension_value_rows,
    "PostedSalesShipment": _posted_shipment_rows,
    "GeneralJournalTemplates": _template_rows,
    "GeneralJournalBatches": _batch_rows,
}
INSERTABLE = {"GeneralJournal": _journal_insert}
# Field names of each page even when it has no rows (a $filter on an empty page is still checked).
FIELDS = {
    "ItemLedgerEntries": {
        "Entry_No", "Posting_Date", "Entry_Type", "Document_No", "Item_No", "Variant_Code", "Location_Code",
        "Quantity", "Remaining_Quantity", "Open",
    },
    "GeneralJournal": {
        "Journal_Template_Name", "Journal_Batch_Name", "Line_No", "Posting_Date", "Document_Type", "Document_No",
        "External_Document_No", "Account_Type", "Account_No", "Description", "Currency_Code", "Amount",
        "Bal_Account_Type", "Bal_Account_No",
    },
    "DimensionValues": {"Dimension_Code", "Code", "Name", "Blocked"},
    "PostedSalesShipment": {"No", "Order_No", "External_Document_No", "Shipping_Agent_Code", "Package_Tracking_No"},
}  # fmt: skip


def _query_rows(company: CompanyStore, page: str, filter_text: str | None, orderby: str | None):
    """The page's rows after $filter and $orderby, and its field names. The item ledger's result is
    kept until the ledger changes, so the pages of one read do not each filter every entry again
    (the simulator's own cost, not BC's)."""
    ledger = company.item_ledger
    key = (page, filter_text, orderby, id(ledger), len(ledger), id(ledger[-1]) if ledger else None)
    cache = company.__dict__.setdefault("_page_query_cache", {})
    if page == "ItemLedgerEntries" and key in cache:
        return cache[key]
    rows = PAGES[page](company)
    fields = set(rows[0]) if rows else FIELDS.get(page, set())
    if filter_text:
        tree = odata.parse_filter(filter_text, fields, page)
        rows = [row for row in rows if odata.matches(tree, row)]
    rows = odata.order(rows, orderby, fields, page)
    if page == "ItemLedgerEntries":
        cache.clear()
        cache[key] = (rows, fields)
    return rows, fields


def handle(environment: Environment, segments: list[str], request: ApiRequest) -> ApiResponse:
    """``segments`` come after ``ODataV4/``: ``["Company('X')", "VATPostingSetup"]``."""
    url = f"{request.base_url}/{'/'.join(segments)}"
    if len(segments) != 2 or request.method not in ("GET", "POST"):
        raise not_found_route(url)
    match = _COMPANY.match(unquote(segments[0]))
    if match is None:
        raise not_found_route(url)
    if match.group("id"):
        company = environment.companies.get(match.group("id").lower())
    else:
        company = environment.company_by_name(match.group("name").replace("''", "'"))
    if company is None:
        raise BCError("Internal_CompanyNotFound", f"Cannot open company '{match.group('name') or match.group('id')}'.")
    page = segments[1]
    if page not in PAGES or page not in company.published_pages:
        raise not_found_route(url)
    if request.method == "POST":
        if page not in INSERTABLE:
            raise BCError("BadRequest_MethodNotAllowed", f"'POST' requests for '{page}' are not allowed.")
        row = INSERTABLE[page](company, request.body)
        body = {"@odata.context": f"{request.base_url}/$metadata#Company('{company.name}')/{page}/$entity"}
        return ApiResponse(201, {**body, "@odata.etag": _etag(row), **row}, {"Content-Type": "application/json"})
    options = request.query
    rows, fields = _query_rows(company, page, options.get("$filter"), options.get("$orderby"))
    select = odata.parse_select(options.get("$select"))
    if select is not None:
        unknown = [name for name in select if name not in fields]
        if unknown:
            raise BCError(
                "BadRequest_NotFound", f"Could not find a property named '{unknown[0]}' on type 'Microsoft.NAV.{page}'."
            )
    result = odata.paginate(
        rows,
        top=odata.parse_int_option("$top", options.get("$top")),
        skip=odata.parse_int_option("$skip", options.get("$skip")),
        skiptoken=options.get("$skiptoken"),
        page_size=odata.max_page_size_from(request.header("prefer")) or request.page_size,
    )
    body: dict = {
        "@odata.context": f"{request.base_url}/$metadata#Company('{company.name}')/{page}",
        "value": [
            {"@odata.etag": _etag(row), **{k: v for k, v in row.items() if select is None or k in select}}
            for row in result.rows
        ],
    }
    if result.next_offset is not None:
        body["@odata.nextLink"] = next_link(request, odata.encode_skiptoken(result.next_offset))
    return ApiResponse(200, body, {"Content-Type": "application/json; odata.metadata=minimal"})
