"""Benchmark (not a test): stock delta vs full re-push, 50,000 items, 1% changed.

    .venv/bin/python bench/stock_delta.py [--items 50000] [--changed 0.01]

Runs on a throwaway SQLite database. The two systems are the connector-boundary stand-ins of the
flow tests (request counters, 250-quantity mutations, idempotency keys), seeded directly, so the
figures count the requests the product makes and the time the product spends. Prints progress,
then requests and seconds of the delta run beside a full re-push in the same run, and the ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from syncs.models import EntityType, RecordLink, SourceSystem
    from syncs.services.stock import stock_push
    from tests.factories import IntegrationFactory, LocationMappingFactory
    from tests.flows.catalogue_fakes import FakeBC, FakeShop

    integration = IntegrationFactory(stock_enabled=True)
    LocationMappingFactory(integration=integration, bc_location_code="", shop_location_id="gid://shopify/Location/1")
    bc, shop = FakeBC(), FakeShop()

    print(f"Seeding {args.items:,} BC items and their product links ...", flush=True)
    links = []
    for n in range(args.items):
        item = bc.add_item(f"I{n:06d}", inventory=n % 50)
        details = {"product_id": f"gid://shopify/Product/{n}", "inventory_item_id": f"gid://shopify/InventoryItem/{n}"}
        links.append(
            RecordLink(
                integration=integration,
                entity_type=EntityType.ITEM,
                source_system=SourceSystem.BUSINESS_CENTRAL,
                source_id=item.id,
                source_reference=item.number,
                target_id=details["product_id"],
                state=RecordLink.State.SYNCED,
                details=details,
            )
        )
        if (n + 1) % 10_000 == 0:
            print(f"  {n + 1:,}", flush=True)
    RecordLink.objects.bulk_create(links, batch_size=2000)

    # BC reads cost one request per page of 20,000 rows (BC's page size cap).
    original_iter = bc.iter_records

    def paged(entity, **options):
        rows = list(original_iter(entity, **options))
        bc.requests += max(0, (len(rows) - 1) // 20_000)
        yield from rows

    bc.iter_records = paged

    def measure(label: str, **options):
        bc_before, shop_before = bc.requests, shop.requests
        started = time.perf_counter()
        result = stock_push(integration=integration, bc_client=bc, shop_client=shop, **options)
        seconds = time.perf_counter() - started
        requests = (bc.requests - bc_before) + (shop.requests - shop_before)
        print(
            f"{label:<14} pushed {result.pushed:>6,}  unchanged {result.unchanged:>6,}  "
            f"requests {requests:>4} (BC {bc.requests - bc_before}, shop {shop.requests - shop_before})  "
            f"{seconds:6.2f} s",
            flush=True,
        )
        return requests, seconds

    print("Initial push (establishes the last pushed quantities) ...", flush=True)
    measure("initial")

    changed = int(args.items * args.changed)
    print(f"Changing {changed:,} quantities in BC ...", flush=True)
    for item in list(bc.items.values())[:: max(1, args.items // max(changed, 1))][:changed]:
        bc.set_inventory(item, item.inventory + 7)

    delta_requests, delta_seconds = measure("delta run")
    full_requests, full_seconds = measure("full re-push", full=True)
    print(
        f"\nDelta vs full: {delta_requests} vs {full_requests} requests "
        f"({full_requests / max(delta_requests, 1):.1f}x fewer), "
        f"{delta_seconds:.2f} s vs {full_seconds:.2f} s ({full_seconds / max(delta_seconds, 1e-9):.1f}x faster)."
    )


if __name__ == "__main__":
    main()
