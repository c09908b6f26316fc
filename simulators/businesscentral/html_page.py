"""A read-only HTML overview of what the simulator holds (no authentication needed, no scripts).

Per company: the sales documents (invoices with their customer, total, remaining amount and status),
the payment and general journal lines still in the journals, the payments already posted, the G/L
entries of the clearing accounts with their balance (zero once a payout is fully booked) and every
G/L entry. Enough for a person to see what an integration created.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from .amounts import dec, money

if TYPE_CHECKING:
    from .app import BusinessCentralSimulator
    from .store import CompanyStore

CLEARING_WORD = "clearing"  # G/L accounts named "Clearing ..." hold a payment provider's money in transit


def _table(headers: list[str], rows: list[list[object]], *, footer: list[object] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    foot = "<tr>" + "".join(f"<th>{escape(str(c))}</th>" for c in footer) + "</tr>" if footer else ""
    return f"<table><tr>{head}</tr>{body or '<tr><td>(none)</td></tr>'}{foot}</table>"


def _page(title: str, content: str) -> str:
    style = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}" \
            "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}nav a{margin-right:1em}"  # fmt: skip
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title><style>{style}</style>" \
           f"</head><body><h1>{escape(title)}</h1>{content}</body></html>"  # fmt: skip


def _amount(value: object) -> str:
    return f"{money(dec(value or 0)):.2f}"


def _customer_label(company: CompanyStore, number: str) -> str:
    customer = company.find("customers", number=number) if number else None
    return f"{number} {customer['displayName']}" if customer else str(number or "")


def _documents(company: CompanyStore, lcy: str) -> list[str]:
    sections = []
    for entity_set, title, date_field in (
        ("salesInvoices", "Sales invoices", "invoiceDate"),
        ("salesOrders", "Sales orders", "orderDate"),
        ("salesCreditMemos", "Sales credit memos", "creditMemoDate"),
    ):
        rows = [
            [d["number"], d["externalDocumentNumber"], d[date_field], _customer_label(company, d["customerNumber"]),
             d["currencyCode"] or lcy, _amount(d["totalAmountExcludingTax"]), _amount(d["totalTaxAmount"]),
             _amount(d["totalAmountIncludingTax"]),
             _amount(d["remainingAmount"]) if d.get("remainingAmount") not in (None, "") else "", d["status"]]
            for d in company.rows(entity_set)
        ]  # fmt: skip
        headers = ["No.", "External doc.", "Date", "Customer", "Currency", "Excl. VAT", "VAT", "Total incl. VAT",
                   "Remaining", "Status"]  # fmt: skip
        sections.append(f"<h2 id='{entity_set}'>{title} ({len(rows)})</h2>" + _table(headers, rows))
    return sections


def _journals(company: CompanyStore) -> list[str]:
    payments = [
        [batch["code"], line["lineNumber"], line["postingDate"], _customer_label(company, line.get("customerNumber")),
         line.get("appliesToInvoiceNumber") or "", line["documentNumber"], line["externalDocumentNumber"],
         line.get("description") or "", _amount(line["amount"])]
        for batch in company.rows("customerPaymentJournals")
        for line in company.filter("customerPayments", journalId=batch["id"])
    ]  # fmt: skip
    general = [
        [batch["code"], line["lineNumber"], line["postingDate"], line.get("accountNumber") or "",
         line.get("balancingAccountNumber") or batch.get("balancingAccountNumber") or "", line["documentNumber"],
         line["externalDocumentNumber"], line.get("description") or "", _amount(line["amount"])]
        for batch in company.rows("journals")
        for line in company.filter("journalLines", journalId=batch["id"])
    ]  # fmt: skip
    return [
        "<h2 id='payment-journal'>Payment journal lines (not posted yet)</h2>"
        + _table(
            [
                "Batch",
                "Line",
                "Date",
                "Customer",
                "Applies to invoice",
                "Document",
                "External doc.",
                "Description",
                "Amount",
            ],
            payments,
        ),  # fmt: skip
        "<h2 id='general-journal'>General journal lines (not posted yet)</h2>"
        + _table(
            [
                "Batch",
                "Line",
                "Date",
                "Account",
                "Balancing account",
                "Document",
                "External doc.",
                "Description",
                "Amount",
            ],
            general,
        ),  # fmt: skip
    ]


def _signed(entry: dict) -> Decimal:
    return dec(entry["debitAmount"]) - dec(entry["creditAmount"])


def _posted_payments(company: CompanyStore) -> str:
    """Posted payment journal lines: BC empties the journal, the customer side stays in the G/L."""
    rows = [
        [e["postingDate"], e["documentNumber"], e["description"], _amount(-_signed(e))]
        for e in company.filter("generalLedgerEntries", accountNumber=company.posting.receivables)
        if e["documentType"] == "Payment"
    ]
    total = sum((dec(r[3]) for r in rows), Decimal(0))
    return "<h2 id='posted-payments'>Posted payment journal lines (customer payments)</h2>" + _table(
        ["Date", "Document", "Description", "Amount"], rows, footer=["", "", "Total", _amount(total)]
    )


def _clearing(company: CompanyStore) -> list[str]:
    accounts = [a for a in company.rows("accounts") if CLEARING_WORD in str(a.get("displayName", "")).lower()]
    summary, sections = [], []
    for account in accounts:
        entries = company.filter("generalLedgerEntries", accountNumber=account["number"])
        balance = sum((_signed(e) for e in entries), Decimal(0))
        summary.append([account["number"], account["displayName"], len(entries), _amount(balance)])
        if not entries:
            continue
        rows = [
            [e["entryNumber"], e["postingDate"], e["documentType"], e["documentNumber"], e["description"],
             _amount(e["debitAmount"]), _amount(e["creditAmount"])]
            for e in entries
        ]  # fmt: skip
        sections.append(
            f"<h3>{escape(account['number'])} {escape(account['displayName'])}</h3>"
            + _table(
                ["Entry", "Date", "Type", "Document", "Description", "Debit", "Credit"],
                rows,
                footer=["", "", "", "", "Balance (debit - credit)", _amount(balance), ""],
            )  # fmt: skip
        )
    intro = "<p>A fully booked payout leaves its clearing account at 0.00.</p>"
    return [
        "<h2 id='clearing'>Clearing accounts</h2>"
        + intro
        + _table(["Account", "Name", "Entries", "Balance"], summary)
        + "".join(sections)
    ]


def _ledger(company: CompanyStore) -> list[str]:
    gl_rows = [
        [e["entryNumber"], e["postingDate"], e["documentType"], e["documentNumber"], e["accountNumber"],
         e["description"], _amount(e["debitAmount"]), _amount(e["creditAmount"])]
        for e in company.rows("generalLedgerEntries")
    ]  # fmt: skip
    customers = [
        [c["number"], c["displayName"], c["blocked"], _amount(c["balanceDue"])] for c in company.rows("customers")
    ]
    return [
        f"<h2 id='gl'>G/L entries ({len(gl_rows)})</h2>"
        + _table(["Entry", "Date", "Type", "Document", "Account", "Description", "Debit", "Credit"], gl_rows),
        "<h2 id='customers'>Customers</h2>" + _table(["No.", "Name", "Blocked", "Balance (LCY)"], customers),
    ]


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
    nav = (
        "<nav><a href='/_sim/'>All companies</a>"
        + "".join(
            f"<a href='#{anchor}'>{label}</a>"
            for anchor, label in (
                ("salesInvoices", "Invoices"),
                ("payment-journal", "Payment journal"),
                ("posted-payments", "Posted payments"),
                ("clearing", "Clearing accounts"),
                ("gl", "G/L entries"),
                ("customers", "Customers"),
            )
        )
        + "</nav><p>Reload the page to see new documents.</p>"
    )
    sections = [
        *_documents(company, company.lcy_code),
        *_journals(company),
        _posted_payments(company),
        *_clearing(company),
        *_ledger(company),
    ]
    return 200, _page(f"{company.name} ({environment.name})", nav + "".join(sections))
