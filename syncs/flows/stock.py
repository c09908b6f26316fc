"""Stock flow (BC -> shop inventory levels, changed quantities only)."""

from __future__ import annotations

from integrations.connectors.woocommerce import WooCommerceShop
from integrations.models import Flow
from syncs.clients import ClientFactory, client_factory_default
from syncs.flows import products, register_flow
from syncs.models import SyncRun
from syncs.services.stock import stock_push
from syncs.services.woocommerce_stock import woo_stock_run


@register_flow(Flow.STOCK)
def stock_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    clients = clients or client_factory_default()
    bc, shop = clients.bc(integration=run.integration), clients.shop(integration=run.integration)
    if isinstance(shop, WooCommerceShop):
        try:
            woo_stock_run(run=run, bc_client=bc, woo_client=shop.client)
        finally:
            products.add_client_stats(run, bc, shop)
        return
    try:
        result = stock_push(
            integration=run.integration,
            bc_client=bc,
            shop_client=shop,
            run=run,
            full=bool((run.parameters or {}).get("full")),
        )
    finally:
        products.add_client_stats(run, bc, shop)
    run.records_seen += result.seen
    run.records_updated += result.pushed
    run.records_skipped += result.unchanged + result.not_linked
    run.records_failed += result.failed
