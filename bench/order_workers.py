"""Benchmark (not a test): order-sync throughput with 1, 2 and 4 workers.

    .venv/bin/python bench/order_workers.py [--orders 40] [--workers 1,2,4] [--latency 0.2] [--scale 1]

Each worker is a thread with its own database connection running the real executor
(``sync_run_execute``) for one integration: its own merchant (BC user), BC environment and
company, and Shopify shop, all simulators served over loopback HTTP. BC's limits are on (6,000
requests per 5 minutes and 5 concurrent requests per user) with simulated latency per request
and per $batch operation. ``--scale`` runs BC time faster than wall time (latencies shrink by it);
figures are reported in BC minutes. Runs on a throwaway SQLite file unless DATABASE_URL is set
(use PostgreSQL to measure the database too: SQLite serialises writers).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3"))


def world_build(*, workers: int, orders: int, latency: float, scale: float):
    """Simulators and ``workers`` live integrations, each with ``orders`` new paid shop orders."""
    from integrations.models import CountryMapping, Integration, ShippingMethodMapping
    from simulators.businesscentral import BusinessCentralSimulator, SimClock
    from simulators.businesscentral.seed import COMPANY_NAME, build_company
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from syncs.demo.autopilot import COUNTRIES, FREIGHT_ACCOUNT, SHIPPING_METHODS
    from syncs.demo.sims import bc_items_for_shop_catalogue
    from tests import factories as f

    tokens = {f"bench-token-{n}": f"bench-user-{n}" for n in range(workers)}
    bc = BusinessCentralSimulator(accepted_tokens=tokens, seed=False, clock=SimClock(scale=scale))
    bc.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc.latency.configure(per_request=latency, per_operation=latency / 4)
    servers = [serve(bc)]
    world = []
    for n in range(workers):
        environment = bc.add_environment(f"bench{workers}w{n}")  # unique per round: ids derive from it
        company = build_company(environment.name, COMPANY_NAME, bc.clock)
        environment.companies[company.id] = company
        bc_items_for_shop_catalogue(bc, environment=environment.name)
        shop = ShopifySimulator(shop_domain=f"bench-{n}.myshopify.com", access_token=f"shpat_{n}")
        shop_server = serve(shop)
        servers.append(shop_server)
        integration = f.IntegrationFactory(status=Integration.Status.LIVE, allow_writes=True, live_mode=True)
        f.BusinessCentralConnectionFactory(
            integration=integration,
            entra_tenant_id=bc.tenant_id,
            environment_name=environment.name,
            company_id=company.id,
            company_name=COMPANY_NAME,
            api_root_override=servers[0].url,
        )
        f.ShopConnectionFactory(integration=integration, shop_domain=shop.shop_domain)
        for code, (group, customer, currency) in COUNTRIES.items():
            CountryMapping.objects.create(
                integration=integration,
                country_code=code,
                vat_business_group=group,
                collective_customer_number=customer,
                currency_code=currency,
            )
        for shop_code, bc_code in SHIPPING_METHODS.items():
            ShippingMethodMapping.objects.create(
                integration=integration,
                shop_shipping_code=shop_code,
                bc_shipment_method_code=bc_code,
                line_number=FREIGHT_ACCOUNT,
                vat_product_group="STANDARD",
            )
        since = shop.clock.now().isoformat()
        shop.generate_orders(orders, seed=n)
        world.append({"integration": integration, "token": f"bench-token-{n}", "shop": shop_server, "sim": shop,
                      "since": since})  # fmt: skip
    return bc, servers, world


def measure(*, workers: int, orders: int, latency: float, scale: float) -> dict:
    from django.db import connections

    from integrations.connectors.businesscentral import client_for_connection
    from integrations.connectors.shopify import ShopifyClient
    from integrations.models import Flow
    from syncs.models import RecordLink, SyncRun
    from syncs.services import orders as orders_service
    from syncs.services.runs import sync_run_execute

    bc, servers, world = world_build(workers=workers, orders=orders, latency=latency, scale=scale)
    by_integration = {w["integration"].pk: w for w in world}

    def clients(*, integration):
        w = by_integration[integration.pk]
        token = w["token"]
        return orders_service.FlowClients(
            bc=client_for_connection(integration.bc_connection, token_provider=lambda: token),
            shop=ShopifyClient(shop_domain=w["sim"].shop_domain, access_token=w["sim"].access_token,
                               api_root=w["shop"].url),
        )  # fmt: skip

    orders_service.flow_clients_build = clients
    runs = [
        SyncRun.objects.create(
            integration=w["integration"], flow=Flow.ORDERS, trigger=SyncRun.Trigger.COMMAND,
            # A backfill by creation date: the generated orders, streamed page by page like a sweep.
            parameters={"created_from": w["since"]},
        )
        for w in world
    ]  # fmt: skip
    barrier = threading.Barrier(len(runs))

    def worker(run_id: int) -> None:
        barrier.wait()
        try:
            sync_run_execute(run_id=run_id)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(run.pk,)) for run in runs]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    for server in servers:
        server.stop()
    integrations = [w["integration"].pk for w in world]
    synced = RecordLink.objects.filter(integration_id__in=integrations, state=RecordLink.State.SYNCED).count()
    failed = RecordLink.objects.filter(integration_id__in=integrations, state=RecordLink.State.FAILED).count()
    statuses = sorted(SyncRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", flat=True))
    bc_minutes = wall * scale / 60
    return {"workers": workers, "synced": synced, "failed": failed, "wall_s": wall, "per_min": synced / bc_minutes,
            "requests": bc.request_count, "operations": bc.operation_count, "runs": statuses}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=40, help="new orders per worker's shop")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latency", type=float, default=0.2, help="BC seconds per request (a quarter per operation)")
    parser.add_argument("--scale", type=float, default=1.0, help="BC seconds per wall second")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"BC limits on: 6000 req/5 min and 5 concurrent per user; latency {args.latency}s/request, "
          f"{args.latency / 4}s/operation; clock scale {args.scale}; {args.orders} orders per worker")  # fmt: skip
    print(f"{'workers':>7} {'synced':>7} {'failed':>7} {'wall s':>8} {'orders/BC min':>14} {'orders/min/worker':>18} "
          f"{'BC requests':>12} {'BC ops':>7}")  # fmt: skip
    for workers in [int(w) for w in args.workers.split(",")]:
        r = measure(workers=workers, orders=args.orders, latency=args.latency, scale=args.scale)
        print(f"{r['workers']:>7} {r['synced']:>7} {r['failed']:>7} {r['wall_s']:>8.1f} {r['per_min']:>14.0f} "
              f"{r['per_min'] / workers:>18.0f} {r['requests']:>12} {r['operations']:>7}  {r['runs']}")  # fmt: skip


if __name__ == "__main__":
    main()
