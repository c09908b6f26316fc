"""A read-only HTML overview of what the simulator holds (no authentication needed)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import BusinessCentralSimulator


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body or '<tr><td>(none)</td></tr>'}</table>"


def _page(title: str, content: str) -> str:
    style = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}" \
            "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}"  # fmt: skip
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title><style>{style}</style>" \
           f"</head><body><h1>{escape(title)}</h1>{content}</body></html>"  # fmt: skip


def render(sim: BusinessCentralSimulator, path: str) -> tuple[int, str]:
    parts = [p for p in path.split("/") if p][1:]
    if not parts:
        rows = [
            [env.name, env.type, company.name, company.id, f"/_sim/{env.name}/{company.id}"]
            for env in sim.environments.values()
            for company in env.companies.values()
        ]
        intro = f"<p>Tenant {escape(sim.tenant_id)} &middot; {sim.request_count} API requests served.</p>"
        links = "".join(f"<li><a href='{escape(r[4])}'>{escape(r[0])} / {escape(r[2])}</a></li>" for r in rows)
        return 200, _page("Business Central simulator", intro + f"<ul>{links}</ul>")
    environment = sim.environments.get(parts[0])
    company = environment.companies.get(parts[1].lower()) if environment and len(parts) > 1 else None
    if company is None:
        return 404, _page("Not found", "<p>No such environment or company.</p>")
    sections = []
    for entity_set, title, date_field in (
        ("salesInvoices", "Sales invoices", "invoiceDate"),
        ("salesOrders", "Sales orders", "orderDate"),
        ("salesCreditMemos", "Sales credit memos", "creditMemoDate"),
    ):
        rows = [
            [d["number"], d["status"], d[date_field], d["customerNumber"], d["externalDocumentNumber"],
             d["currencyCode"] or company.lcy_code, d["totalAmountExcludingTax"], d["totalTaxAmount"],
             d["totalAmountIncludingTax"], d.get("remainingAmount", "")]
            for d in company.rows(entity_set)
        ]  # fmt: skip
        sections.append(f"<h2>{title}</h2>" + _table(
            ["No.", "Status", "Date", "Customer", "External doc.", "Currency", "Excl. VAT", "VAT", "Incl. VAT",
             "Remaining"], rows))  # fmt: skip
    journal_rows = [
        [batch["code"], line["lineNumber"], line.get("customerNumber") or line.get("accountNumber"),
         line["documentNumber"], line["externalDocumentNumber"], line["amount"]]
        for table, lines in (("customerPaymentJournals", "customerPayments"), ("journals", "journalLines"))
        for batch in company.rows(table)
        for line in company.filter(lines, journalId=batch["id"])
    ]  # fmt: skip
    sections.append("<h2>Unposted journal lines</h2>" + _table(
        ["Batch", "Line", "Account", "Document", "External doc.", "Amount"], journal_rows))  # fmt: skip
    gl_rows = [
        [e["entryNumber"], e["postingDate"], e["documentType"], e["documentNumber"], e["accountNumber"],
         e["description"], e["debitAmount"], e["creditAmount"]]
        for e in company.rows("generalLedgerEntries")
    ]  # fmt: skip
    sections.append("<h2>G/L entries</h2>" + _table(
        ["Entry", "Date", "Type", "Document", "Account", "Description", "Debit", "Credit"], gl_rows))  # fmt: skip
    customers = [[c["number"], c["displayName"], c["blocked"], c["balanceDue"]] for c in company.rows("customers")]
    sections.append("<h2>Customers</h2>" + _table(["No.", "Name", "Blocked", "Balance (LCY)"], customers))
    return 200, _page(f"{company.name} ({environment.name})", "".join(sections))
