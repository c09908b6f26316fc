"""Record links of written documents: created in bulk, failed with a code, saved in bulk, and the
outcome of a written document stored on its link."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone

from integrations.models import Integration
from syncs.errors import ClassifiedError, ProductError, classify_exception
from syncs.mapping import codes
from syncs.mapping.types import DocumentKind
from syncs.models import RecordLink, SyncLogEntry
from syncs.services.documents import DocumentJob, documents_write
from syncs.services.orders.context import OrdersContext
from syncs.services.runs import sync_log, sync_log_error
from syncs.services.shop_source import shop_source_system


def links_for(*, integration: Integration, entity_type: str, source_ids: list[str]) -> dict[str, RecordLink]:
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=entity_type,
        source_system=shop_source_system(integration=integration),
        source_id__in=source_ids,
    )
    return {link.source_id: link for link in rows}


def links_ensure(*, integration: Integration, entity_type: str, references: dict[str, str]) -> dict[str, RecordLink]:
    """Existing links plus a pending link for every new source id (unique per source record)."""
    links = links_for(integration=integration, entity_type=entity_type, source_ids=list(references))
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
        links = links_for(integration=integration, entity_type=entity_type, source_ids=list(references))
    return links


def _error_text(*, error: ClassifiedError, extra: dict | None = None) -> str:
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
    link.last_error_message = _error_text(error=error, extra=extra)
    sync_log_error(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=flow,
        error=error,
        message=f"{link.source_reference or link.source_id}: {link.last_error_message}",
        record_link=link,
        details={**error.details, **(extra or {})},
    )


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


def jsonable(*, value: Any) -> Any:
    """Vendor JSON parsed with Decimals -> what a JSONField stores."""
    return json.loads(json.dumps(value, default=str)) if value else None


def links_save(*, links: Iterable[RecordLink]) -> None:
    saved = list(links)
    now = timezone.now()
    for link in saved:
        link.updated_at = now
    if saved:
        RecordLink.objects.bulk_update(saved, LINK_FIELDS, batch_size=200)


def _invoice_id(*, job: DocumentJob) -> str:
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
        link.raw_target = jsonable(value=final.raw)
    link.details = {
        **link.details,
        **details,
        "document_kind": str(job.draft.kind),
        "customer_number": job.draft.customer_number,
        "shop_total": str(job.draft.expected_total),
        "bc_total": str(final.total_amount_including_tax) if final is not None else "",
        "status": final.status if final is not None else "",
        "invoice_id": _invoice_id(job=job),
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


def documents_write_recorded(*, ctx: OrdersContext, jobs: list[DocumentJob], record: Callable[[], None]) -> None:
    """Write the jobs to BC, then record what BC answered on their links, also when writing fails.

    A Python error still records what BC answered; a killed worker records nothing, and the next
    run's lookup by external document number links what it had created."""
    try:
        documents_write(
            client=ctx.client,
            jobs=jobs,
            base_currency=ctx.settings.base_currency,
            checkpoint=ctx.checkpoint,
            sending=ctx.sending,
        )
    except Exception:
        record()
        raise
    record()
