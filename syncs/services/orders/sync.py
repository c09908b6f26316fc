"""The orders run: page by page, then the refunds of the same orders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from integrations.commerce import Order
from integrations.models import Integration
from syncs.clients import BCClient
from syncs.models import SyncRun
from syncs.services.batches import Lanes, lanes_for
from syncs.services.documents import Checkpoint, Sending
from syncs.services.orders.context import OrdersSyncResult, orders_context
from syncs.services.orders.page import orders_page_sync
from syncs.services.refunds import refunds_page_sync

PAGE_SIZE = 100  # orders per $batch request; a page holds one request per lane


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
