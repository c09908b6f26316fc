"""The payouts flow: stage each connected provider's payouts and book the paid ones in BC."""

from __future__ import annotations

from django.utils import timezone

from integrations.connectors.businesscentral import BCError
from integrations.models import Flow
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.errors import ProductError, classify_exception
from syncs.flows import register_flow
from syncs.models import EntityType, Payout, RecordLink, SyncLogEntry, SyncRun
from syncs.payouts.mark_paid import MARK_PAID, payment_link_retry
from syncs.payouts.services import PayoutsSyncResult, payouts_rebook, payouts_since, payouts_sync
from syncs.services.discovery import cursor_save
from syncs.services.runs import sync_log


def _count(run: SyncRun, result: PayoutsSyncResult) -> None:
    run.records_seen += result.seen
    run.records_created += result.booked
    run.records_skipped += result.incomplete
    run.records_failed += result.failed


def _retry_targets(run: SyncRun) -> tuple[list[int], list[RecordLink]]:
    """What a retry re-books: payouts named directly, the payouts of picked (or pending) payout and
    payment records, and "mark as paid" payments, which belong to an order rather than a payout."""
    integration = run.integration
    parameters = run.parameters or {}
    payout_ids = set(parameters.get("payout_ids") or [])
    if not parameters.get("retry") and not parameters.get("record_link_ids"):
        return sorted(payout_ids), []
    links = RecordLink.objects.filter(
        integration=integration, entity_type__in=[EntityType.PAYOUT, EntityType.PAYMENT]
    ).order_by("pk")
    ids = parameters.get("record_link_ids")
    links = links.filter(pk__in=ids) if ids else links.filter(state=RecordLink.State.PENDING)
    mark_paid: list[RecordLink] = []
    references: set[str] = set()
    for link in links:
        details = link.details or {}
        if details.get("kind") == MARK_PAID:
            mark_paid.append(link)
        elif details.get("payout_id"):
            payout_ids.add(int(details["payout_id"]))
        else:
            references.add(link.source_id)
    if references:
        payout_ids |= set(
            Payout.objects.filter(integration=integration, provider_payout_id__in=references).values_list(
                "pk", flat=True
            )
        )
    if not ids:  # "retry all failed": payouts whose booking failed or stopped half-way too
        payout_ids |= set(
            Payout.objects.filter(
                integration=integration,
                status=Payout.Status.PAID,
                booking_state__in=[Payout.BookingState.FAILED, Payout.BookingState.PARTIAL],
            ).values_list("pk", flat=True)
        )
    return sorted(payout_ids), mark_paid


def _mark_paid_retry(*, run: SyncRun, links: list[RecordLink], bc: BCClient) -> None:
    for link in links:
        run.records_seen += 1
        try:
            payment_link_retry(link=link, bc_client=bc)
        except (BCError, ProductError) as exc:
            error = classify_exception(exc)
            run.records_failed += 1
            sync_log(
                run=run,
                integration_id=run.integration_id,
                flow=run.flow,
                level=SyncLogEntry.Level.ERROR,
                message=f"{link.source_reference}: marking the invoice paid failed: {error.message}",
                error_code=error.code,
                record_link=link,
            )
        else:
            run.records_created += 1


@register_flow(Flow.PAYOUTS)
def payouts_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    """One payouts run; ``clients`` builds the BC client and the providers (default: from the connections)."""
    integration = run.integration
    if not integration.allow_writes:
        sync_log(
            run=run,
            integration_id=integration.pk,
            flow=run.flow,
            level=SyncLogEntry.Level.WARNING,
            message="Writes to Business Central are off until go-live; payouts are not booked.",
        )
        return
    clients = clients or client_factory_default()
    bc = clients.bc(integration=integration)
    parameters = run.parameters or {}
    if parameters.get("payout_ids") or parameters.get("retry") or parameters.get("record_link_ids"):
        # A retry or re-match: the named payouts (or those of the picked records), no provider fetch.
        payout_ids, mark_paid = _retry_targets(run)
        if payout_ids:
            _count(run, payouts_rebook(integration=integration, payout_ids=payout_ids, bc_client=bc))
        _mark_paid_retry(run=run, links=mark_paid, bc=bc)
    else:
        started = timezone.now()  # taken before the fetch: the cursor never skips a payout
        since = payouts_since(integration=integration, now=started)
        for provider in clients.payout_providers(integration=integration):
            _count(run, payouts_sync(integration=integration, provider=provider, bc_client=bc, since=since))
        cursor_save(integration=integration, loaded_at=started, flow=Flow.PAYOUTS)
    stats = getattr(bc, "stats", None)
    run.api_requests += getattr(stats, "requests", 0)
    run.api_operations += getattr(stats, "operations", 0)
