"""The customers flow: shop customers updated since the cursor -> BC customers (match or create).

Only the "match by e-mail, then phone; create if new" strategy has customers to make; with one
collective customer per country the run logs that the flow is not needed. The orders flow still
finds or creates the customer of each order it syncs: this flow makes customers ahead of orders.
"""

from __future__ import annotations

from itertools import islice

from django.utils import timezone

from integrations.commerce import id_tail
from integrations.models import Flow, Integration
from syncs.clients import ClientFactory, client_factory_default
from syncs.flows import register_flow
from syncs.flows.orders import _dry_run
from syncs.mapping.settings import mapping_settings_load
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from syncs.services.customers import CustomerCache, customers_page_sync
from syncs.services.discovery import cursor_save, cursor_since
from syncs.services.runs import sync_log

PAGE_SIZE = 100


def _info(run: SyncRun, message: str) -> None:
    sync_log(run=run, integration_id=run.integration_id, flow=run.flow, level=SyncLogEntry.Level.INFO, message=message)


def _retry_query(run: SyncRun) -> str | None:
    """A retry reads the customers of the picked (or every pending) customer record by id."""
    links = RecordLink.objects.filter(integration_id=run.integration_id, entity_type=EntityType.CUSTOMER)
    ids = (run.parameters or {}).get("record_link_ids")
    links = links.filter(pk__in=ids) if ids else links.filter(state=RecordLink.State.PENDING)
    tails = sorted({id_tail(source_id) for source_id in links.values_list("source_id", flat=True)})
    return " OR ".join(f"id:{tail}" for tail in tails if tail.isdigit())


@register_flow(Flow.CUSTOMERS)
def customers_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    integration = run.integration
    if not integration.customers_enabled:
        _info(run, "The customers flow is switched off for this integration; nothing was read.")
        return
    if integration.customer_strategy != Integration.CustomerStrategy.MATCH_EMAIL_PHONE:
        _info(
            run,
            "The integration books orders on one collective customer per country: there are no customers "
            "to create, so the customers flow is not needed.",
        )
        return
    if _dry_run(run):
        return
    parameters = run.parameters or {}
    retry = bool(parameters.get("retry") or parameters.get("record_link_ids"))
    clients = clients or client_factory_default()
    bc, shop = clients.bc(integration=integration), clients.shop(integration=integration)
    started = timezone.now()  # taken before the fetch: the cursor never skips a customer
    if retry:
        query = _retry_query(run)
        if not query:
            return
        customers = shop.customers_iter(query=query)
    else:
        since = cursor_since(integration=integration, flow=Flow.CUSTOMERS, now=started)
        customers = shop.customers_iter(updated_since=since)
    settings = mapping_settings_load(integration=integration)
    cache = CustomerCache()
    iterator = iter(customers)
    while page := list(islice(iterator, PAGE_SIZE)):
        result = customers_page_sync(
            integration=integration, client=bc, customers=page, settings=settings, cache=cache, run=run
        )
        run.records_seen += result.seen
        run.records_created += result.created
        run.records_updated += result.linked
        run.records_skipped += result.skipped
        run.records_failed += result.failed
        stats = getattr(bc, "stats", None)
        run.api_requests = getattr(stats, "requests", 0)
        run.api_operations = getattr(stats, "operations", 0)
        lease = getattr(run, "lease", None)
        if lease is not None:
            lease.renew()
    if not retry:
        cursor_save(integration=integration, loaded_at=started, flow=Flow.CUSTOMERS)
