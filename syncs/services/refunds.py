"""Refunds -> BC credit memos applied to the order's posted invoice, exactly once each.

The currency mode and customer come from the order's link (its snapshot), so a refund is in the
invoice's currency even if the setting changed since.
"""

from __future__ import annotations

from django.db.models import F

from integrations.connectors.shopify.types import Order
from integrations.models import Flow
from syncs.errors import ClassifiedError
from syncs.mapping.currency import money_pick
from syncs.mapping.lines import order_item_keys
from syncs.mapping.refunds import InvoiceSnapshot, refund_document_build, refund_external_number
from syncs.mapping.types import MappingError
from syncs.models import EntityType, RecordLink, SourceSystem
from syncs.services.documents import DocumentJob, documents_write
from syncs.services.orders import (
    OrdersContext,
    OrdersSyncResult,
    items_resolve,
    job_apply,
    jsonable,
    link_fail,
    links_ensure,
    links_save,
    problems_error,
)


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
    )


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
            source_system=SourceSystem.SHOPIFY,
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
    items_resolve(ctx=ctx, keys=set().union(*(order_item_keys(o, sku_rule=ctx.settings.sku_rule) for o, _ in todo)))
    RecordLink.objects.filter(pk__in=[links[r.id].pk for _, r in todo]).update(attempts=F("attempts") + 1)
    jobs: list[DocumentJob] = []
    for order, refund in todo:
        link = links[refund.id]
        link.raw_source = jsonable({"order": order.name, "refund_id": refund.id, "note": refund.note})
        try:
            draft = refund_document_build(
                order=order,
                refund=refund,
                settings=ctx.settings,
                items=ctx.items_found,
                snapshot=_snapshot(order_links.get(order.id)),
            )
        except MappingError as exc:
            error: ClassifiedError = problems_error(exc.problems)
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
            result.states[link.source_reference] = link.state
            if outcome == "failed":
                result.failed += 1
            elif outcome == "created":
                result.created += 1
            else:
                result.linked += 1
        links_save(links[r.id] for _, r in todo)

    # A Python error still records what BC answered; a killed worker records nothing, and the
    # next run's lookup by external document number links what it had created.
    try:
        documents_write(client=ctx.client, jobs=jobs, checkpoint=ctx.checkpoint)
    except Exception:
        _record()
        raise
    _record()
    return result
