"""BC stock per item variant -> the WooCommerce variations, through the scheduled flows.

The products flow makes the mug (BC item 1000, variants RED and BLUE) a variable product with a
variation per variant, linked on the item's RecordLinks and managing stock. The stock flow then
writes each variation its variant's stock (page 38's open entries per item and variant code, over
every location), only where the store differs, and isolates what it cannot read.
"""

from __future__ import annotations

from integrations.models import Flow, Integration
from simulators.businesscentral.inventory import location_quantity_set
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from tests.e2e.test_woocommerce_flows_e2e import COMPANY, sim_bc, store, tick  # noqa: F401 - shared fixtures
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture


def _mug(store, integration) -> tuple[dict, dict[str, dict]]:  # noqa: F811
    link = RecordLink.objects.get(integration=integration, entity_type=EntityType.ITEM, source_reference="1000")
    product = store.sim.store.products[int(link.target_id)]
    variations = {store.sim.store.variations[v]["sku"]: store.sim.store.variations[v] for v in product["variations"]}
    return product, variations


def _writes(store) -> list[tuple[str, dict]]:  # noqa: F811
    return [(path, body) for method, path, _, body in store.sim.requests if method not in ("GET", "HEAD")]


def _catalogue(store, bc_server, integration, capture) -> dict:  # noqa: F811
    Integration.objects.filter(pk=integration.pk).update(products_enabled=True)
    company = bc_server.sim.company("sandbox", COMPANY)
    mug = company.find("items", number="1000")
    mug["priceIncludesTax"] = True
    # BC keeps the mug's stock per variant: 7 red and 3 blue in the main warehouse, 2 red in the shop.
    location_quantity_set(company, item=mug, location_code="MAIN", variant_code="RED", quantity=7)
    location_quantity_set(company, item=mug, location_code="MAIN", variant_code="BLUE", quantity=3)
    location_quantity_set(company, item=mug, location_code="STHLM", variant_code="RED", quantity=2)
    tick(integration, Flow.PRODUCTS, capture)
    return mug


def test_the_stock_flow_writes_each_variation_its_variants_stock_once(
    store,  # noqa: F811
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    mug = _catalogue(store, bc_server, bc_integration, django_capture_on_commit_callbacks)
    product, variations = _mug(store, bc_integration)
    assert all(v["manage_stock"] is True for v in variations.values())  # new variations manage stock
    store.sim.requests.clear()

    first = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)

    assert first.status == SyncRun.Status.SUCCEEDED, first.error_message
    assert (variations["1000-RED"]["stock_quantity"], variations["1000-BLUE"]["stock_quantity"]) == (9, 3)
    (mug_write,) = [
        body for path, body in _writes(store) if path.endswith(f"/products/{product['id']}/variations/batch")
    ]
    assert sorted(row["stock_quantity"] for row in mug_write["update"]) == [3, 9]  # both variants, one request

    store.sim.requests.clear()
    second = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)
    assert not _writes(store) and second.records_updated == 0  # nothing differs: nothing written

    # BC sells two red mugs: only the red variation is written on the next tick.
    company = bc_server.sim.company("sandbox", COMPANY)
    location_quantity_set(company, item=mug, location_code="MAIN", variant_code="RED", quantity=5)
    store.sim.requests.clear()
    third = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)

    ((path, body),) = _writes(store)
    assert body == {"update": [{"id": variations["1000-RED"]["id"], "manage_stock": True, "stock_quantity": 7}]}
    assert (variations["1000-RED"]["stock_quantity"], variations["1000-BLUE"]["stock_quantity"]) == (7, 3)
    assert third.records_updated == 1 and third.records_failed == 0


def test_variations_fail_once_with_bc_601_when_page_38_is_not_published_and_the_rest_is_written(
    store,  # noqa: F811
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _catalogue(store, bc_server, bc_integration, django_capture_on_commit_callbacks)
    _product, variations = _mug(store, bc_integration)
    company = bc_server.sim.company("sandbox", COMPANY)
    company.unpublish_odatav4_pages("ItemLedgerEntries")
    desk = next(p for p in store.sim.store.products.values() if p["sku"] == "1896-S")
    desk["stock_quantity"] = 99  # the store drifted from BC

    run = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)

    assert run.status == SyncRun.Status.PARTIAL, run.error_message
    assert run.records_failed == 2  # the two linked variations, left as they were
    assert {v["stock_quantity"] for v in variations.values()} != {9, 3}
    assert desk["stock_quantity"] == company.find("items", number="1896-S")["inventory"]  # the rest is written
    (entry,) = SyncLogEntry.objects.filter(run=run, level=SyncLogEntry.Level.ERROR)
    assert entry.error_code == "BC-601" and "2 variation(s)" in entry.message
