"""Benchmark (not a test): stock delta vs full re-push, 50,000 items, 1% changed, over HTTP.

    .venv/bin/python bench/stock_delta.py [--items 50000] [--changed 0.01] [--scale 20] [--plan standard]

Both simulators run as HTTP servers on loopback and are seeded directly (50,000 BC items; as many
shop products, each with its inventory item, linked to its BC item as the products flow would).
The product's own clients and ``stock_push`` run unchanged on a throwaway SQLite database.

An initial push sets the last pushed quantities; then ``--changed`` of the items get a new BC
quantity, and one run pushes the delta and a second run re-pushes everything (``full``). Printed:
HTTP requests (BC and shop), wall seconds, the quantities the shop received (counted in the
simulator) and the ratio. BC's limits are on (6,000 requests per 5 minutes, 5 at once) with the
latency of bench/orders_sync.py (120 ms per request + 15 ms per operation, an assumption), on a BC
clock ``--scale`` times fast; the modelled BC latency is printed apart. The shop has the cost
budget of ``--plan`` (restore rate from shopify.dev); its bucket waits run on the simulator's clock
and are printed apart: against a real shop they add wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stock_common import (  # noqa: E402  (sets up Django on a throwaway SQLite file first)
    SHOP_DOMAIN,
    SHOP_TOKEN,
    clients_build,
    item_links_create,
    progress,
    shop_applied,
)


def _seed_bc(sim, count: int) -> list[dict]:
    company = sim.company()
    company.tables["items"].clear()
    company.tables["itemVariants"].clear()
    items = []
    for n in range(count):
        items.append(
            company.insert(
                "items",
                {
                    "number": f"B{n:06d}",
                    "displayName": f"Bench item {n}",
                    "type": "Inventory",
                    "blocked": False,
                    "inventory": (n % 50) - 2,  # a few negative: pushed as 0
                    "unitPrice": 100,
                },
            )
        )
        progress(n + 1, count, "BC items")
    return items


def _seed_shop(sim, items: list[dict]) -> dict[str, str]:
    """One product per BC item; returns BC item id -> shop inventory item id."""
    from simulators.shopify.records import inventory_set, product_new, variant_create

    store = sim.store
    location_id = next(iter(store.locations))
    inventory_items = {}
    for n, item in enumerate(items):
        product = product_new(store, title=item["displayName"], created=store.now_iso())
        variant = variant_create(store, product, sku=item["number"], barcode="", price="100.00", weight=0.0)
        inventory_set(store, variant["inventoryItem"]["id"], location_id, 0)
        inventory_items[item["id"]] = variant["inventoryItem"]["id"]
        progress(n + 1, len(items), "shop products")
    store.touch()
    return inventory_items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--scale", type=float, default=20.0, help="BC seconds per wall second")
    parser.add_argument("--plan", default="standard", choices=["standard", "advanced", "plus"], help="shop budget")
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from bench.orders_sync import PER_OPERATION, PER_REQUEST
    from integrations.models import LocationMapping
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from syncs.services.stock import stock_push
    from tests.factories import IntegrationFactory

    bc_sim = BusinessCentralSimulator()
    bc_sim.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc_sim.latency.configure(per_request=PER_REQUEST, per_operation=PER_OPERATION)
    bc_sim.clock.scale = args.scale
    shop_sim = ShopifySimulator(shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN, seed=42)
    shop_sim.set_plan(args.plan)
    print(f"Seeding {args.items:,} items in both simulators ...", flush=True)
    items = _seed_bc(bc_sim, args.items)
    inventory_items = _seed_shop(shop_sim, items)

    integration = IntegrationFactory(stock_enabled=True)
    LocationMapping.objects.create(
        integration=integration, bc_location_code="", shop_location_id=next(iter(shop_sim.store.locations))
    )
    item_links_create(integration=integration, items=items, inventory_items=inventory_items)

    with serve(bc_sim) as bc_server, serve(shop_sim) as shop_server:
        bc, shop = clients_build(bc_sim=bc_sim, bc_url=bc_server.url, shop_sim=shop_sim, shop_url=shop_server.url)

        def measure(label: str, **options) -> tuple[int, float]:
            bc_before, shop_before = bc.stats.requests, shop.stats.requests
            operations_before = bc_sim.operation_count
            waited_before, applied_before = shop.stats.waited_seconds, shop_applied(shop_sim)
            print(f"{label} ...", flush=True)
            started = time.perf_counter()
            result = stock_push(integration=integration, bc_client=bc, shop_client=shop, **options)
            seconds = time.perf_counter() - started
            bc_requests, shop_requests = bc.stats.requests - bc_before, shop.stats.requests - shop_before
            latency = bc_requests * PER_REQUEST + (bc_sim.operation_count - operations_before) * PER_OPERATION
            print(
                f"  pushed {result.pushed:,}, unchanged {result.unchanged:,}, failed {result.failed:,}; "
                f"shop received {shop_applied(shop_sim) - applied_before:,} quantities\n"
                f"  HTTP requests {bc_requests + shop_requests:,} (BC {bc_requests:,}, shop {shop_requests:,}); "
                f"{seconds:.2f} s wall; modelled BC latency {latency:.1f} s (slept {latency / args.scale:.2f} s "
                f"of it at x{args.scale:g}); shop throttle waits {shop.stats.waited_seconds - waited_before:.1f} s",
                flush=True,
            )
            return bc_requests + shop_requests, seconds

        measure("Initial push (sets the last pushed quantities)")

        changed = max(1, int(args.items * args.changed))
        step = max(1, args.items // changed)
        company = bc_sim.company()
        for item in items[::step][:changed]:
            company.get("items", item["id"])["inventory"] += 7  # an item journal: no new lastModifiedDateTime
        print(f"Changed {changed:,} quantities in BC.", flush=True)

        delta_requests, delta_seconds = measure("Delta run")
        full_requests, full_seconds = measure("Full re-push", full=True)

    print(
        f"\n{args.items:,} items, {changed:,} changed. Delta vs full re-push: "
        f"{delta_requests:,} vs {full_requests:,} HTTP requests ({full_requests / max(delta_requests, 1):.0f}x fewer), "
        f"{delta_seconds:.2f} s vs {full_seconds:.2f} s ({full_seconds / max(delta_seconds, 1e-9):.1f}x faster).",
        flush=True,
    )


if __name__ == "__main__":
    main()
