"""One page of orders -> BC documents: filters, conflicts, the page's lookups, the $batch writes."""

from __future__ import annotations

from django.db.models import F

from integrations.commerce import Order
from integrations.connectors.businesscentral import BCError
from integrations.models import Flow
from syncs.errors import ClassifiedError, ProductError, classify_exception, problems_error
from syncs.mapping import codes
from syncs.mapping.currency import order_currency
from syncs.mapping.customers import customer_plan
from syncs.mapping.digest import fingerprint_diff, fingerprint_digest, order_fingerprint
from syncs.mapping.lines import order_item_keys
from syncs.mapping.orders import order_document_build, order_is_fulfilled
from syncs.mapping.types import DocumentKind, MappingError, Problem
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.services.customers import customers_resolve
from syncs.services.documents import DocumentJob
from syncs.services.orders.context import OrdersContext, OrdersSyncResult
from syncs.services.orders.filters import order_filter_reason, order_skip_reason
from syncs.services.orders.header import (
    draft_with_header_defaults,
    draft_with_shipment_method,
    header_lookups_resolve,
    shipment_methods_resolve,
)
from syncs.services.orders.items import items_resolve
from syncs.services.orders.links import (
    documents_write_recorded,
    job_apply,
    jsonable,
    link_fail,
    links_ensure,
    links_for,
    links_save,
)
from syncs.services.orders.mark_paid import orders_mark_paid
from syncs.services.runs import link_warning_record, sync_log


def _order_conflict(*, ctx: OrdersContext, link: RecordLink, fingerprint: dict, digest: str) -> bool:
    """An order edited after sync: flag it with a field diff, change nothing in BC."""
    if link.details.get("conflict_digest") == digest:
        return False
    diff = fingerprint_diff(link.details.get("fingerprint") or {}, fingerprint)
    link.state = RecordLink.State.CONFLICT
    link.details = {**link.details, "conflict_digest": digest, "diff": diff}
    error = classify_exception(ProductError(codes.ORDER_CONFLICT, order=link.source_reference))
    link_warning_record(
        run=ctx.run, integration_id=ctx.integration.pk, flow=Flow.ORDERS, link=link, error=error, details={"diff": diff}
    )
    return True


def _order_job(
    *, ctx: OrdersContext, order: Order, customer_numbers: dict[str, str | ClassifiedError]
) -> DocumentJob | ClassifiedError:
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
        draft = draft_with_shipment_method(ctx=ctx, draft=draft)
        draft = draft_with_header_defaults(ctx=ctx, draft=draft)
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
    links_save(links=changed)


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
    links = links_for(
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
            if _order_conflict(ctx=ctx, link=link, fingerprint=fingerprint, digest=digest):
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
        links_save(links=links.values())
        return result
    RecordLink.objects.filter(pk__in=[links[order.id].pk for order in to_write]).update(attempts=F("attempts") + 1)

    jobs: list[DocumentJob] = []
    by_id = {order.id: order for order in to_write}
    for order in to_write:
        link = links[order.id]
        link.raw_source = jsonable(value=order.raw)
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
        links_save(links=links.values())

    documents_write_recorded(ctx=ctx, jobs=jobs, record=_record)
    orders_mark_paid(ctx=ctx, jobs=jobs, orders=by_id, links=links)
    return result
