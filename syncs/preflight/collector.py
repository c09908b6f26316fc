"""Read everything the checks need from BC in one pass, through the BC client only.

Each section is read on its own: one failure (a page not published, a missing permission) is
recorded in ``snapshot.errors`` and the other sections are still read.
"""

from __future__ import annotations

import logging
from typing import Any

from integrations.connectors.businesscentral import BatchOperation, BCError, PageNotPublished, entities
from syncs.errors import classify_exception
from syncs.preflight.checks.number_series import next_number, series_by_purpose
from syncs.preflight.types import (
    BankAccount,
    BCSnapshot,
    GLAccount,
    JournalBatch,
    JournalTemplate,
    PermissionProbe,
    ProbePlan,
    Series,
    SeriesLine,
)

logger = logging.getLogger(__name__)

# Entities the flows read and write, with a minimal body for the rolled-back write probe.
PROBED_ENTITIES = ("customers", "items", "salesOrders", "salesInvoices", "customerPaymentJournals")
# Written only when the enabled flows write them (ProbePlan), and read-checked through their parent.
PROBE_NAME = "Preflight probe (rolled back)"
# An entity set that does not exist: the last operation of the probe fails on purpose, and with
# "Isolation: snapshot" BC then rolls back every write of the batch.
ROLLBACK_TRIGGER = "preflightRollbackTrigger"


def bc_snapshot_collect(
    *,
    client: Any,
    environment_name: str,
    environment_type: str,
    company_name: str,
    on_premises: bool = False,
    probe: ProbePlan | None = None,
    stock_per_location: bool = False,
    header_codes: bool = False,
) -> BCSnapshot:
    """``probe``: the writes the enabled flows make (default: customers, items and sales documents);
    ``stock_per_location``: also read BC's locations and whether page 38 is published;
    ``header_codes``: also read dimensions, salespeople and locations (the settings name some)."""
    snap = BCSnapshot(
        environment_name=environment_name,
        environment_type=environment_type,
        company_name=company_name,
        on_premises=on_premises,
    )
    if on_premises:
        if not _server_answers(snap, client):
            return snap
    else:
        _environment_read(snap, client, environment_name=environment_name, environment_type=environment_type)
        if "token" in snap.errors:
            return snap
    local_currency = _section(snap, "company", lambda: _local_currency(client))
    if local_currency is None:
        return snap
    snap.company_reachable = True
    snap.local_currency = local_currency
    _read_pages(snap, client)
    _read_journals(snap, client)
    _section(snap, "permissions", lambda: _probe_permissions(snap, client, probe or ProbePlan()))
    currencies = _section(snap, "currencies", lambda: client.list_records(entities.CURRENCIES))
    if currencies is not None:
        snap.currencies = {c.code.upper() for c in currencies}
    rates = _section(snap, "exchange_rates", lambda: client.list_records(entities.CURRENCY_EXCHANGE_RATES)) or []
    for rate in rates:
        code = rate.currency_code.upper()
        if rate.starting_date and (code not in snap.latest_rates or rate.starting_date > snap.latest_rates[code]):
            snap.latest_rates[code] = rate.starting_date
    if stock_per_location:
        _read_stock_locations(snap, client)
    _read_numbers(snap, client)
    items = _section(snap, "items", lambda: client.list_records(entities.ITEMS, select=["number", "taxGroupCode"]))
    snap.item_vat_groups = {item.number: item.tax_group_code for item in items or []}
    snap.numbers_by_purpose["items"] = list(snap.item_vat_groups)
    _read_accounts(snap, client)
    if header_codes:
        _read_header_codes(snap, client)
    return snap


def _read_header_codes(snap: BCSnapshot, client: Any) -> None:
    """Dimensions and their values (API v2.0), whether a value is blocked (page 537, which API v2.0
    does not cover), salespeople and locations."""
    dimensions = _section(snap, "dimensions", lambda: client.list_records(entities.DIMENSIONS, select=["id", "code"]))
    values = _section(
        snap, "dimension_values", lambda: client.list_records(entities.DIMENSION_VALUES, select=["code", "dimensionId"])
    )
    if dimensions is not None and values is not None:
        codes = {row.id: row.code.upper() for row in dimensions}
        snap.dimension_values = {code: set() for code in codes.values()}
        for value in values:
            if value.dimension_id in codes:
                snap.dimension_values[codes[value.dimension_id]].add(value.code.upper())
    try:
        rows = client.dimension_value_rows()
    except PageNotPublished:
        snap.unpublished_pages.add(entities.DIMENSION_VALUES_PAGE)
    except BCError as exc:
        snap.errors["dimension_values_page"] = classify_exception(exc)
    else:
        snap.blocked_dimension_values = {(r.dimension_code.upper(), r.code.upper()) for r in rows if r.blocked}
    people = _section(
        snap, "salespeople", lambda: client.list_records(entities.SALESPEOPLE, select=["code", "blocked"])
    )
    if people is not None:
        snap.salespeople = {p.code.upper(): bool(p.blocked) for p in people}
    locations = _section(snap, "locations", lambda: client.list_records(entities.LOCATIONS, select=["code"]))
    if locations is not None:
        snap.locations = {location.code.upper() for location in locations}


# BC-002: BC rejects the token; BC-011: BC does not let the signed-in user in; BC-751: the
# on-premises server refuses the access key. Either way nothing else can be read.
REFUSED = ("BC-002", "BC-011", "BC-751")


def _environment_read(snap: BCSnapshot, client: Any, *, environment_name: str, environment_type: str) -> None:
    try:
        environments = client.list_environments()
    except BCError as exc:
        result = classify_exception(exc)
        snap.errors["token" if result.entry.code in REFUSED else "environment"] = result
        return
    match = next((env for env in environments if env.name == environment_name), None)
    # The connect-app list has no status: it lists what the user can reach now (assumption: an
    # environment being prepared, upgraded or deleted is left out), so listed means active.
    snap.environment_status = "Active" if match else None
    if match:
        snap.environment_type = match.type or environment_type


def _server_answers(snap: BCSnapshot, client: Any) -> bool:
    """On-premises: no environments list and no admin center; the companies list proves the server,
    its API and the credentials instead (False: nothing else can be read)."""
    try:
        client.list_companies()
    except BCError as exc:
        result = classify_exception(exc)
        snap.errors["token" if result.entry.code in REFUSED else "environment"] = result
        return result.entry.code not in REFUSED
    snap.environment_status = "Active"
    return True


def _local_currency(client: Any) -> str:
    try:
        return client.general_ledger_setup().local_currency_code
    except (ValueError, TypeError):
        # A setup field in a shape the client cannot parse: companyInformation carries the LCY too.
        return client.company_information().currency_code


def _section(snap: BCSnapshot, name: str, read):
    try:
        return read()
    except (BCError, ValueError, TypeError, KeyError) as exc:
        snap.errors[name] = classify_exception(exc)
        logger.info("Preflight could not read %s: %s", name, exc)
        return None


def _read_stock_locations(snap: BCSnapshot, client: Any) -> None:
    locations = _section(snap, "locations", lambda: client.list_records(entities.LOCATIONS, select=["code"]))
    if locations is not None:
        snap.location_codes = {location.code for location in locations}
    try:
        # One entry is enough to know the page answers (the stock flow reads them all).
        next(client.iter_page_rows(entities.ITEM_LEDGER_ENTRIES_PAGE, select=("Entry_No",), page_size=1), None)
    except PageNotPublished:
        snap.unpublished_pages.add(entities.ITEM_LEDGER_ENTRIES_PAGE)
    except BCError as exc:
        snap.errors["item_ledger_entries"] = classify_exception(exc)


def _read_pages(snap: BCSnapshot, client: Any) -> None:
    try:
        rows = client.vat_posting_setup()
    except PageNotPublished:
        snap.unpublished_pages.add(entities.VAT_POSTING_SETUP_PAGE)
    else:
        snap.vat_setup = {(r.vat_bus_posting_group, r.vat_prod_posting_group): r.blocked for r in rows}
    series, lines = None, None
    try:
        series = client.no_series()
    except PageNotPublished:
        snap.unpublished_pages.add(entities.NO_SERIES_PAGE)
    try:
        lines = client.no_series_lines()
    except PageNotPublished:
        snap.unpublished_pages.add(entities.NO_SERIES_LINES_PAGE)
    if series is None or lines is None:
        return
    by_code: dict[str, list[SeriesLine]] = {}
    for line in sorted(lines, key=lambda line: (line.series_code, line.line_no)):
        by_code.setdefault(line.series_code, []).append(
            SeriesLine(
                starting_no=line.starting_no,
                ending_no=line.ending_no,
                last_no_used=line.last_no_used,
                warning_no=line.warning_no,
                increment_by=line.increment_by_no or 1,
                open=line.open,
                starting_date=line.starting_date,
            )
        )
    snap.number_series = {
        s.code: Series(code=s.code, manual_nos=s.manual_nos, lines=tuple(by_code.get(s.code, ()))) for s in series
    }


def _read_numbers(snap: BCSnapshot, client: Any) -> None:
    """Record numbers per purpose: they show which series BC uses and whether records sit ahead of it."""
    numbers = snap.numbers_by_purpose
    customers = _section(
        snap, "customers", lambda: client.list_records(entities.CUSTOMERS, select=["number", "blocked", "taxAreaId"])
    )
    numbers["customers"] = [c.number for c in customers or []]
    if customers is not None:  # also shows whether the collective customers exist and are not blocked
        snap.customers = {c.number: (c.blocked or "").strip() for c in customers}
        # The API's taxAreaId is the VAT Bus. Posting Group in a VAT company (taxAreas lists both kinds).
        areas = _section(snap, "taxAreas", lambda: client.list_records(entities.TAX_AREAS)) or []
        code_by_id = {area.id: area.code for area in areas}
        snap.customer_vat_groups = {c.number: code_by_id.get(c.tax_area_id, "") for c in customers}
    for entity, draft, posted in (
        (entities.SALES_INVOICES, "salesInvoices", "postedSalesInvoices"),
        (entities.SALES_CREDIT_MEMOS, "salesCreditMemos", "postedSalesCreditMemos"),
    ):
        rows = _section(snap, entity.name, lambda e=entity: client.list_records(e, select=["number", "status"]))
        numbers[draft] = [r.number for r in rows or [] if r.status == "Draft"]
        numbers[posted] = [r.number for r in rows or [] if r.status != "Draft"]
    orders = _section(snap, "salesOrders", lambda: client.list_records(entities.SALES_ORDERS, select=["number"]))
    numbers["salesOrders"] = [o.number for o in orders or []]


def _read_journals(snap: BCSnapshot, client: Any) -> None:
    batches = []
    for entity in (entities.CUSTOMER_PAYMENT_JOURNALS, entities.JOURNALS):
        rows = _section(snap, entity.name, lambda e=entity: client.list_records(e))
        if rows is None:
            continue
        for row in rows:
            template = getattr(row, "template_display_name", "") or ""
            account = row.balancing_account_number
            batches.append(JournalBatch(code=row.code, template=template, balancing_account=account, id=row.id))
    snap.journal_batches = batches
    try:
        templates = client.journal_templates()
        every = client.journal_batches()
    except PageNotPublished as exc:
        snap.unpublished_pages.add(exc.page)
        return
    except (BCError, ValueError, TypeError, KeyError) as exc:
        snap.errors["journal_templates"] = classify_exception(exc)
        return
    snap.journal_templates = {
        t.name: JournalTemplate(name=t.name, type=t.type, recurring=t.recurring) for t in templates
    }
    snap.all_batches = [
        JournalBatch(code=b.name, template=b.template, balancing_account=b.balancing_account_number) for b in every
    ]


def _read_accounts(snap: BCSnapshot, client: Any) -> None:
    accounts = _section(snap, "accounts", lambda: client.list_records(entities.ACCOUNTS))
    if accounts is not None:
        snap.gl_accounts = {
            a.number: GLAccount(number=a.number, account_type=a.account_type or "Posting", blocked=a.blocked)
            for a in accounts
        }
    banks = _section(snap, "bankAccounts", lambda: client.list_records(entities.BANK_ACCOUNTS))
    if banks is not None:
        snap.bank_accounts = {
            b.number: BankAccount(number=b.number, currency=(b.currency_code or "").upper(), blocked=b.blocked)
            for b in banks
        }


def _probe_customer(snap: BCSnapshot, client: Any) -> tuple[str, dict | None]:
    """A customer number for the sales documents of the probe. With no customer in the company, one is
    created inside the rolled-back batch: its number is the next of the customers' number series (or a
    manual number when the series cannot be read)."""
    customer = next(client.iter_records(entities.CUSTOMERS, select=["number"], page_size=1), None)
    if customer is not None:
        return customer.number, None
    series = series_by_purpose(snap).get("customers") if snap.number_series is not None else None
    predicted = next_number(series) if series else ""
    body = {"displayName": PROBE_NAME}
    if not predicted:
        predicted = "PFPROBE"
        body["number"] = predicted
    return predicted, body


def _probe_permissions(snap: BCSnapshot, client: Any, plan: ProbePlan) -> None:
    """Read one row of each entity and try every write the enabled flows make, in one atomic $batch that
    ends in a failure (BC then rolls every write back)."""
    customer_number, new_customer = _probe_customer(snap, client)
    company_path = client.entity_path(entities.CUSTOMERS).rsplit("/", 1)[0]
    writes: list[tuple[str, str, dict]] = []  # (label, path, body)
    if new_customer is not None:
        writes.append(("customers", "customers", new_customer))  # first: the documents below need it
    elif plan.customers:
        writes.append(("customers", "customers", {"displayName": PROBE_NAME}))
    if plan.items:
        writes.append(("items", "items", {"displayName": PROBE_NAME}))
    for wanted, name in (
        (plan.sales_invoices, "salesInvoices"),
        (plan.sales_orders, "salesOrders"),
        (plan.credit_memos, "salesCreditMemos"),
    ):
        if wanted:
            writes.append((name, name, {"customerNumber": customer_number}))
    writes.append(
        ("customerPaymentJournals", "customerPaymentJournals", {"code": "PFPROBE", "displayName": PROBE_NAME})
    )
    ids = {(b.template, b.code): b.id for b in snap.journal_batches or []}
    for code in plan.payment_batches:
        if batch_id := ids.get(("", code)):
            body = {"customerNumber": customer_number, "amount": -1, "description": PROBE_NAME}
            writes.append((f"customerPayments ({code})", f"customerPaymentJournals({batch_id})/customerPayments", body))
    general = {b.code: b.id for b in snap.journal_batches or [] if b.template}
    for code in plan.general_batches:
        if batch_id := general.get(code):
            writes.append((f"journalLines ({code})", f"journals({batch_id})/journalLines", {"description": PROBE_NAME}))
    reads = list(PROBED_ENTITIES)
    operations = [BatchOperation("GET", f"{company_path}/{name}?$top=1", id=f"read-{name}") for name in reads]
    operations += [
        BatchOperation("POST", f"{company_path}/{path}", body=body, id=f"write-{index}")
        for index, (_label, path, body) in enumerate(writes)
    ]
    operations.append(BatchOperation("POST", f"{company_path}/{ROLLBACK_TRIGGER}", body={}, id="rollback"))
    results = {r.id: r for r in client.batch(operations, isolation_snapshot=True)}
    rollback = results.get("rollback")
    if rollback is not None and rollback.ok:  # pragma: no cover - BC never accepts an unknown entity set
        raise BCError("The permission probe was not rolled back.")
    written = {label: results.get(f"write-{index}") for index, (label, _path, _body) in enumerate(writes)}
    for name in reads:
        read, write = results.get(f"read-{name}"), written.pop(name, None)
        snap.permissions.append(
            PermissionProbe(
                entity=name,
                can_read=not _denied(read),
                can_write=not _denied(write),
                message=str(write.error) if write is not None and write.error else "",
            )
        )
    for label, write in written.items():
        snap.permissions.append(
            PermissionProbe(
                entity=label,
                can_read=True,
                can_write=not _denied(write),
                message=str(write.error) if write is not None and write.error else "",
            )
        )


def _denied(result) -> bool:
    """Only a permission error counts: a write refused for its data still shows the right to write."""
    if result is None or result.ok or result.error is None:
        return False
    return classify_exception(result.error).entry.code == "BC-004"
