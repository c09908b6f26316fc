"""Benchmark (not a test): stock per location, 50,000 items x 3 locations, 1% changed, over HTTP.

    .venv/bin/python bench/stock_locations.py [--items 50000] [--changed 0.01]

Both simulators run as HTTP servers on loopback (in this process) and are seeded directly: BC gets
50,000 items and one open item ledger entry per item and location (MAIN, STHLM, GBG; a few zero),
the shop as many products, each stocked at three locations and linked to its BC item as the
products flow would. Each BC location is mapped to its own shop location. The product's own
clients and ``stock_push`` run unchanged on a throwaway SQLite database.

BC's limits are on (6,000 requests per 5 minutes per user, 5 at once) with the simulator's latency
of 120 ms per request plus 15 ms per operation, slept in real time [assumption: Microsoft publishes
limits, not answer times]. An initial push sets the last pushed quantities; then ``--changed`` of
the item x location pairs get a new BC quantity (an item journal line each: a new open entry),
and one run pushes the delta and a second re-pushes everything (``full``).

Counted at the simulators' HTTP layer: BC requests (``request_count``) and shop requests
(``stats["requests"]``), and the quantities the shop applied. Wall seconds include the simulators'
own work (same process). The shop's cost-bucket waits run on the simulator's clock and are printed
apart (a real shop on the standard plan restores 50 points a second).
"""

from __future__ import annotations

import argparse
import os
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

COMPANY = "CRONUS Sverige AB"
BC_LOCATIONS = ("MAIN", "STHLM", "GBG")
PER_REQUEST, PER_OPERATION = 0.120, 0.015


def _seed_bc(sim, count: int) -> list[dict]:
    company = sim.company()
    company.tables["items"].clear()
    company.tables["itemVariants"].clear()
    company.item_ledger.clear()
    company.insert("locations", {"code": "GBG", "displayName": "Butik Göteborg", "city": "Göteborg", "country": "SE"})
    items = []
    for n in range(count):
        item = company.insert(
            "items",
            {"number": f"B{n:06d}", "displayName": f"Bench item {n}", "type": "Inventory", "blocked": False,
             "inventory": 0, "unitPrice": 100},
        )  # fmt: skip
        for offset, code in enumerate(BC_LOCATIONS):
            quantity = (n * (offset + 1)) % 40
            if quantity:  # a zero is no open entry at all: the product must still send 0 there
                company.item_ledger.append(
                    {"entryNo": len(company.item_ledger) + 1, "itemNumber": item["number"],
                     "entryType": "Positive Adjmt.", "postingDate": "2026-01-01", "documentNumber": "OPENING",
                     "locationCode": code, "quantity": quantity, "remainingQuantity": quantity, "open": True},
                )  # fmt: skip
                item["inventory"] += quantity
        items.append(item)
        progress(n + 1, count, "BC items")
    return items


def _seed_shop(sim, items: list[dict]) -> tuple[dict[str, str], list[str]]:
    """One product per BC item, stocked at three locations; returns (BC item id -> inventory item id,
    the three shop location ids)."""
    from simulators.shopify.records import inventory_set, product_new, variant_create

    store = sim.store
    location_id = store.new_id("Location")
    first = next(iter(store.locations.values()))
    store.locations[location_id] = {**first, "id": location_id, "name": "Göteborg Store"}
    locations = list(store.locations)[:3]
    inventory_items = {}
    for n, item in enumerate(items):
        product = product_new(store, title=item["displayName"], created=store.now_iso())
        variant = variant_create(store, product, sku=item["number"], barcode="", price="100.00", weight=0.0)
        for location in locations:
            inventory_set(store, variant["inventoryItem"]["id"], location, 0)
        inventory_items[item["id"]] = variant["inventoryItem"]["id"]
        progress(n + 1, len(items), "shop products")
    store.touch()
    return inventory_items, locations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--changed", type=float, default=0.01, help="share of item x location pairs changed")
    args = parser.parse_args()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from integrations.models import LocationMapping
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.businesscentral.inventory import item_entry_post
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from syncs.services.stock import bc_location_quantities, stock_push
    from tests.factories import IntegrationFactory

    bc_sim = BusinessCentralSimulator()
    shop_sim = ShopifySimulator(shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN, seed=42)
    print(f"Seeding {args.items:,} items x {len(BC_LOCATIONS)} locations in both simulators ...", flush=True)
    items = _seed_bc(bc_sim, args.items)
    inventory_items, shop_locations = _seed_shop(shop_sim, items)
    bc_sim.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc_sim.latency.configure(per_request=PER_REQUEST, per_operation=PER_OPERATION)

    integration = IntegrationFactory(stock_enabled=True)
    for code, location_id in zip(BC_LOCATIONS, shop_locations, strict=True):
        LocationMapping.objects.create(integration=integration, bc_location_code=code, shop_location_id=location_id)
    item_links_create(integration=integration, items=items, inventory_items=inventory_items)

    with serve(bc_sim) as bc_server, serve(shop_sim) as shop_server:
        bc, shop = clients_build(
            bc_sim=bc_sim, bc_url=bc_server.url, shop_sim=shop_sim, shop_url=shop_server.url, company_name=COMPANY
        )

        def measure(label: str, **options) -> tuple[int, float]:
            bc_before, shop_before = bc_sim.request_count, shop_sim.stats["requests"]
            waited_before, applied_before = shop.stats.waited_seconds, shop_applied(shop_sim)
            print(f"{label} ...", flush=True)
            started, cpu_started = time.perf_counter(), time.process_time()
            result = stock_push(integration=integration, bc_client=bc, shop_client=shop, **options)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            bc_requests = bc_sim.request_count - bc_before
            shop_requests = shop_sim.stats["requests"] - shop_before
            print(
                f"  pairs seen {result.seen:,}: pushed {result.pushed:,}, unchanged {result.unchanged:,}, "
                f"failed {result.failed:,}; shop applied {shop_applied(shop_sim) - applied_before:,} quantities\n"
                f"  HTTP requests {bc_requests + shop_requests:,} (BC {bc_requests:,}, shop {shop_requests:,}); "
                f"{seconds:.2f} s wall, {cpu:.2f} s CPU (product and simulators); load {os.getloadavg()[0]:.1f}; "
                f"shop throttle waits {shop.stats.waited_seconds - waited_before:.1f} s "
                f"(simulator clock); BC 429s {bc_sim.throttle.rejected}",
                flush=True,
            )
            return bc_requests + shop_requests, seconds

        measure("Initial push (sets the last pushed quantities)")

        pairs = args.items * len(BC_LOCATIONS)
        changed = max(1, int(pairs * args.changed))
        step = max(1, pairs // changed)
        company = bc_sim.company()
        for pair in range(0, pairs, step)[:changed]:
            item = items[pair // len(BC_LOCATIONS)]
            code = BC_LOCATIONS[pair % len(BC_LOCATIONS)]
            item_entry_post(
                company, item=item, location_code=code, quantity=7, entry_type="Positive Adjmt.", document_number="J1"
            )  # an item journal line: a new open entry, the item's lastModifiedDateTime does not move
        print(f"Changed {changed:,} of {pairs:,} item x location quantities in BC.", flush=True)

        print("BC read alone (page 38, open entries of the three locations) ...", flush=True)
        before, started = bc_sim.request_count, time.perf_counter()
        totals = bc_location_quantities(bc_client=bc, location_codes=BC_LOCATIONS)
        print(
            f"  {len(totals):,} item x location sums from {bc_sim.request_count - before} BC requests in "
            f"{time.perf_counter() - started:.2f} s wall",
            flush=True,
        )
        delta_requests, delta_seconds = measure("Delta run")
        full_requests, full_seconds = measure("Full re-push", full=True)

    print(
        f"\n{args.items:,} items x {len(BC_LOCATIONS)} locations, {changed:,} pairs changed. Delta vs full re-push: "
        f"{delta_requests:,} vs {full_requests:,} HTTP requests ({full_requests / max(delta_requests, 1):.0f}x fewer), "
        f"{delta_seconds:.2f} s vs {full_seconds:.2f} s ({full_seconds / max(delta_seconds, 1e-9):.1f}x faster).",
        flush=True,
    )


if __name__ == "__main__":
    main()
