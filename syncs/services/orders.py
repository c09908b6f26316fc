"""Orders from the shop into Business Central: one correct BC document per order, exactly once.

A page of orders costs a constant number of database queries and a handful of $batch requests:
links are read and written in bulk, items and customers are looked up per page (and cached for
the run), documents are created, checked and posted 100 operations per request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import F
from django.utils import timezone

from integrations.commerce import Order
from integrations.connectors.businesscentral import BCError, entities, odata
from integrations.models import Flow, Integration
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.errors import ClassifiedError, ProductError, classify_exception
from syncs.mapping import codes
from syncs.mapping.currency import money_pick, order_currency, total_tolerance
from syncs.mapping.customers import customer_plan, order_country
from syncs.mapping.digest import fingerprint_diff, fingerprint_digest, order_fingerprint
from syncs.mapping.lines import ItemRef, order_item_keys
from syncs.mapping.orders import order_document_build, order_is_fulfilled
from syncs.mapping.products import VARIANT_CODE_LENGTH, VARIANT_SKU_SEPARATOR
from syncs.mapping.settings import MappingSettings, mapping_settings_load, split_list
from syncs.mapping.types import DocumentDraft, DocumentKind, MappingError, Problem
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from syncs.services.batches import Lanes, lanes_for
from syncs.services.customers import CustomerCache, customers_resolve
from syncs.services.documents import Checkpoint, DocumentJob, Sending, documents_write
from syncs.services.runs import sync_log, sync_log_error
from syncs.services.shop_source import shop_source_system

PAGE_SIZE = 100  # orders per $batch request; a page holds one request per lane
LOOKUP_CHUNK = 40
PAID_STATUSES = {"PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"}
ZERO = Decimal("0")


# --- per-run context -------------------------------------------------------------------------------


@dataclass
class OrdersContext:
    integration: Integration
    client: BCClient
    settings: MappingSettings
    run: SyncRun | None = None
    checkpoint: Checkpoint | None = None
    items: dict[str, ItemRef | None] = field(default_factory=dict)
    customers: CustomerCache = field(default_factory=CustomerCache)
    shipment_methods: dict[str, str] | None = None  # BC code (upper case) -> id, read once per run
    location_id: str | None = None  # the integration's location code resolved to BC's id, once per run
    salesperson_ok: bool | None = None  # the salesperson code exists and is not blocked (read once per run)
    dimension_values: dict[str, set[str]] | None = None  # dimension code -> its value codes, once per run
    sending: Sending = field(default_factory=Sending)

    @property
    def items_found(self) -> dict[str, ItemRef]:
        return {key: ref for key, ref in self.items.items() if ref is not None}


@dataclass
class OrdersSyncResult:
    seen: int = 0
    created: int = 0
    linked: int = 0
    skipped: int = 0
    failed: int = 0
    conflicts: int = 0
    states: dict[str, str] = field(default_factory=dict)  # order name -> link state
    refunds: OrdersSyncResult | None = None

    def add(self, other: OrdersSyncResult) -> None:
        for name in ("seen", "created", "linked", "skipped", "failed", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.states.update(other.states)
        if other.refunds is not None:
            self.refunds = self.refunds or OrdersSyncResult()
            self.refunds.add(other.refunds)


def orders_context(
    *,
    integration: Integration,
    client: BCClient,
    run: SyncRun | None = None,
    checkpoint: Checkpoint | None = None,
    sending: Sending | None = None,
) -> OrdersContext:
    return OrdersContext(
        integration=integration,
        client=client,
        settings=mapping_settings_load(integration=integration),
        run=run,
        checkpoint=checkpoint,
        sending=sending or Sending(),
    )


# --- filters ---------------------------------------------------------------------------------------


RISK_RANK = {"NONE": 0, "LOW": 1, "PENDING": 2, "MEDIUM": 2, "HIGH": 3}


def order_skip_reason(*, order: Order, integration: Integration) -> str:
    """Why an order is not synced ("" = it is). The exclusion date is a hard cutoff."""
    if integration.order_exclusion_date and order.created_at < integration.order_exclusion_date:
        return "created before the order exclusion date"
    if order.cancelled_at:
        return "cancelled"
    filtered = order_filter_reason(order=order, integration=integration)
    if filtered:
        return filtered
    if order.financial_status.upper() not in PAID_STATUSES and not integration.sync_unpaid_orders:
        return f"not paid ({order.financial_status.lower()})"
    return ""


def order_filter_reason(*, order: Order, integration: Integration) -> str:
    """The merchant's order filters (test flag, tags, sales channel, risk): why the order is left
    out ("" = it passes). Such an order is recorded as skipped with this reason (MAP-019)."""
    if order.test and not integration.sync_test_orders:
        return "test order"
    tags = {tag.strip().casefold() for tag in order.tags}
    required = [tag for tag in split_list(integration.order_tags_required)]
    if required and not tags & {tag.casefold() for tag in required}:
        return f"has none of the tags {', '.join(required)}"
    excluded = [tag for tag in split_list(integration.order_tags_excluded) if tag.casefold() in tags]
    if excluded:
        return f"tagged {', '.join(excluded)}"
    channels = {c.casefold() for c in split_list(integration.order_sales_channels)}
    channel = order.sales_channel
    # A platform without sales channels (WooCommerce) has none to filter by.
    if channels and channel and channel.casefold() not in channels and order.source_name.casefold() not in channels:
        return f"sales channel {channel} is not synced"
    if integration.order_max_risk:
        level = (order.risk_level or "").upper()
        if level and RISK_RANK.get(level, 3) > RISK_RANK[integration.order_max_risk]:
            return f"{level.lower()} risk"
    return ""


# --- lookups ---------------------------------------------------------------------------------------


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def items_resolve(*, ctx: OrdersContext, keys: Iterable[str]) -> dict[str, ItemRef]:
    """BC items for SKU keys, one filtered read per 40 keys, remembered for the run.

    A key that is no item is tried as a variant SKU (``<item>-<variant code>``, as the products flow
    writes them): the item before a separator and the variant after it, in two more bulk reads.
    """
    wanted = sorted({key for key in keys if key and key not in ctx.items})
    bc_field = "gtin" if ctx.settings.sku_rule == Integration.SkuRule.GTIN else "number"
    for group in _chunks(wanted, LOOKUP_CHUNK):
        found: dict[str, ItemRef | None] = dict.fromkeys(group)
        for item in ctx.client.iter_records(
            entities.ITEMS,
            filter=odata.any_of(bc_field, group),
            select=["id", "number", "gtin", "taxGroupCode", "blocked"],
        ):
            key = item.gtin if bc_field == "gtin" else item.number
            found[key] = ItemRef(number=item.number, id=item.id, tax_group_code=item.tax_group_code)
        missing = [key for key, ref in found.items() if ref is None]
        if missing:
            found.update(_variants_resolve(ctx=ctx, keys=missing, bc_field=bc_field))
        # Remembered only once read: a failed read must not leave the SKUs "not in BC" for the run.
        ctx.items.update(found)
    return ctx.items_found


def _variant_splits(key: str) -> list[tuple[str, str]]:
    """Every (item key, variant code) a variant SKU can be cut into; variant codes are Code[10]."""
    parts = []
    for index, char in enumerate(key):
        if char == VARIANT_SKU_SEPARATOR and 0 < index < len(key) - 1:
            item_key, code = key[:index], key[index + 1 :]
            if len(code) <= VARIANT_CODE_LENGTH:
                parts.append((item_key, code.upper()))
    return parts


def _variants_resolve(*, ctx: OrdersContext, keys: list[str], bc_field: str) -> dict[str, ItemRef]:
    splits = {key: _variant_splits(key) for key in keys}
    item_keys = sorted({item_key for parts in splits.values() for item_key, _ in parts})
    if not item_keys:
        return {}
    items = {}
    for group in _chunks(item_keys, LOOKUP_CHUNK):
        for item in ctx.client.iter_records(
            entities.ITEMS,
            filter=odata.any_of(bc_field, group),
            select=["id", "number", "gtin", "taxGroupCode", "blocked"],
        ):
            items[item.gtin if bc_field == "gtin" else item.number] = item
    variants = {}
    numbers = sorted({item.number for item in items.values()})
    for group in _chunks(numbers, LOOKUP_CHUNK):
        for variant in ctx.client.iter_records(
            entities.ITEM_VARIANTS, filter=odata.any_of("itemNumber", group), select=["id", "itemNumber", "code"]
        ):
            variants[(variant.item_number, variant.code.upper())] = variant
    found = {}
    for key, parts in splits.items():
        for item_key, code in parts:
            item = items.get(item_key)
            variant = variants.get((item.number, code)) if item is not None else None
            if variant is not None:
                found[key] = ItemRef(
                    number=item.number,
                    id=item.id,
                    tax_group_code=item.tax_group_code,
                    variant_id=variant.id,
                    variant_code=variant.code,
                )
                break
    return found


def shipment_methods_resolve(*, ctx: OrdersContext) -> dict[str, str]:
    """BC's shipment methods (code -> id), one list read per run, only when a mapping names a code."""
    if ctx.shipment_methods is None:
        if not any(rule.shipment_method_code for rule in ctx.settings.shipping.values()):
            ctx.shipment_methods = {}
        else:
            ctx.shipment_methods = {
                row.code.upper(): row.id
                for row in ctx.client.iter_records(entities.SHIPMENT_METHODS, select=["id", "code"])
            }
    return ctx.shipment_methods


def _with_shipment_method(*, ctx: OrdersContext, draft: DocumentDraft) -> DocumentDraft:
    """The draft with its shipment method's BC id; an unknown code raises MappingError (MAP-015)."""
    code = draft.shipment_method_code
    if not code:
        return draft
    method_id = shipment_methods_resolve(ctx=ctx).get(code.upper())
    if not method_id:
        raise MappingError([Problem(codes.SHIPMENT_METHOD_UNKNOWN, {"code": code})])
    return replace(draft, shipment_method_id=method_id)


def header_lookups_resolve(*, ctx: OrdersContext) -> None:
    """Read once per run what the header settings name: the location, the salesperson, the dimensions."""
    settings = ctx.settings
    if settings.location_code and ctx.location_id is None:
        found = ctx.client.list_records(
            entities.LOCATIONS, filter=odata.eq("code", settings.location_code), select=["id", "code"]
        )
        ctx.location_id = found[0].id if found else ""
    if settings.salesperson_code and ctx.salesperson_ok is None:
        found = ctx.client.list_records(
            entities.SALESPEOPLE, filter=odata.eq("code", settings.salesperson_code), select=["code", "blocked"]
        )
        ctx.salesperson_ok = bool(found) and not found[0].blocked
    if settings.dimensions:
        dimension_values_resolve(ctx=ctx)


def _with_header_defaults(*, ctx: OrdersContext, draft: DocumentDraft) -> DocumentDraft:
    """Location on item lines, salesperson and dimensions checked against what BC holds (read by
    ``header_lookups_resolve``); an unknown code raises MappingError (MAP-023, MAP-024, MAP-020)."""
    settings = ctx.settings
    header_lookups_resolve(ctx=ctx)
    problems: list[Problem] = []
    if settings.location_code:
        if not ctx.location_id:
            problems.append(Problem(codes.LOCATION_UNKNOWN, {"code": settings.location_code}))
        else:
            lines = tuple(
                replace(line, location_id=ctx.location_id) if line.line_type == "Item" else line for line in draft.lines
            )
            draft = replace(draft, lines=lines)
    if settings.salesperson_code and not ctx.salesperson_ok:
        problems.append(Problem(codes.SALESPERSON_UNKNOWN, {"code": settings.salesperson_code}))
    if draft.dimensions:
        values = dimension_values_resolve(ctx=ctx)
        for code, value in draft.dimensions:
            if value.upper() not in values.get(code.upper(), set()):
                problems.append(Problem(codes.DIMENSION_UNKNOWN, {"dimension_code": code, "value": value}))
    if problems:
        raise MappingError(problems)
    return draft


def dimension_values_resolve(*, ctx: OrdersContext) -> dict[str, set[str]]:
    """BC's dimensions and their value codes, read once per run (only when a mapping names one)."""
    if ctx.dimension_values is None:
        dimensions = {
            row.id: row.code.upper() for row in ctx.client.iter_records(entities.DIMENSIONS, select=["id", "code"])
        }
        values: dict[str, set[str]] = {code: set() for code in dimensions.values()}
        for row in ctx.client.iter_records(entities.DIMENSION_VALUES, select=["code", "dimensionId"]):
            if row.dimension_id in dimensions:
                values[dimensions[row.dimension_id]].add(row.code.upper())
        ctx.dimension_values = values
    return ctx.dimension_values


# --- links -----------------------------------------------------------------------------------------


def _links_for(*, integration: Integration, entity_type: str, source_ids: list[str]) -> dict[str, RecordLink]:
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=entity_type,
        source_system=shop_source_system(integration=integration),
        source_id__in=source_ids,
    )
    return {link.source_id: link for link in rows}


def links_ensure(*, integration: Integration, entity_type: str, references: dict[str, str]) -> dict[str, RecordLink]:
    """Existing links plus a pending link for every new source id (unique per source record)."""
    links = _links_for(integration=integration, entity_type=entity_type, source_ids=list(references))
    new = [
        RecordLink(
            integration=integration,
            entity_type=entity_type,
            source_system=shop_source_system(integration=integration),
            source_id=source_id,
            source_reference=reference[:100],
        )
        for source_id, reference in references.items()
        if source_id not in links
    ]
    if new:
        RecordLink.objects.bulk_create(new, ignore_conflicts=True)
        links = _links_for(integration=integration, entity_type=entity_type, source_ids=list(references))
    return links


def _error_text(error: ClassifiedError, extra: dict | None = None) -> str:
    text = error.message
    if extra and "bc_total" in extra:
        text += f" Business Central: {extra['bc_total']} {extra['currency']}, shop: {extra['shop_total']}."
    if error.vendor_message and error.vendor_message not in text:
        text += f" Business Central said: {error.vendor_message}"
    return text


def link_fail(
    *, ctx: OrdersContext, link: RecordLink, error: ClassifiedError, flow: str, extra: dict | None = None
) -> None:
    """Mark the link failed (in memory; saved in bulk) and write the run's log entry."""
    link.state = RecordLink.State.FAILED
    link.last_error_code = error.code
    link.last_error_message = _error_text(error, extra)
    sync_log_error(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=flow,
        error=error,
        message=f"{link.source_reference or link.source_id}: {link.last_error_message}",
        record_link=link,
        details={**error.details, **(extra or {})},
    )


def problems_error(problems: list[Problem]) -> ClassifiedError:
    """The first problem is the link's code; the message lists every problem."""
    errors = [classify_exception(ProductError(problem.code, **problem.params)) for problem in problems]
    first = errors[0]
    if len(errors) == 1:
        return first
    message = " ".join(dict.fromkeys(error.message for error in errors))
    return ClassifiedError(entry=first.entry, message=message, details={"problems": [p.code for p in problems]})


LINK_FIELDS = [
    "state",
    "target_id",
    "target_number",
    "target_etag",
    "payload_digest",
    "last_error_code",
    "last_error_message",
    "raw_source",
    "raw_target",
    "details",
    "synced_at",
    "updated_at",
]


def jsonable(value: Any) -> Any:
    """Vendor JSON parsed with Decimals -> what a JSONField stores."""
    return json.loads(json.dumps(value, default=str)) if value else None


def links_save(links: Iterable[RecordLink]) -> None:
    links = list(links)
    now = timezone.now()
    for link in links:
        link.updated_at = now
    if links:
        RecordLink.objects.bulk_update(links, LINK_FIELDS, batch_size=200)


def _invoice_id(job: DocumentJob) -> str:
    """The posted invoice a refund applies to ("" while a sales order is not invoiced, or on failure)."""
    if job.invoice is not None:
        return job.invoice.id
    if job.final is None or job.draft.kind == DocumentKind.ORDER:
        return ""
    return job.final.id


def job_apply(*, ctx: OrdersContext, job: DocumentJob, link: RecordLink, flow: str, details: dict) -> str:
    """Store a written document's outcome on its link; returns "created", "linked" or "failed"."""
    final = job.final
    if final is not None:
        link.target_id = final.id
        link.target_number = final.number
        link.target_etag = final.etag
        link.raw_target = jsonable(final.raw)
    link.details = {
        **link.details,
        **details,
        "document_kind": str(job.draft.kind),
        "customer_number": job.draft.customer_number,
        "shop_total": str(job.draft.expected_total),
        "bc_total": str(final.total_amount_including_tax) if final is not None else "",
        "status": final.status if final is not None else "",
        "invoice_id": _invoice_id(job),
    }
    link.details.pop("cuts", None)
    if job.cuts:
        link.details["cuts"] = job.cuts
        shortened = classify_exception(
            ProductError(
                codes.TEXT_SHORTENED,
                field=", ".join(cut["field"] for cut in job.cuts),
                original_length=max(cut["original_length"] for cut in job.cuts),
                length=min(cut["length"] for cut in job.cuts),
            )
        )
        sync_log(
            run=ctx.run,
            integration_id=ctx.integration.pk,
            flow=flow,
            level=SyncLogEntry.Level.WARNING,
            message=f"{link.source_reference}: {shortened.message}",
            error_code=codes.TEXT_SHORTENED,
            details={"cuts": job.cuts},
            record_link=link,
        )
    for note in job.notes:
        sync_log(
            run=ctx.run,
            integration_id=ctx.integration.pk,
            flow=flow,
            level=SyncLogEntry.Level.WARNING,
            message=f"{link.source_reference}: {note}",
            record_link=link,
        )
    if job.error is not None:
        link_fail(ctx=ctx, link=link, error=job.error, flow=flow, extra=job.total_mismatch)
        return "failed"
    link.state = RecordLink.State.SYNCED
    link.synced_at = timezone.now()
    link.last_error_code = ""
    link.last_error_message = ""
    if job.total_mismatch:
        # Already posted (found that way): keep it linked, but visible with both figures.
        error = classify_exception(
            ProductError(codes.TOTAL_MISMATCH, order=job.draft.external_document_number, **job.total_mismatch)
        )
        link_fail(ctx=ctx, link=link, error=error, flow=flow, extra=job.total_mismatch)
        link.state = RecordLink.State.SYNCED
    return "created" if job.created else "linked"


# --- the page ------------------------------------------------------------------------------------


def _conflict(*, ctx: OrdersContext, link: RecordLink, fingerprint: dict, digest: str) -> bool:
    """An order edited after sync: flag it with a field diff, change nothing in BC."""
    if link.details.get("conflict_digest") == digest:
        return False
    diff = fingerprint_diff(link.details.get("fingerprint") or {}, fingerprint)
    link.state = RecordLink.State.CONFLICT
    link.details = {**link.details, "conflict_digest": digest, "diff": diff}
    error = classify_exception(ProductError(codes.ORDER_CONFLICT, order=link.source_reference))
    link.last_error_code = error.code
    link.last_error_message = error.message
    sync_log_error(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=Flow.ORDERS,
        level=SyncLogEntry.Level.WARNING,
        error=error,
        message=f"{link.source_reference}: {error.message}",
        record_link=link,
        details={"diff": diff},
    )
    return True


def _order_job(*, ctx: OrdersContext, order: Order, customer_numbers: dict[str, str | ClassifiedError]):
    plan = customer_plan(order=order, settings=ctx.settings)
    if isinstance(plan, Problem):
        return problems_error([plan])
    customer = plan.number or customer_numbers.get(plan.source_id)
    if isinstance(customer, ClassifiedError):
        return customer
    try:
        draft = order_document_build(
            order=order, settings=ctx.settings, items=ctx.items_found, customer_number=customer or ""
        )
        draft = _with_shipment_method(ctx=ctx, draft=draft)
        draft = _with_header_defaults(ctx=ctx, draft=draft)
    except MappingError as exc:
        return problems_error(exc.problems)
    return DocumentJob(key=order.id, draft=draft)


def orders_filtered_record(*, ctx: OrdersContext, filtered: dict[str, tuple[Order, str]]) -> None:
    """An order the merchant's filters leave out is never silently lost: its record says "skipped"
    with the reason (MAP-019) and the run logs it once, when the reason is new. A record already
    written to BC stays as it is."""
    links = links_ensure(
        integration=ctx.integration,
        entity_type=EntityType.ORDER,
        references={order_id: order.name for order_id, (order, _reason) in filtered.items()},
    )
    changed = []
    for order_id, (order, reason) in filtered.items():
        link = links[order_id]
        if link.target_id or link.state in (RecordLink.State.SYNCED, RecordLink.State.CONFLICT):
            continue
        error = classify_exception(ProductError(codes.ORDER_FILTERED, order=order.name, reason=reason))
        if link.state == RecordLink.State.SKIPPED and link.last_error_message == error.message:
            continue
        link.state = RecordLink.State.SKIPPED
        link.last_error_code = error.code
        link.last_error_message = error.message
        link.details = {**link.details, "skip_reason": reason}
        changed.append(link)
        sync_log(
            run=ctx.run,
            integration_id=ctx.integration.pk,
            flow=Flow.ORDERS,
            level=SyncLogEntry.Level.INFO,
            message=f"{order.name}: {error.message}",
            error_code=error.code,
            details={"reason": reason},
            record_link=link,
        )
    links_save(changed)


def orders_page_sync(*, ctx: OrdersContext, orders: list[Order]) -> OrdersSyncResult:
    result = OrdersSyncResult(seen=len(orders))
    candidates = []
    filtered: dict[str, tuple[Order, str]] = {}
    for order in orders:
        reason = order_skip_reason(order=order, integration=ctx.integration)
        if reason:
            result.skipped += 1
            result.states[order.name] = f"skipped: {reason}"
            if reason == order_filter_reason(order=order, integration=ctx.integration):
                filtered[order.id] = (order, reason)
        else:
            candidates.append(order)
    if filtered:
        orders_filtered_record(ctx=ctx, filtered=filtered)
    links = _links_for(
        integration=ctx.integration, entity_type=EntityType.ORDER, source_ids=[order.id for order in candidates]
    )
    changed: list[RecordLink] = []
    fingerprints: dict[str, tuple[dict, str]] = {}
    to_write: list[Order] = []
    for order in candidates:
        fingerprint = order_fingerprint(order)
        digest = fingerprint_digest(fingerprint)
        fingerprints[order.id] = (fingerprint, digest)
        link = links.get(order.id)
        if link is None or not link.target_id or link.state not in (RecordLink.State.SYNCED, RecordLink.State.CONFLICT):
            to_write.append(order)
            continue
        if link.payload_digest != digest:
            if _conflict(ctx=ctx, link=link, fingerprint=fingerprint, digest=digest):
                changed.append(link)
                result.conflicts += 1
            result.states[order.name] = RecordLink.State.CONFLICT
            continue
        awaiting_invoice = link.details.get("document_kind") == DocumentKind.ORDER and not link.details.get(
            "invoice_id"
        )
        if awaiting_invoice and order_is_fulfilled(order):
            to_write.append(order)  # the sales order now ships and invoices
            continue
        result.skipped += 1
        result.states[order.name] = link.state

    links = links_ensure(
        integration=ctx.integration,
        entity_type=EntityType.ORDER,
        references={order.id: order.name for order in to_write},
    ) | {link.source_id: link for link in changed}
    try:
        # Lookups for the whole page: items, then customers.
        keys = set().union(*(order_item_keys(o, sku_rule=ctx.settings.sku_rule) for o in to_write))
        items_resolve(ctx=ctx, keys=keys)
        if to_write:
            shipment_methods_resolve(ctx=ctx)
            header_lookups_resolve(ctx=ctx)
        plans = [customer_plan(order=order, settings=ctx.settings) for order in to_write]
        customer_numbers = customers_resolve(
            integration=ctx.integration,
            client=ctx.client,
            plans=[plan for plan in plans if not isinstance(plan, Problem) and not plan.is_fixed],
            cache=ctx.customers,
            run=ctx.run,
        )
    except BCError as exc:
        # BC unreachable for the page's reads: every order of the page fails with the same
        # (usually retryable) code; nothing was written.
        error = classify_exception(exc)
        for order in to_write:
            link_fail(ctx=ctx, link=links[order.id], error=error, flow=Flow.ORDERS)
            result.states[order.name] = RecordLink.State.FAILED
        result.failed += len(to_write)
        links_save(links.values())
        return result
    RecordLink.objects.filter(pk__in=[links[order.id].pk for order in to_write]).update(attempts=F("attempts") + 1)

    jobs: list[DocumentJob] = []
    by_id = {order.id: order for order in to_write}
    for order in to_write:
        link = links[order.id]
        link.raw_source = jsonable(order.raw)
        outcome = _order_job(ctx=ctx, order=order, customer_numbers=customer_numbers)
        if isinstance(outcome, ClassifiedError):
            link_fail(ctx=ctx, link=link, error=outcome, flow=Flow.ORDERS)
            result.failed += 1
            result.states[order.name] = RecordLink.State.FAILED
            continue
        jobs.append(outcome)

    def _record() -> None:
        for job in jobs:
            order = by_id[job.key]
            link = links[order.id]
            fingerprint, digest = fingerprints[order.id]
            currency = order_currency(order=order, mode=ctx.settings.currency_mode)
            details = {
                "currency_mode": ctx.settings.currency_mode,
                "currency": currency,
                "fingerprint": fingerprint,
            }
            if job.document is None and job.error is None:
                continue  # interrupted before BC answered: stays pending for the next run
            outcome = job_apply(ctx=ctx, job=job, link=link, flow=Flow.ORDERS, details=details)
            link.payload_digest = digest
            result.states[order.name] = link.state
            if outcome == "failed":
                result.failed += 1
            elif outcome == "created":
                result.created += 1
            else:
                result.linked += 1
        links_save(links.values())

    # A Python error still records what BC answered; a killed worker records nothing, and the
    # next run's lookup by external document number links what it had created.
    try:
        documents_write(
            client=ctx.client,
            jobs=jobs,
            base_currency=ctx.settings.base_currency,
            checkpoint=ctx.checkpoint,
            sending=ctx.sending,
        )
    except Exception:
        _record()
        raise
    _record()
    orders_mark_paid(ctx=ctx, jobs=jobs, orders=by_id, links=links)
    return result


# --- "mark as paid automatically" -------------------------------------------------------------------

PAID_KINDS = {"SALE", "CAPTURE"}
OPEN = "Open"


def _mark_paid_payment(*, ctx: OrdersContext, order: Order) -> tuple[str, Decimal]:
    """The order's "mark as paid" gateway and the amount it took (in the document's currency)."""
    gateway, amount = "", ZERO
    for transaction in order.transactions:
        if (
            transaction.gateway in ctx.settings.mark_paid_gateways
            and transaction.kind.upper() in PAID_KINDS
            and transaction.status.upper() == "SUCCESS"
            and not transaction.test
        ):
            gateway = gateway or transaction.gateway
            amount += money_pick(transaction.amount, ctx.settings.currency_mode)
    return gateway, amount


def orders_mark_paid(
    *, ctx: OrdersContext, jobs: list[DocumentJob], orders: dict[str, Order], links: dict[str, RecordLink]
) -> None:
    """Pay the posted (open) invoice of each order paid through a "mark as paid" gateway.

    One customer payment per order, applied to the invoice, never twice (the payment's own
    RecordLink). The whole invoice is paid when the gateway took the order total within rounding
    (BC's total may differ from the shop's by a cent per line). A failure is logged with its code
    on the order's record and leaves the payment link failed for a retry; other orders go on.
    """
    if not ctx.settings.mark_paid_gateways:
        return
    from syncs.payouts.mark_paid import order_payment_mark_paid

    for job in jobs:
        invoice = job.invoice or (job.document if job.draft.kind == DocumentKind.INVOICE else None)
        if job.error is not None or invoice is None or invoice.status != OPEN:
            continue  # not posted (draft, failed) or paid already
        order = orders[job.key]
        gateway, amount = _mark_paid_payment(ctx=ctx, order=order)
        if not gateway or amount <= 0:
            continue
        total = invoice.total_amount_including_tax
        tolerance = total_tolerance(
            currency=job.draft.currency_code or ctx.settings.base_currency, line_count=len(job.draft.lines)
        )
        if abs(amount - total) <= tolerance:
            amount = getattr(invoice, "remaining_amount", None) or total
        link = links[order.id]
        try:
            order_payment_mark_paid(
                integration=ctx.integration,
                bc_client=ctx.client,
                order_name=job.draft.external_document_number,
                gateway=gateway,
                invoice_id=invoice.id,
                amount=amount,
                posting_date=job.draft.document_date,
            )
        except (BCError, ProductError) as exc:
            error = classify_exception(exc)
            link.details = {**link.details, "payment_error_code": error.code}
            RecordLink.objects.filter(pk=link.pk).update(details=link.details)
            sync_log_error(
                run=ctx.run,
                integration_id=ctx.integration.pk,
                flow=Flow.ORDERS,
                error=error,
                message=f"{order.name}: the invoice was posted, but marking it paid failed: {error.message}",
                record_link=link,
            )


def orders_sync(
    *,
    integration: Integration,
    orders: Iterable[Order],
    client: BCClient,
    run: SyncRun | None = None,
    checkpoint: Checkpoint | None = None,
    page_size: int | None = None,
    on_page: Callable[[OrdersSyncResult], None] | None = None,
    with_refunds: bool | None = None,
    lanes: Lanes | None = None,
    batch_size: int = PAGE_SIZE,
) -> OrdersSyncResult:
    """Sync orders page by page (streamed: never more than one page in memory); then the
    refunds of the same orders (their invoices now exist), unless refunds are switched off.

    A page holds one $batch request of ``batch_size`` per lane (``BC_MAX_CONCURRENT_REQUESTS``
    by default, sharing the BC user's slots): the page's creates go out at once, then its posts."""
    from syncs.services.refunds import refunds_page_sync

    lanes = lanes or lanes_for(integration=integration)
    page_size = page_size or batch_size * lanes.width
    ctx = orders_context(
        integration=integration,
        client=client,
        run=run,
        checkpoint=checkpoint,
        sending=Sending(lanes=lanes, batch_size=batch_size),
    )
    with_refunds = integration.refunds_enabled if with_refunds is None else with_refunds
    total = OrdersSyncResult()
    iterator = iter(orders)
    while page := list(islice(iterator, page_size)):
        page_result = orders_page_sync(ctx=ctx, orders=page)
        if with_refunds:
            page_result.refunds = refunds_page_sync(ctx=ctx, orders=page)
        total.add(page_result)
        if on_page:
            on_page(page_result)
    return total


# --- preview (the onboarding wizard's "test with a real order") -------------------------------------


@dataclass
class OrderPreview:
    order_name: str
    found: bool = True
    document_type: str = ""
    customer: dict = field(default_factory=dict)
    currency: str = ""
    lines: list[dict] = field(default_factory=list)
    shop_total: str = ""
    net_total: str = ""
    vat_business_group: str = ""
    existing_document: str = ""
    skip_reason: str = ""
    errors: list[dict] = field(default_factory=list)
    order: Order | None = field(default=None, repr=False, compare=False)  # the shop's order, when found

    @property
    def ok(self) -> bool:
        return self.found and not self.errors

    @property
    def document_type_label(self) -> str:
        try:
            return str(Integration.DocumentType(self.document_type).label)
        except ValueError:
            return self.document_type


def _error_dict(error: ClassifiedError) -> dict:
    return {
        "code": error.code,
        "title": str(error.entry.title),
        "message": error.message,
        "remedy": str(error.entry.remedy),
        "vendor_message": error.vendor_message,
    }


def order_preview(*, integration: Integration, order_name: str, clients: ClientFactory | None = None) -> OrderPreview:
    """The BC document the order would become (customer, lines, VAT groups, totals), or the exact
    errors. Reads from the shop and BC; writes nothing anywhere."""
    clients = clients or client_factory_default()
    preview = OrderPreview(order_name=order_name)
    try:
        orders = clients.shop(integration=integration).orders_by_names([order_name])
    except Exception as exc:  # a shop failure is shown to the merchant, coded
        preview.errors.append(_error_dict(classify_exception(exc)))
        return preview
    if not orders:
        preview.found = False
        return preview
    order = orders[0]
    preview.order = order
    ctx = orders_context(integration=integration, client=clients.bc(integration=integration))
    preview.skip_reason = order_skip_reason(order=order, integration=integration)
    try:
        items_resolve(ctx=ctx, keys=order_item_keys(order, sku_rule=ctx.settings.sku_rule))
        plan = customer_plan(order=order, settings=ctx.settings)
        customer_number = ""
        if isinstance(plan, Problem):
            preview.errors.append(_error_dict(problems_error([plan])))
        elif plan.is_fixed:
            customer_number = plan.number
            preview.customer = {"number": plan.number, "strategy": "collective"}
        else:
            existing = customers_resolve(
                integration=integration, client=ctx.client, plans=[plan], cache=ctx.customers, create=False
            ).get(plan.source_id)
            customer_number = existing if isinstance(existing, str) else ""
            preview.customer = (
                {"number": customer_number, "strategy": "matched"}
                if customer_number
                else {"strategy": "would create", **plan.draft.to_payload()}
            )
        draft = order_document_build(
            order=order, settings=ctx.settings, items=ctx.items_found, customer_number=customer_number or "(new)"
        )
        draft = _with_shipment_method(ctx=ctx, draft=draft)
        draft = _with_header_defaults(ctx=ctx, draft=draft)
        number = draft.external_document_number
        found = ctx.client.find_by_external_document_numbers(
            entities.SALES_INVOICES if draft.kind == DocumentKind.INVOICE else entities.SALES_ORDERS, [number]
        )
        if found.get(number):
            preview.existing_document = found[number][0].number
    except MappingError as exc:
        preview.errors += [_error_dict(problems_error([problem])) for problem in exc.problems]
        return preview
    except BCError as exc:
        preview.errors.append(_error_dict(classify_exception(exc)))
        return preview
    country = ctx.settings.country(order_country(order))
    preview.vat_business_group = country.vat_business_group if country else ""
    preview.document_type = ctx.settings.document_type
    preview.currency = draft.currency_code or ctx.settings.base_currency
    preview.shop_total = str(draft.expected_total)
    preview.net_total = str(draft.expected_net)
    preview.lines = [
        {
            "type": line.line_type,
            "number": line.number,
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price_excl_vat": str(line.unit_price),
            "discount": str(line.discount_amount),
            "vat_product_group": line.tax_code or _item_tax_group(ctx, line.sku),
            "net_amount": str(line.net_amount),
        }
        for line in draft.lines
    ]
    return preview


def _item_tax_group(ctx: OrdersContext, key: str) -> str:
    ref = ctx.items.get(key)
    return ref.tax_group_code if ref else ""
