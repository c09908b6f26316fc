# ruff: noqa: F811 - pytest fixtures imported from tests.flows.conftest
"""Stock per location against both simulators: BC's item ledger entries per location (page 38 as an
ODataV4 web service, in process) and the Shopify simulator's inventory levels per location (HTTP).

BC location MAIN goes to the shop's warehouse; STHLM and OUTLET both go to the shop's store (summed).
Writes are counted in the Shopify simulator (adjustment groups), so "only the changed item x
location pairs" is observed at the shop.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations.connectors.businesscentral import entities
from integrations.models import Integration, LocationMapping
from simulators.businesscentral.inventory import item_entry_post, location_quantity_set
from syncs.models import EntityType, PreflightRun, RecordLink, SourceSystem, SyncRun
from syncs.preflight.services import preflight_run
from syncs.services.products import products_sync
from syncs.services.stock import stock_push
from tests.fixtures.clients import StaticClients
from tests.fixtures.shopify import SHOP_DOMAIN, shopify_client_for
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_locations(shopify_server) -> dict[str, str]:
    return {location["name"]: location_id for location_id, location in shopify_server.sim.store.locations.items()}


@pytest.fixture
def bc(sim_bc):
    company = sim_bc.company()
    company.tables["items"].clear()
    company.tables["itemVariants"].clear()
    company.item_ledger.clear()
    company.insert("locations", {"code": "OUTLET", "displayName": "Outlet", "city": "Solna", "country": "SE"})
    return company


@pytest.fixture
def integration(bc_integration, shopify_server, shop_locations, bc) -> Integration:
    bc_integration.products_enabled = bc_integration.stock_enabled = True
    bc_integration.save()
    shop = bc_integration.shop_connection
    shop.shop_domain = SHOP_DOMAIN
    shop.save()
    warehouse, store = shop_locations["Stockholm Warehouse"], shop_locations["Malmö Store"]
    for code, location_id in (("MAIN", warehouse), ("STHLM", store), ("OUTLET", store)):
        LocationMapping.objects.create(integration=bc_integration, bc_location_code=code, shop_location_id=location_id)
    return bc_integration


@pytest.fixture
def shop(shopify_server):
    return shopify_client_for(shopify_server)


@pytest.fixture
def catalogue(integration, bc, bc_client, shop):
    """Three BC items, pushed to the shop as products by the products flow."""
    for number in ("S1", "S2", "S3"):
        bc_client.create_record(
            entities.ITEMS, {"number": number, "displayName": f"Item {number}", "type": "Inventory", "unitPrice": 100}
        )
    products_sync(integration=integration, bc_client=bc_client, shop_client=shop)
    return {number: bc.find("items", number=number) for number in ("S1", "S2", "S3")}


def put(bc, item, code, quantity):
    location_quantity_set(bc, item=item, location_code=code, quantity=quantity)


def push(integration, bc_client, shop, **options):
    return stock_push(integration=integration, bc_client=bc_client, shop_client=shop, **options)


def level(sim, sku, location_id) -> int | None:
    variant = next(v for v in sim.store.variants.values() if v.get("sku") == sku)
    found = sim.store.inventory_levels.get((variant["inventoryItem"]["id"], location_id))
    return found["_quantities"]["available"] if found else None


def pushed_groups(sim) -> list[int]:
    return [len(group["changes"]) for group in sim.store.adjustment_groups.values()]


def test_each_bc_location_goes_to_its_shop_location_and_two_locations_add_up(
    integration, bc, bc_client, shop, shopify_server, shop_locations, catalogue
):
    sim = shopify_server.sim
    warehouse, store = shop_locations["Stockholm Warehouse"], shop_locations["Malmö Store"]
    put(bc, catalogue["S1"], "MAIN", 10)
    put(bc, catalogue["S1"], "STHLM", 4)
    put(bc, catalogue["S1"], "OUTLET", 3)
    put(bc, catalogue["S2"], "MAIN", 7)
    item_entry_post(bc, item=catalogue["S2"], location_code="MAIN", quantity=-2, entry_type="Sale", document_number="X")
    put(bc, catalogue["S3"], "BLUE", 50)  # a BC location not mapped: never sent

    result = push(integration, bc_client, shop)

    assert (result.seen, result.pushed, result.failed) == (6, 6, 0)  # 3 items x 2 shop locations
    assert (level(sim, "S1", warehouse), level(sim, "S1", store)) == (10, 7)  # STHLM 4 + OUTLET 3
    assert (level(sim, "S2", warehouse), level(sim, "S2", store)) == (5, 0)  # 7 received, 2 sold
    assert (level(sim, "S3", warehouse), level(sim, "S3", store)) == (0, 0)
    links = RecordLink.objects.filter(
        integration=integration, entity_type=EntityType.STOCK, source_system=SourceSystem.BUSINESS_CENTRAL
    )
    assert links.count() == 6 and {link.details["location_id"] for link in links} == {warehouse, store}


def test_only_changed_item_location_pairs_are_written(
    integration, bc, bc_client, shop, shopify_server, shop_locations, catalogue
):
    sim = shopify_server.sim
    store = shop_locations["Malmö Store"]
    for number in ("S1", "S2", "S3"):
        put(bc, catalogue[number], "MAIN", 5)
        put(bc, catalogue[number], "STHLM", 2)
    push(integration, bc_client, shop)
    writes = len(pushed_groups(sim))

    unchanged = push(integration, bc_client, shop)
    assert (unchanged.pushed, unchanged.unchanged) == (0, 6)
    assert len(pushed_groups(sim)) == writes  # nothing written to the shop

    put(bc, catalogue["S2"], "OUTLET", 1)  # S2 at the store: 2 -> 3; the warehouse is untouched
    changed = push(integration, bc_client, shop)

    assert (changed.pushed, changed.unchanged) == (1, 5)
    assert pushed_groups(sim)[writes:] == [1]
    assert level(sim, "S2", store) == 3


def test_one_item_the_shop_refuses_does_not_stop_the_others_and_is_retried(
    integration, bc, bc_client, shop, shopify_server, shop_locations, catalogue
):
    sim = shopify_server.sim
    warehouse, store = shop_locations["Stockholm Warehouse"], shop_locations["Malmö Store"]
    for number in ("S1", "S2", "S3"):
        put(bc, catalogue[number], "MAIN", 6)
        put(bc, catalogue[number], "STHLM", 4)
    s2 = next(v for v in sim.store.variants.values() if v.get("sku") == "S2")["inventoryItem"]["id"]
    sim.faults.reject_inventory_item(s2, message="Bundles have no own stock", code="NON_MUTABLE_INVENTORY_ITEM")

    result = push(integration, bc_client, shop)

    assert (result.pushed, result.failed) == (4, 2)  # S2 at both shop locations
    assert (level(sim, "S1", warehouse), level(sim, "S1", store), level(sim, "S3", store)) == (6, 4, 4)
    failed = RecordLink.objects.filter(integration=integration, entity_type=EntityType.STOCK, state="failed")
    assert {(link.source_reference, link.last_error_code) for link in failed} == {("S2", "SHOP-402")}
    assert {link.details["location_id"] for link in failed} == {warehouse, store}

    sim.faults.clear()
    retried = push(integration, bc_client, shop)
    assert (retried.pushed, retried.failed, retried.unchanged) == (2, 0, 4)
    assert (level(sim, "S2", warehouse), level(sim, "S2", store)) == (6, 4)


def test_an_item_not_yet_stocked_at_a_shop_location_becomes_stocked_there(
    integration, bc, bc_client, shop, shopify_server, shop_locations, catalogue
):
    """2026-10: inventorySetQuantities sets quantities at any location (no ITEM_NOT_STOCKED_AT_LOCATION)."""
    sim = shopify_server.sim
    store = shop_locations["Malmö Store"]
    s1 = next(v for v in sim.store.variants.values() if v.get("sku") == "S1")["inventoryItem"]["id"]
    del sim.store.inventory_levels[(s1, store)]
    put(bc, catalogue["S1"], "STHLM", 5)

    result = push(integration, bc_client, shop)

    assert result.failed == 0 and level(sim, "S1", store) == 5


def test_an_unpublished_item_ledger_page_stops_the_run_naming_the_page(
    integration, bc, bc_client, shop, shopify_server, catalogue
):
    bc.unpublish_odatav4_pages("ItemLedgerEntries")
    put(bc, catalogue["S1"], "MAIN", 9)
    writes = len(pushed_groups(shopify_server.sim))

    with pytest.raises(Exception) as raised:  # noqa: PT011 - the ProductError's code is what matters
        push(integration, bc_client, shop)

    assert getattr(raised.value, "code", "") == "BC-601"
    assert "38" in str(raised.value) and "ItemLedgerEntries" in str(raised.value)
    assert len(pushed_groups(shopify_server.sim)) == writes


def test_the_stock_run_fails_with_bc_601_when_the_page_is_not_published(
    integration, bc, bc_client, shop, catalogue, settings
):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.SYNC_CLIENT_FACTORY = StaticClients(bc_client=bc_client, shop_client=shop)
    bc.unpublish_odatav4_pages("ItemLedgerEntries")

    with pytest.raises(CommandError, match="BC-601"):
        call_command("sync_stock", integration.pk, stdout=StringIO())

    run = SyncRun.objects.get(flow="stock")
    assert (run.status, run.error_code) == ("failed", "BC-601")
    assert "ItemLedgerEntries" in run.error_message


def test_preflight_names_the_unpublished_page_and_a_mapped_location_bc_lacks(integration, bc, bc_client):
    healthy = preflight_run(integration_id=integration.pk, trigger=PreflightRun.Trigger.MANUAL, client=bc_client)
    assert healthy.results.get(check_name="stock.locations").status == "pass"

    bc.unpublish_odatav4_pages("ItemLedgerEntries")
    LocationMapping.objects.filter(integration=integration, bc_location_code="OUTLET").update(bc_location_code="GONE")
    run = preflight_run(integration_id=integration.pk, trigger=PreflightRun.Trigger.MANUAL, client=bc_client)

    result = run.results.get(check_name="stock.locations")
    assert result.status == "fail"
    assert "page 38 (ItemLedgerEntries)" in result.message
    assert "Business Central has no location GONE" in result.message
    assert {"page": "38", "service_name": "ItemLedgerEntries"} in result.objects_json
    assert {"location": "GONE"} in result.objects_json
