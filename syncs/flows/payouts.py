"""The payouts flow: stage each connected provider's payouts and book the paid ones in BC."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from integrations.models import Flow, Integration
from syncs.flows import register_flow
from syncs.models import SyncLogEntry, SyncRun
from syncs.payouts.providers import provider_build
from syncs.payouts.services import PayoutsSyncResult, payouts_rebook, payouts_since, payouts_sync
from syncs.services.discovery import cursor_save
from syncs.services.runs import sync_log


def flow_clients(integration: Integration) -> tuple[Any, list]:
    """The BC client and one payout provider per connected provider (tests replace this)."""
    from integrations.connectors.businesscentral import client_for_connection
    from integrations.services.bc_auth import bc_token_provider

    connection = integration.bc_connection
    bc = client_for_connection(connection, token_provider=bc_token_provider(connection=connection))
    providers = [provider_build(connection=provider) for provider in integration.payment_providers.all()]
    return bc, providers


def _count(run: SyncRun, result: PayoutsSyncResult) -> None:
    run.records_seen += result.seen
    run.records_created += result.booked
    run.records_skipped += result.incomplete
    run.records_failed += result.failed


@register_flow(Flow.PAYOUTS)
def payouts_run(run: SyncRun) -> None:
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
    bc, providers = flow_clients(integration)
    payout_ids = (run.parameters or {}).get("payout_ids")
    if payout_ids:  # a retry or re-match of named payouts: no provider fetch
        _count(run, payouts_rebook(integration=integration, payout_ids=payout_ids, bc_client=bc))
    else:
        started = timezone.now()  # taken before the fetch: the cursor never skips a payout
        since = payouts_since(integration=integration, now=started)
        for provider in providers:
            _count(run, payouts_sync(integration=integration, provider=provider, bc_client=bc, since=since))
        cursor_save(integration=integration, loaded_at=started, flow=Flow.PAYOUTS)
    stats = getattr(bc, "stats", None)
    run.api_requests += getattr(stats, "requests", 0)
    run.api_operations += getattr(stats, "operations", 0)
