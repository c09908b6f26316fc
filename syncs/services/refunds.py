"""Refunds -> BC credit memos applied to the order's posted invoice, exactly once each.

The currency mode and customer come from the order's link (its snapshot), so a refund is in the
invoice's currency even if the setting changed since. An invoice synced as a draft ("left as
draft") is read again: posted since, the credit memo applies to it; still a draft, the credit memo
is left as a draft without the applies-to link and the refund carries the warning MAP-016.
"""

from __future__ import annotations

from django.db.models import F

from integrations.commerce import Order
from integrations.connectors.businesscentral import BCError, entities, odata
from integrations.models import Flow
from syncs.errors import ProductError, classify_exception, problems_error
from syncs.mapping import codes
from syncs.mapping.currency import money_pick
from syncs.mapping.lines import order_item_keys
from syncs.mapping.refunds import InvoiceSnapshot, refund_document_build, refund_external_number
from syncs.mapping.types import DocumentKind, MappingError
from syncs.models import EntityType, RecordLink
from syncs.services.documents import DocumentJob
from syncs.services.orders.context import OrdersContext, OrdersSyncResult
from syncs.services.orders.items import items_resolve
from syncs.services.orders.links import (
    documents_write_recorded,
    job_apply,
    jsonable,
    link_fail,
    links_ensure,
    links_save,
)
from syncs.services.runs import link_warning_record
from syncs.services.shop_source import shop_source_system

DRAFT = "Draft"
ID_CHUNK = 40


def _snapshot(link: RecordLink | None) -> InvoiceSnapshot | None:
    if link is None or link.state not in (RecordLink.State.SYNCED, RecordLink.State.CONFLICT):
        return None
    details = link.details or {}
    if not details.get("invoice_id"):
        return None
    return InvoiceSnapshot(
        invoice_id=details["invoice_id"],
        customer_number=details.get("customer_number", ""),
        currency_mode=details.get("currency_mode", "shop"),
        currency=details.get("currency", ""),
        invoice_posted=not _is_draft_invoice(link),
    )


def _is_draft_invoice(link: RecordLink) -> bool:
    details = link.details or {}
    return details.get("document_kind") == DocumentKind.INVOICE and details.get("status") == DRAFT


def _draft_invoices_refresh(*, ctx: OrdersContext, links: list[RecordLink]) -> None:
    """Read the draft invoices of these order links again (one filtered read per 40): the
    accountant may have posted them since. A posted invoice keeps its id; its status is stored."""
    drafts = {link.details["invoice_id"]: link for link in links if _is_draft_invoice(link)}
    ids = sorted(drafts)
    changed = []
    for start in range(0, len(ids), ID_CHUNK):
        group = [odata.guid(value) for value in ids[start : start + ID_CHUNK]]
        for invoice in ctx.client.iter_records(
            entities.SALES_INVOICES, filter=odata.any_of("id", group), select=["id", "number", "status"]
        ):
            link = drafts.get(invoice.id)
            if link is not None and invoice.status and invoice.status != DRAFT:
                link.details = {**link.details, "status": invoice.status}
                link.target_number = invoice.number or link.target_number
                changed.append(link)
    if changed:
        RecordLink.objects.bulk_update(changed, ["details", "target_number"])


def _draft_warning(*, ctx: OrdersContext, link: RecordLink, order: Order) -> None:
    """The credit memo of a refunded draft invoice: left a draft, unapplied, with a visible warning."""
    error = classify_exception(
        ProductError(codes.REFUND_OF_DRAFT_INVOICE, order=order.name, credit_memo=link.target_number or "-")
    )
    link_warning_record(run=ctx.run, integration_id=ctx.integration.pk, flow=Flow.REFUNDS, link=link, error=error)


def refunds_page_sync(*, ctx: OrdersContext, orders: list[Order]) -> OrdersSyncResult:
    result = OrdersSyncResult()
    pairs = [
        (order, refund)
        for order in orders
        for refund in order.refunds
        if refund.line_items or refund.shipping_lines or money_pick(refund.total_refunded, "shop") > 0
    ]
    if not pairs:
        return result
    result.seen = len(pairs)
    order_links = {
        link.source_id: link
        for link in RecordLink.objects.filter(
            integration=ctx.integration,
            entity_type=EntityType.ORDER,
            source_system=shop_source_system(integration=ctx.integration),
            source_id__in=[order.id for order, _ in pairs],
        )
    }
    links = links_ensure(
        integration=ctx.integration,
        entity_type=EntityType.REFUND,
        references={refund.id: refund_external_number(order, refund) for order, refund in pairs},
    )
    todo = [(o, r) for o, r in pairs if links[r.id].state not in (RecordLink.State.SYNCED, RecordLink.State.SKIPPED)]
    result.skipped = len(pairs) - len(todo)
    try:
        # The page's reads: items, and the invoices synced as drafts. BC unreachable: every refund
        # of the page fails with the same (usually retryable) code; nothing was written.
        items_resolve(ctx=ctx, keys=set().union(*(order_item_keys(o, sku_rule=ctx.settings.sku_rule) for o, _ in todo)))
        _draft_invoices_refresh(ctx=ctx, links=[order_links[o.id] for o, _ in todo if o.id in order_links])
    except BCError as exc:
        error = classify_exception(exc)
        for _, refund in todo:
            link_fail(ctx=ctx, link=links[refund.id], error=error, flow=Flow.REFUNDS)
            result.states[links[refund.id].source_reference] = RecordLink.State.FAILED
        result.failed += len(todo)
        links_save(links=(links[r.id] for _, r in todo))
        return result
    RecordLink.objects.filter(pk__in=[links[r.id].pk for _, r in todo]).update(attempts=F("attempts") + 1)
    jobs: list[DocumentJob] = []
    orders_by_refund = {refund.id: order for order, refund in todo}
    for order, refund in todo:
        link = links[refund.id]
        link.raw_source = jsonable(value={"order": order.name, "refund_id": refund.id, "note": refund.note})
        try:
            draft = refund_document_build(
                order=order,
                refund=refund,
                settings=ctx.settings,
                items=ctx.items_found,
                snapshot=_snapshot(order_links.get(order.id)),
            )
        except MappingError as exc:
            error = problems_error(exc.problems)
            link_fail(ctx=ctx, link=link, error=error, flow=Flow.REFUNDS)
            result.failed += 1
            continue
        jobs.append(DocumentJob(key=refund.id, draft=draft))

    def _record() -> None:
        for job in jobs:
            if job.document is None and job.error is None:
                continue
            link = links[job.key]
            details = {
                "currency_mode": job.draft.currency_mode,
                "applies_to_invoice_id": job.draft.applies_to_invoice_id,
            }
            outcome = job_apply(ctx=ctx, job=job, link=link, flow=Flow.REFUNDS, details=details)
            if outcome != "failed" and not job.draft.post:
                _draft_warning(ctx=ctx, link=link, order=orders_by_refund[job.key])
            result.states[link.source_reference] = link.state
            if outcome == "failed":
                result.failed += 1
            elif outcome == "created":
                result.created += 1
            else:
                result.linked += 1
        links_save(links=(links[r.id] for _, r in todo))

    documents_write_recorded(ctx=ctx, jobs=jobs, record=_record)
    return result
