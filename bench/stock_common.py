"""What the two stock benchmarks share: Django on a throwaway SQLite file, progress lines, item
links and the product's own clients against the simulators.

Importing it sets up Django (test settings, a fresh SQLite file) before the product's models load.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3")
django.setup()

from integrations.connectors.businesscentral.client import BusinessCentralClient  # noqa: E402
from integrations.connectors.shopify import ShopifyClient  # noqa: E402
from syncs.models import EntityType, RecordLink, SourceSystem  # noqa: E402

SHOP_DOMAIN = "bench-shop.myshopify.com"
SHOP_TOKEN = "shpat_bench"
BC_TOKEN = "test-token"


def progress(done: int, total: int, label: str) -> None:
    if done % 10_000 == 0 or done == total:
        print(f"  {label}: {done:,} / {total:,}", flush=True)


def item_links_create(*, integration, items: list[dict], inventory_items: dict[str, str]) -> None:
    """Link every BC item to its shop product as the products flow would."""
    print("Linking items to their products ...", flush=True)
    RecordLink.objects.bulk_create(
        (
            RecordLink(
                integration=integration,
                entity_type=EntityType.ITEM,
                source_system=SourceSystem.BUSINESS_CENTRAL,
                source_id=item["id"],
                source_reference=item["number"],
                target_id=f"product-of-{item['id']}",
                state=RecordLink.State.SYNCED,
                details={"inventory_item_id": inventory_items[item["id"]]},
            )
            for item in items
        ),
        batch_size=2000,
    )


def clients_build(*, bc_sim, bc_url: str, shop_sim, shop_url: str, company_name: str = ""):
    """The product's own BC and Shopify clients against the simulators' loopback URLs."""
    bc = BusinessCentralClient(
        api_root=bc_url,
        tenant_id=bc_sim.tenant_id,
        environment="sandbox",
        company_id=bc_sim.company_id(),
        company_name=company_name,
        token_provider=lambda: BC_TOKEN,
    )
    shop = ShopifyClient(
        shop_domain=SHOP_DOMAIN,
        access_token=SHOP_TOKEN,
        api_root=shop_url,
        sleep=shop_sim.clock.advance,
        clock=shop_sim.clock.timestamp,
    )
    return bc, shop


def shop_applied(shop_sim) -> int:
    """Quantities the Shopify simulator has applied so far (counted in the simulator)."""
    return sum(len(group["changes"]) for group in shop_sim.store.adjustment_groups.values())
