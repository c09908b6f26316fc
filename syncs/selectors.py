"""Read side of syncs for the merchant monitoring pages: records, runs and the health check.

Every read takes an integration the caller already scoped to the user's tenant
(``integration_get_for_user``), or the user and ids and answers Http404 for anything outside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from integrations.models import Flow, Integration
from integrations.selectors import integration_get_for_user
from syncs.errors import ErrorEntry, find_error
from syncs.models import EntityType, PreflightCheckResult, PreflightRun, RecordLink, SyncLogEntry, SyncRun
from syncs.services.bc_links import bc_document_url

RECORDS_PER_PAGE = 50
RUNS_PER_PAGE = 50
RECORD_LOG_LIMIT = 100
FLOW_OF_ENTITY = {
    EntityType.ORDER: Flow.ORDERS,
    EntityType.REFUND: Flow.REFUNDS,
    EntityType.CUSTOMER: Flow.CUSTOMERS,
    EntityType.ITEM: Flow.PRODUCTS,
    EntityType.STOCK: Flow.STOCK,
    EntityType.PAYOUT: Flow.PAYOUTS,
    EntityType.PAYMENT: Flow.PAYOUTS,
}
# The sales document a record becomes in BC (the web client page that shows it).
DOCUMENT_KIND_OF_ENTITY = {EntityType.ORDER: "invoice", EntityType.REFUND: "credit_memo"}
PREFLIGHT_HISTORY = 10

# The raw payloads are large JSON documents: lists never load them.
_HEAVY_LINK_FIELDS = ("raw_source", "raw_target", "details")

PREFLIGHT_CHECK_LABELS = {
    "connection.token": _("Sign-in to Business Central"),
    "connection.environment": _("Business Central environment"),
    "connection.company": _("Company"),
    "connection.permissions": _("Permissions of the integration user"),
    "environment.sandbox_tested": _("Tested in a sandbox"),
    "currencies.exist": _("Currencies"),
    "currencies.exchange_rates": _("Exchange rates"),
    "currencies.local_currency": _("Local currency"),
    "number_series.available": _("Number series available"),
    "number_series.overlap": _("Number series overlap"),
    "number_series.manual": _("Manual numbers in number series"),
    "vat.posting_setup": _("VAT posting setup"),
    "mappings.payment_methods": _("Payment method mappings"),
    "mappings.shipping_methods": _("Shipping method mappings"),
    "mappings.countries": _("Country mappings"),
    "mappings.collective_customers": _("Collective customers"),
    "payment_journal.batch": _("Payment journal batch"),
    "payment_journal.balancing_account": _("Balancing account of the payment journal"),
    "payment_journal.payout_accounts": _("Payout accounts"),
    "stock.locations": _("Stock locations"),
    "documents.dimensions": _("Dimensions on documents"),
    "documents.salesperson": _("Salesperson on documents"),
    "documents.location": _("Location on documents"),
    "documents.number_prefix": _("Document number prefix"),
}


# --- records ---------------------------------------------------------------------------------


def record_link_list(
    *, integration: Integration, entity_type: str = "", state: str = "", search: str = ""
) -> QuerySet[RecordLink]:
    """The integration's records, newest change first, narrowed by entity type, state and a reference.

    ``search`` matches the shop reference (with or without its "#"), the BC document number or the
    shop's own id.
    """
    links = RecordLink.objects.filter(integration=integration).defer(*_HEAVY_LINK_FIELDS)
    if entity_type:
        links = links.filter(entity_type=entity_type)
    if state:
        links = links.filter(state=state)
    search = search.strip()
    if search:
        links = links.filter(
            Q(source_reference__icontains=search)
            | Q(target_number__icontains=search)
            | Q(source_id=search)
            | Q(source_reference=f"#{search.lstrip('#')}")
        )
    return links.order_by("-updated_at", "-pk")


def record_link_page(
    *,
    integration: Integration,
    entity_type: str = "",
    state: str = "",
    search: str = "",
    page_number: int | str | None = 1,
    per_page: int = RECORDS_PER_PAGE,
) -> Page:
    """One page of ``record_link_list``; each row carries ``error_entry`` (its catalogue entry or None)."""
    links = record_link_list(integration=integration, entity_type=entity_type, state=state, search=search)
    page = Paginator(links, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    for link in page.object_list:
        link.error_entry = find_error(link.last_error_code) if link.last_error_code else None
    return page


@dataclass
class RecordLinkCounts:
    by_type: list[tuple[str, str, int]]  # (entity type, label, count) for the types that have records
    by_state: dict[str, int]
    failed: int  # failed records of ``entity_type`` (all types when none is given)


def record_link_counts(*, integration: Integration, entity_type: str = "") -> RecordLinkCounts:
    """How many records the integration has per entity type and per state, in one query."""
    rows = (
        RecordLink.objects.filter(integration=integration)
        .order_by()
        .values("entity_type", "state")
        .annotate(n=Count("pk"))
    )
    by_type: dict[str, int] = {}
    by_state: dict[str, int] = {}
    failed = 0
    for row in rows:
        if row["state"] == RecordLink.State.FAILED and row["entity_type"] == (entity_type or row["entity_type"]):
            failed += row["n"]
        by_type[row["entity_type"]] = by_type.get(row["entity_type"], 0) + row["n"]
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
    return RecordLinkCounts(
        by_type=[(value, label, by_type[value]) for value, label in EntityType.choices if value in by_type],
        by_state=by_state,
        failed=failed,
    )


def record_link_get_for_user(*, user, record_link_id: int) -> RecordLink:
    """A record of one of the user's integrations, or Http404 (another tenant's ids are not revealed).

    The record's integration is checked with ``integration_get_for_user``, the one tenant gate.
    """
    integration_id = RecordLink.objects.filter(pk=record_link_id).values_list("integration_id", flat=True).first()
    if integration_id is None:
        raise Http404("No such record.")
    integration = integration_get_for_user(user=user, integration_id=integration_id)
    link = RecordLink.objects.filter(integration=integration, pk=record_link_id).first()
    if link is None:  # deleted meanwhile
        raise Http404("No such record.")
    link.integration = integration
    return link


@dataclass(frozen=True)
class HistoryRow:
    """One line of a record's history: a log entry, or the successful sync itself."""

    created_at: Any
    level: str
    level_label: str
    flow_label: str
    error_code: str
    message: str
    title: str = ""  # a coded entry's title in the reader's language (the message is the log's, in English)
    logged: bool = True


@dataclass
class RecordLinkDetail:
    link: RecordLink
    error_entry: ErrorEntry | None
    vendor_code: str
    vendor_message: str
    log_entries: list[SyncLogEntry]
    diff: list[dict[str, Any]] = field(default_factory=list)
    raw_source: str = ""
    raw_target: str = ""
    history: list[HistoryRow] = field(default_factory=list)
    document_url: str = ""
    shop_reference: str = ""


def _shop_reference(link: RecordLink) -> str:
    """The shop's own number for the record (an order's "#1001"), never an internal id or gid://."""
    reference = link.source_reference or ""
    if reference and not reference.startswith("gid://"):
        return reference
    tail = (reference or link.source_id).rstrip("/").rsplit("/", 1)[-1]
    return f"#{tail}" if link.entity_type == EntityType.ORDER and tail.isdigit() else tail


def _record_history(link: RecordLink, log_entries: list[SyncLogEntry]) -> list[HistoryRow]:
    """The log entries plus the last successful sync (not logged per record: a page of orders writes no
    log line per success), newest first. Coded entries show the code's title in the reader's language."""
    rows = [
        HistoryRow(
            created_at=entry.created_at,
            level=entry.level,
            level_label=str(entry.get_level_display()),
            flow_label=str(entry.get_flow_display()),
            error_code=entry.error_code,
            message=entry.message,
            title=str(entry.error_entry.title) if entry.error_entry else "",
        )
        for entry in log_entries
    ]
    if link.synced_at and link.target_number:
        flow = FLOW_OF_ENTITY.get(link.entity_type, "")
        rows.append(
            HistoryRow(
                created_at=link.synced_at,
                level="success",
                level_label=gettext("Synced"),
                flow_label=str(Flow(flow).label) if flow else "",
                error_code="",
                message=gettext("Synced to Business Central as %(number)s.") % {"number": link.target_number},
                logged=False,
            )
        )
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


def _pretty_json(value: Any) -> str:
    return "" if value in (None, "", {}, []) else json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def record_link_detail_get(*, user, record_link_id: int) -> RecordLinkDetail:
    """The record with its last error, its log history (newest first), its conflict diff and payloads."""
    link = record_link_get_for_user(user=user, record_link_id=record_link_id)
    log_entries = list(
        SyncLogEntry.objects.filter(integration_id=link.integration_id, record_link=link).order_by(
            "-created_at", "-pk"
        )[:RECORD_LOG_LIMIT]
    )
    for entry in log_entries:
        entry.error_entry = find_error(entry.error_code) if entry.error_code else None
    # BC's own words come with the newest log entry that carries them.
    vendor = next((e.details for e in log_entries if e.details.get("vendor_message")), {})
    diff = ((link.details or {}).get("diff") or []) if link.state == RecordLink.State.CONFLICT else []
    return RecordLinkDetail(
        link=link,
        error_entry=find_error(link.last_error_code) if link.last_error_code else None,
        vendor_code=str(vendor.get("vendor_code") or ""),
        vendor_message=str(vendor.get("vendor_message") or ""),
        log_entries=log_entries,
        diff=list(diff),
        raw_source=_pretty_json(link.raw_source),
        raw_target=_pretty_json(link.raw_target),
        history=_record_history(link, log_entries),
        document_url=_document_url(link),
        shop_reference=_shop_reference(link),
    )


def _document_url(link: RecordLink) -> str:
    kind = DOCUMENT_KIND_OF_ENTITY.get(link.entity_type)
    if not kind or not link.target_number:
        return ""
    details = link.details or {}
    if details.get("document_kind") == "order":
        kind = "order"
    posted = details.get("status", "") not in ("", "Draft")
    return bc_document_url(
        connection=getattr(link.integration, "bc_connection", None), kind=kind, posted=posted, number=link.target_number
    )


# --- runs ------------------------------------------------------------------------------------


def sync_runs_with_first_error(runs: QuerySet[SyncRun]) -> QuerySet[SyncRun]:
    """Each run with ``first_error_code`` and ``first_error_message``: the run's own error, else its
    first error log line (a partly failed run finishes without an error of its own)."""
    first = SyncLogEntry.objects.filter(run=OuterRef("pk"), level=SyncLogEntry.Level.ERROR).order_by("pk")
    return runs.annotate(
        logged_error_code=Subquery(first.values("error_code")[:1]),
        logged_error_message=Subquery(first.values("message")[:1]),
    )


def sync_run_list(*, integration: Integration, flow: str = "", status: str = "") -> QuerySet[SyncRun]:
    runs = sync_runs_with_first_error(SyncRun.objects.filter(integration=integration).defer("parameters"))
    if flow:
        runs = runs.filter(flow=flow)
    if status:
        runs = runs.filter(status=status)
    return runs.order_by("-created_at", "-pk")


def sync_run_page(
    *,
    integration: Integration,
    flow: str = "",
    status: str = "",
    page_number: int | str | None = 1,
    per_page: int = RUNS_PER_PAGE,
) -> Page:
    page = Paginator(sync_run_list(integration=integration, flow=flow, status=status), per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


# --- health check ----------------------------------------------------------------------------


def _object_label(obj: Any) -> str:
    """A BC object a check names, as one line: "CUST" or "page: 30, service_name: Items"."""
    if isinstance(obj, dict):
        return ", ".join(f"{key}: {value}" for key, value in obj.items())
    if isinstance(obj, list | tuple):
        return " / ".join(str(part) for part in obj)
    return str(obj)


@dataclass
class PreflightOverview:
    latest: PreflightRun | None
    results: list[PreflightCheckResult]
    history: list[PreflightRun]


def preflight_overview_get(*, integration: Integration, history: int = PREFLIGHT_HISTORY) -> PreflightOverview:
    """The newest health check with its results (failures first), and the runs before it."""
    runs = list(PreflightRun.objects.filter(integration=integration).order_by("-started_at", "-pk")[: history + 1])
    latest = runs[0] if runs else None
    results: list[PreflightCheckResult] = []
    if latest is not None:
        order = {PreflightCheckResult.Status.FAILED: 0, PreflightCheckResult.Status.WARNING: 1}
        results = sorted(latest.results.order_by("pk"), key=lambda r: order.get(r.status, 2))
        for result in results:
            result.label = PREFLIGHT_CHECK_LABELS.get(result.check_name, result.check_name)
            result.error_entry = find_error(result.error_code) if result.error_code else None
            result.object_labels = [_object_label(obj) for obj in result.objects_json or []]
    return PreflightOverview(latest=latest, results=results, history=runs[1:])
