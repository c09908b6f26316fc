"""The orders flow: discover orders (sweep, webhook, retry, backfill) and sync them into BC."""

from __future__ import annotations

from django.utils import timezone

from integrations.commerce.platform import ShopOrderCompletion
from integrations.models import Flow
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.flows import register_flow
from syncs.models import SyncLogEntry, SyncRun
from syncs.services import fulfilments as fulfilments_service
from syncs.services.discovery import cursor_save, is_sweep, orders_discover
from syncs.services.order_completion import order_numbers_record, shipments_complete
from syncs.services.orders.sync import orders_sync
from syncs.services.runs import sync_log


def run_counts_add(*, run: SyncRun, result, client: BCClient) -> None:
    run.records_seen += result.seen
    run.records_created += result.created
    run.records_updated += result.linked
    run.records_skipped += result.skipped
    run.records_failed += result.failed
    run.api_requests = client.stats.requests
    run.api_operations = client.stats.operations


def _dry_run(run: SyncRun) -> bool:
    if run.integration.allow_writes:
        return False
    sync_log(
        run=run,
        integration_id=run.integration_id,
        flow=run.flow,
        level=SyncLogEntry.Level.WARNING,
        message="Writes to Business Central are off until go-live; use the order preview to see what would be written.",
    )
    return True


@register_flow(Flow.ORDERS)
def orders_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    integration = run.integration
    if _dry_run(run):
        return
    clients = clients or client_factory_default()
    bc, shop = clients.bc(integration=integration), clients.shop(integration=integration)
    started = timezone.now()  # taken before the fetch: the cursor never skips an order
    lease = getattr(run, "lease", None)
    # A bulk backfill polls its operation before the first page arrives: the lease is renewed
    # on every poll too, not only after each page.
    orders = orders_discover(
        integration=integration,
        shop_client=shop,
        parameters=run.parameters or {},
        on_poll=lease.renew if lease is not None else None,
    )

    def page_done(page) -> None:
        run_counts_add(run=run, result=page, client=bc)
        if page.refunds:
            run_counts_add(run=run, result=page.refunds, client=bc)
        if lease is not None:
            lease.renew()

    synced = orders_sync(integration=integration, orders=orders, client=bc, run=run, on_page=page_done)
    parameters = run.parameters or {}
    if is_sweep(parameters):
        cursor_save(integration=integration, loaded_at=started)
    # Back to the shop: the BC number on the shop order, BC's posted shipments as fulfilments (or,
    # in a store without fulfilments, completing the order).
    completes = isinstance(shop, ShopOrderCompletion)
    if completes:
        order_numbers_record(integration=integration, shop=shop, since=started, run=run)
    else:
        fulfilments_service.shop_write_back(integration=integration, shop_client=shop, since=started, run=run)
    # A sweep or a retry looks at every open sales order; a webhook's run at its own orders.
    everything = is_sweep(parameters) or parameters.get("retry")
    order_names = None if everything else set(synced.states)
    if completes:
        shipped = shipments_complete(integration=integration, bc_client=bc, shop=shop, run=run, order_names=order_names)
    else:
        shipped = fulfilments_service.shipments_fulfil(
            integration=integration, bc_client=bc, shop_client=shop, run=run, order_names=order_names
        )
    run.records_created += shipped.fulfilled
    run.records_failed += shipped.failed
    if integration.fulfil_from_bc_shipments:
        run.api_requests = bc.stats.requests
        run.api_operations = bc.stats.operations
