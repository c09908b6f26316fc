"""The refunds flow: credit memos for the refunds of named orders (a refunds/create webhook).

The orders flow books the refunds of every order it sweeps; this handler serves webhooks and
retries of refund links without waiting for the next sweep.
"""

from __future__ import annotations

from integrations.models import Flow
from syncs.clients import ClientFactory, client_factory_default
from syncs.flows import register_flow
from syncs.flows.orders import _dry_run, run_counts_add
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.batches import lanes_for
from syncs.services.discovery import orders_discover
from syncs.services.documents import Sending
from syncs.services.orders.context import orders_context
from syncs.services.orders.sync import PAGE_SIZE
from syncs.services.refunds import refunds_page_sync


def _order_names_for_refund_retry(run: SyncRun) -> list[str]:
    links = RecordLink.objects.filter(integration_id=run.integration_id, entity_type=EntityType.REFUND)
    ids = (run.parameters or {}).get("record_link_ids")
    links = links.filter(pk__in=ids) if ids else links.filter(state=RecordLink.State.PENDING)
    # A refund's reference is "<order name>-R<id>".
    return sorted({ref.rsplit("-R", 1)[0] for ref in links.values_list("source_reference", flat=True) if ref})


@register_flow(Flow.REFUNDS)
def refunds_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    integration = run.integration
    if _dry_run(run):
        return
    clients = clients or client_factory_default()
    bc, shop = clients.bc(integration=integration), clients.shop(integration=integration)
    parameters = dict(run.parameters or {})
    if parameters.get("retry"):
        parameters = {"order_names": _order_names_for_refund_retry(run)}
    lanes = lanes_for(integration=integration)  # the credit memos' $batch requests, several at once
    ctx = orders_context(integration=integration, client=bc, run=run, sending=Sending(lanes=lanes))
    orders = list(orders_discover(integration=integration, shop_client=shop, parameters=parameters))
    page_size = PAGE_SIZE * lanes.width
    for start in range(0, len(orders), page_size):
        result = refunds_page_sync(ctx=ctx, orders=orders[start : start + page_size])
        run_counts_add(run=run, result=result, client=bc)
