"""UI pages published as ODataV4 web services: VAT Posting Setup (472), No. Series (456),
No. Series Lines (457), General Journal Templates (101) and General Journal Batches (251). Field
names are page control names with underscores [assumption, bc-api-facts.md section 6]. An
unpublished page is an unknown service: 404 BadRequest_NotFound."""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote

from . import odata
from .api import next_link
from .errors import BCError, not_found_route
from .http import ApiRequest, ApiResponse
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
    "GeneralJournalTemplates": _template_rows,
    "GeneralJournalBatches": _batch_rows,
}


def handle(environment: Environment, segments: list[str], request: ApiRequest) -> ApiResponse:
    """``segments`` come after ``ODataV4/``: ``["Company('X')", "VATPostingSetup"]``."""
    url = f"{request.base_url}/{'/'.join(segments)}"
    if len(segments) != 2 or request.method != "GET":
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
    rows = PAGES[page](company)
    options = request.query
    if options.get("$filter"):
        tree = odata.parse_filter(options["$filter"], set(rows[0]) if rows else set(), page)
        rows = [row for row in rows if odata.matches(tree, row)]
    rows = odata.order(rows, options.get("$orderby"), set(rows[0]) if rows else set(), page)
    result = odata.paginate(
        rows,
        top=odata.parse_int_option("$top", options.get("$top")),
        skip=odata.parse_int_option("$skip", options.get("$skip")),
        skiptoken=options.get("$skiptoken"),
        page_size=odata.max_page_size_from(request.header("prefer")) or request.page_size,
    )
    body: dict = {
        "@odata.context": f"{request.base_url}/$metadata#Company('{company.name}')/{page}",
        "value": [{"@odata.etag": _etag(row), **row} for row in result.rows],
    }
    if result.next_offset is not None:
        body["@odata.nextLink"] = next_link(request, odata.encode_skiptoken(result.next_offset))
    return ApiResponse(200, body, {"Content-Type": "application/json; odata.metadata=minimal"})
