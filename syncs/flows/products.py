"""Products flow (BC -> shop, and shop-only products -> BC when both ways is on)."""

from __future__ import annotations

from integrations.commerce.platform import ShopPlatform
from integrations.connectors.woocommerce import WooCommerceShop
from integrations.models import Flow
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.flows import register_flow
from syncs.models import RecordLink, SyncLogEntry, SyncRun
from syncs.services.products import product_push, products_sync
from syncs.services.runs import sync_log
from syncs.services.woocommerce_products import woo_product_pusher


def add_client_stats(run: SyncRun, bc: BCClient, shop: ShopPlatform) -> None:
    run.api_requests += getattr(bc.stats, "requests", 0) + getattr(shop.stats, "requests", 0)
    run.api_operations += getattr(bc.stats, "operations", 0)


def _retry_item_ids(run: SyncRun) -> list[str] | None:
    ids = (run.parameters or {}).get("record_link_ids")
    if not ids:
        return None
    rows = RecordLink.objects.filter(pk__in=ids).values_list("source_id", "details")
    # A variant link retries its item.
    return sorted({(details or {}).get("item_id", source_id) for source_id, details in rows})


@register_flow(Flow.PRODUCTS)
def products_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None:
    clients = clients or client_factory_default()
    bc, shop = clients.bc(integration=run.integration), clients.shop(integration=run.integration)
    woo = isinstance(shop, WooCommerceShop)
    if woo and run.integration.products_bidirectional:
        sync_log(
            run=run,
            integration_id=run.integration_id,
            flow=run.flow,
            level=SyncLogEntry.Level.WARNING,
            message="WooCommerce products are not copied to Business Central: only items are written to the store.",
        )
    try:
        item_push = woo_product_pusher(woo_client=shop.client) if woo else product_push
        result = products_sync(
            integration=run.integration,
            bc_client=bc,
            shop_client=shop,
            run=run,
            full=bool((run.parameters or {}).get("full")),
            item_ids=_retry_item_ids(run),
            item_push=item_push,
            shop_to_bc=not woo,
        )
    finally:
        add_client_stats(run, bc, shop)
    run.records_seen += result.seen
    run.records_created += result.created + result.bc_items_created
    run.records_updated += result.updated + result.shop_products_linked
    run.records_skipped += result.unchanged
    run.records_failed += result.failed
