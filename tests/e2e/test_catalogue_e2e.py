# ruff: noqa: F811 - pytest fixtures imported from tests.flows.conftest
"""Products and stock against both simulators: BC (in process) and Shopify (over HTTP).

Writes are counted in the Shopify simulator (``stats["mutation:<name>"]``, adjustment groups), so
"no write" and "only the changed items" are observed at the shop, not in the product's counters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations import commerce
from integrations.connectors.businesscentral import entities
from integrations.models import Integration
from syncs.models import EntityType, RecordLink, SourceSystem, SyncLogEntry, SyncRun
from syncs.services.dispatch import record_links_retry
from syncs.services.products import item_relink, products_sync
from syncs.services.stock import stock_push
from tests.factories import LocationMappingFactory
from tests.fixtures.clients import StaticClients
from tests.fixtures.shopify import SHOP_DOMAIN, shopify_client_for
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration(bc_integration, shopify_server) -> Integration:  # noqa: F811
    bc_integration.products_enabled = bc_integration.stock_enabled = True
    bc_integration.save()
    shop = bc_integration.shop_connection
    shop.shop_domain = SHOP_DOMAIN
    shop.save()
    location_id = next(iter(shopify_server.sim.store.locations))
    LocationMappingFactory(integration=bc_integration, bc_location_code="", shop_location_id=location_id)
    return bc_integration


@pytest.fixture
def bc(sim_bc):  # noqa: F811
    """The BC company with an empty item list: each test adds the items it talks about."""
    company = sim_bc.company()
    company.tables["items"].clear()
    company.tables["itemVariants"].clear()
    return company


@pytest.fixture
def sim(shopify_server):
    return shopify_server.sim


@pytest.fixture
def shop(shopify_server):
    return shopify_client_for(shopify_server)


@pytest.fixture
def clients(bc_client, shop, settings):  # noqa: F811
    """Runs through the executor (commands, Retry) use the simulator clients."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.SYNC_CLIENT_FACTORY = StaticClients(bc_client=bc_client, shop_client=shop)
    return bc_client, shop


def add_item(bc_client, number, **fields):  # noqa: F811
    payload = {"number": number, "displayName": f"Item {number}", "type": "Inventory", "unitPrice": 100}
    payload.update(fields)
    return bc_client.create_record(entities.ITEMS, payload)


def edit_item(bc, number, **fields):
    """An edit on the item card: new values, new lastModifiedDateTime."""
    record = bc.find("items", number=number)
    record.update(fields)
    bc.touch(record)


def age(bc, hours=1):
    """Let time pass: every item and variant was last modified ``hours`` earlier (out of the overlap)."""
    for table in ("items", "itemVariants"):
        for record in bc.rows(table):
            moment = dt.datetime.fromisoformat(record["lastModifiedDateTime"].replace("Z", "+00:00"))
            record["lastModifiedDateTime"] = (moment - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def set_stock(bc, number, quantity):
    """Posting an item journal: inventory changes, the item's timestamp does not."""
    bc.find("items", number=number)["inventory"] = quantity


def products(integration, bc_client, shop, **options):  # noqa: F811
    return products_sync(integration=integration, bc_client=bc_client, shop_client=shop, **options)


def stock(integration, bc_client, shop, **options):  # noqa: F811
    return stock_push(integration=integration, bc_client=bc_client, shop_client=shop, **options)


def item_link(integration, item_id) -> RecordLink:
    return RecordLink.objects.get(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=item_id,
    )


def shop_product(sim, integration, item_id) -> dict:
    return sim.store.products[item_link(integration, item_id).target_id]


def by_sku(sim, sku) -> dict:
    return next(v for v in sim.store.variants.values() if v.get("sku") == sku)


def level(sim, integration, sku) -> int | None:
    location_id = integration.location_mappings.get().shop_location_id
    found = sim.store.inventory_levels.get((by_sku(sim, sku)["inventoryItem"]["id"], location_id))
    return found["_quantities"]["available"] if found else None


def pushed_quantities(sim) -> list[int]:
    """Quantities per inventorySetQuantities call that was applied, in order."""
    return [len(group["changes"]) for group in sim.store.adjustment_groups.values()]


# --- Products ---------------------------------------------------------------------------------------


def test_new_item_becomes_an_active_product_with_description_price_sku_barcode_and_links(
    integration, bc, bc_client, shop, sim
):
    item = add_item(
        bc_client,
        "7000-S",
        displayName="OSLO Stool",
        displayName2="Oak & steel\nFlat-packed",
        gtin="7310000000999",
        unitPrice=899.5,
    )

    result = products(integration, bc_client, shop)

    assert (result.created, result.failed) == (1, 0)
    product = shop_product(sim, integration, item.id)
    (variant,) = product["variants"]
    assert (product["title"], product["status"]) == ("OSLO Stool", "ACTIVE")
    assert product["descriptionHtml"] == "<p>Oak &amp; steel<br>Flat-packed</p>"
    assert (variant["sku"], variant["barcode"], Decimal(variant["price"])) == (
        "7000-S",
        "7310000000999",
        Decimal("899.5"),
    )
    link = item_link(integration, item.id)
    assert link.state == RecordLink.State.SYNCED
    assert link.details["inventory_item_id"] == variant["inventoryItem"]["id"]


def test_a_changed_item_updates_its_product_and_unchanged_items_cost_no_write(integration, bc, bc_client, shop, sim):
    lamp = add_item(bc_client, "7000-S", displayName="Lamp", unitPrice=100)
    add_item(bc_client, "7001-S", displayName="Chair")
    products(integration, bc_client, shop)
    writes = sim.stats["mutations"]

    age(bc)
    edit_item(bc, "7000-S", displayName="Lamp XL", unitPrice=125)
    result = products(integration, bc_client, shop)

    assert (result.seen, result.updated, result.created) == (1, 1, 0)  # the other item is not even read
    assert sim.stats["mutations"] - writes == 2  # productUpdate + productVariantsBulkUpdate
    product = shop_product(sim, integration, lamp.id)
    assert (product["title"], product["variants"][0]["price"]) == ("Lamp XL", "125")

    # Re-read (the cursor's overlap, or an edit the shop does not show): no write at all.
    writes = sim.stats["mutations"]
    edit_item(bc, "7001-S", unitCost=12)
    again = products(integration, bc_client, shop)
    assert again.seen >= 1
    assert (again.updated, again.created, again.unchanged) == (0, 0, again.seen)
    assert sim.stats["mutations"] == writes


@pytest.mark.parametrize(("configured", "status"), [("draft", "DRAFT"), ("archived", "ARCHIVED")])
def test_a_blocked_item_sets_the_configured_product_status(integration, bc, bc_client, shop, sim, configured, status):
    integration.blocked_item_product_status = configured
    integration.save()
    item = add_item(bc_client, "7000-S")
    products(integration, bc_client, shop)

    bc.block_item("7000-S")
    products(integration, bc_client, shop)

    assert shop_product(sim, integration, item.id)["status"] == status


def test_item_variants_become_one_product_with_an_option_and_a_link_per_variant(integration, bc, bc_client, shop, sim):
    item = add_item(bc_client, "7100", displayName="Mug")
    for code in ("RED", "BLUE"):
        bc_client.create_record(entities.ITEM_VARIANTS, {"itemId": item.id, "code": code, "description": code})

    products(integration, bc_client, shop)

    product = shop_product(sim, integration, item.id)
    assert [(o["name"], o["values"]) for o in product["options"]] == [("Variant", ["BLUE", "RED"])]
    assert sorted((v["sku"], v["selectedOptions"][0]["value"]) for v in product["variants"]) == [
        ("7100-BLUE", "BLUE"),
        ("7100-RED", "RED"),
    ]
    for variant in bc.filter("itemVariants", itemId=item.id):
        assert item_link(integration, variant["id"]).target_id == by_sku(sim, f"7100-{variant['code']}")["id"]

    # A variant added in BC leaves the item's timestamp alone; the variant's own one brings it.
    products_before = len(sim.store.products)
    age(bc)
    bc_client.create_record(entities.ITEM_VARIANTS, {"itemId": item.id, "code": "GREEN", "description": "Green"})
    result = products(integration, bc_client, shop)

    assert (result.seen, result.updated) == (1, 1)
    assert len(sim.store.products) == products_before
    product = shop_product(sim, integration, item.id)
    assert sorted(v["sku"] for v in product["variants"]) == ["7100-BLUE", "7100-GREEN", "7100-RED"]
    assert product["options"][0]["values"] == ["BLUE", "RED", "GREEN"]


def test_an_existing_shop_product_with_the_sku_is_linked_not_duplicated(integration, bc, bc_client, shop, sim):
    existing = by_sku(sim, "1928-S")["product"]
    count = len(sim.store.products)
    item = add_item(bc_client, "1928-S", displayName="AMSTERDAM Lamp (BC)")

    result = products(integration, bc_client, shop)

    assert (result.updated, result.created) == (1, 0)
    assert len(sim.store.products) == count
    assert item_link(integration, item.id).target_id == existing["id"]
    assert existing["title"] == "AMSTERDAM Lamp (BC)"  # BC wins


def test_the_seeded_catalogues_link_by_sku_and_only_bc_only_items_become_products(
    integration, sim_bc, bc_client, shop, sim
):
    bc_items = {row["number"]: row for row in sim_bc.company().rows("items")}
    shop_products = {v["sku"]: v["product"]["id"] for v in sim.store.variants.values() if v.get("sku")}
    shared = set(bc_items) & set(shop_products)
    count = len(sim.store.products)

    result = products(integration, bc_client, shop)

    assert shared, "the BC and shop simulators are seeded with a common catalogue"
    assert (result.failed, result.updated, result.created) == (0, len(shared), len(bc_items) - len(shared))
    assert len(sim.store.products) == count + len(bc_items) - len(shared)
    for number in shared:
        assert item_link(integration, bc_items[number]["id"]).target_id == shop_products[number]


def test_one_refused_product_fails_alone_is_logged_and_completed_by_the_retry(integration, bc, bc_client, shop, sim):
    good = add_item(bc_client, "7000-S")
    bad = add_item(bc_client, "7001-S", displayName="Refused stool")
    sim.faults.reject_sku("7001-S", message="SKU is reserved")

    result = products(integration, bc_client, shop)

    assert (result.created, result.failed) == (1, 1)
    assert item_link(integration, good.id).state == RecordLink.State.SYNCED
    link = item_link(integration, bad.id)
    assert (link.state, link.last_error_code) == ("failed", "SHOP-401")
    assert "SKU is reserved" in link.last_error_message
    assert SyncLogEntry.objects.filter(record_link=link, error_code="SHOP-401").exists()
    # The shop made the product before refusing its variant: the link remembers it.
    half_made = sim.store.products[link.target_id]
    assert half_made["title"] == "Refused stool"

    sim.faults.clear()
    retry = products(integration, bc_client, shop)

    assert (retry.updated, retry.failed) == (1, 0)
    assert [p["id"] for p in sim.store.products.values() if p["title"] == "Refused stool"] == [half_made["id"]]
    assert [v["sku"] for v in half_made["variants"]] == ["7001-S"]
    assert item_link(integration, bad.id).state == RecordLink.State.SYNCED


def test_gtin_rule_without_a_gtin_fails_the_item_with_its_code(integration, bc, bc_client, shop, sim):
    integration.sku_rule = "gtin"
    integration.save()
    add_item(bc_client, "7000-S", gtin="7310000000999")
    no_gtin = add_item(bc_client, "7001-S")

    result = products(integration, bc_client, shop)

    assert (result.created, result.failed) == (1, 1)
    assert by_sku(sim, "7310000000999")["barcode"] == "7310000000999"
    assert item_link(integration, no_gtin.id).last_error_code == "MAP-401"


def test_relink_without_a_variant_updates_the_chosen_product_in_place(integration, bc, bc_client, shop, sim):
    item = add_item(bc_client, "7000-S", displayName="Lamp")
    products(integration, bc_client, shop)
    other = shop.product_create(
        commerce.ProductInput(title="Hand-made duplicate", variants=(commerce.VariantInput(sku="OTHER"),))
    )

    item_relink(link_id=item_link(integration, item.id).pk, shop_product_id=other.id)
    result = products(integration, bc_client, shop)

    assert result.updated == 1
    moved = sim.store.products[other.id]
    assert moved["title"] == "Lamp"
    assert [v["sku"] for v in moved["variants"]] == ["7000-S"]  # matched, not a second variant


def test_both_ways_creates_bc_items_from_the_template_and_bc_wins_for_linked_products(
    integration, bc, bc_client, shop, sim
):
    integration.products_bidirectional = True
    integration.product_item_template = {
        "general_product_posting_group": "RETAIL",
        "inventory_posting_group": "RESALE",
        "vat_product_posting_group": "STANDARD",
    }
    integration.save()
    shop_skus = {v["sku"] for v in sim.store.variants.values() if v.get("sku")}
    lamp = add_item(bc_client, "1928-S", displayName="Lamp (BC)", unitPrice=600)

    result = products(integration, bc_client, shop)

    # Every other shop product with a SKU got a BC item from the template; the lamp was linked.
    created = {row["number"]: row for row in bc.rows("items")}
    assert set(created) == shop_skus
    assert result.bc_items_created == len(shop_skus) - 1
    desk = created["1896-S"]
    assert (desk["displayName"], desk["unitPrice"]) == ("ATHENS Desk", 8990)
    assert (desk["generalProductPostingGroupCode"], desk["inventoryPostingGroupCode"]) == ("RETAIL", "RESALE")
    assert desk["taxGroupCode"] == "STANDARD"
    assert item_link(integration, desk["id"]).details["origin"] == "shop"

    # A shop edit of a linked product is overwritten with BC's values, never copied back.
    product_id = item_link(integration, lamp.id).target_id
    shop.product_update(commerce.ProductInput(id=product_id, title="Edited in the shop"))
    edit_item(bc, "1928-S", unitPrice=650)
    products(integration, bc_client, shop)
    assert sim.store.products[product_id]["title"] == "Lamp (BC)"
    assert bc.find("items", number="1928-S")["displayName"] == "Lamp (BC)"
    assert len(bc.rows("items")) == len(shop_skus)  # nothing created twice


def test_both_ways_is_a_dry_run_until_writes_are_allowed(integration, bc, bc_client, shop):
    integration.products_bidirectional = True
    integration.allow_writes = False
    integration.save()

    products(integration, bc_client, shop)

    assert bc.rows("items") == []
    assert SyncLogEntry.objects.filter(message__contains="would create BC item 1896-S").exists()


# --- Stock --------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(integration, bc, bc_client, shop):  # noqa: F811
    """Six linked items, stock 1..6 (item 7003-S at -3), in the shop already."""
    for n in range(6):
        add_item(bc_client, f"700{n}-S")
        set_stock(bc, f"700{n}-S", -3 if n == 3 else n + 1)
    products(integration, bc_client, shop)
    return [f"700{n}-S" for n in range(6)]


def test_first_push_sets_every_linked_item_negative_as_zero_in_one_call(
    integration, catalogue, bc, bc_client, shop, sim
):
    set_stock(bc, catalogue[5], 2.75)
    before = len(sim.store.adjustment_groups)

    result = stock(integration, bc_client, shop)

    assert (result.pushed, result.failed, result.batches) == (6, 0, 1)
    assert pushed_quantities(sim)[before:] == [6]
    assert [level(sim, integration, sku) for sku in catalogue] == [1, 2, 3, 0, 5, 2]


def test_delta_pushes_only_changed_quantities(integration, catalogue, bc, bc_client, shop, sim):
    stock(integration, bc_client, shop)
    before = len(sim.store.adjustment_groups)

    set_stock(bc, catalogue[2], 30)
    result = stock(integration, bc_client, shop)

    assert (result.pushed, result.unchanged) == (1, 5)
    assert pushed_quantities(sim)[before:] == [1]
    assert level(sim, integration, catalogue[2]) == 30

    nothing = stock(integration, bc_client, shop)
    assert (nothing.pushed, nothing.batches) == (0, 0)
    assert pushed_quantities(sim)[before:] == [1]


def test_full_run_re_pushes_every_item_in_batches_and_skips_items_without_a_product(
    integration, catalogue, bc, bc_client, shop, sim
):
    stock(integration, bc_client, shop)
    add_item(bc_client, "7999-S")  # not in the shop yet: the products flow creates it first
    set_stock(bc, "7999-S", 9)
    before = len(sim.store.adjustment_groups)

    result = stock(integration, bc_client, shop, full=True, batch_size=4)

    assert (result.pushed, result.not_linked, result.batches) == (6, 1, 2)
    assert pushed_quantities(sim)[before:] == [4, 2]


def test_one_refused_item_leaves_the_rest_pushed_visible_and_retryable(
    integration, catalogue, bc_client, shop, sim, clients, django_capture_on_commit_callbacks
):
    bad = by_sku(sim, catalogue[1])["inventoryItem"]["id"]
    before = level(sim, integration, catalogue[1])
    sim.faults.reject_inventory_item(bad, message="Bundles have no own stock")

    result = stock(integration, bc_client, shop)

    assert (result.pushed, result.failed) == (5, 1)
    assert [level(sim, integration, sku) for sku in catalogue] == [1, before, 3, 0, 5, 6]
    link = RecordLink.objects.get(entity_type=EntityType.STOCK, target_id=bad)
    assert (link.state, link.last_error_code, link.attempts) == ("failed", "SHOP-402", 1)
    assert "Bundles have no own stock" in link.last_error_message
    assert SyncLogEntry.objects.filter(record_link=link, error_code="SHOP-402").exists()

    # Support presses Retry once the shop is fixed: a retry run pushes that item, and only it.
    sim.faults.clear()
    groups = len(sim.store.adjustment_groups)
    with django_capture_on_commit_callbacks(execute=True):
        (run,) = record_links_retry(record_link_ids=[link.pk])

    run.refresh_from_db()
    assert (run.status, run.records_updated) == ("succeeded", 1)
    assert pushed_quantities(sim)[groups:] == [1]
    assert level(sim, integration, catalogue[1]) == 2
    link.refresh_from_db()
    assert (link.state, link.last_error_code) == ("synced", "")


def test_a_refusal_naming_no_row_is_isolated_by_splitting_the_batch(integration, catalogue, bc_client, shop, sim):
    bad = by_sku(sim, catalogue[4])["inventoryItem"]["id"]
    sim.faults.reject_inventory_item(bad, positioned=False)

    result = stock(integration, bc_client, shop)

    assert (result.pushed, result.failed) == (5, 1)
    assert RecordLink.objects.get(entity_type=EntityType.STOCK, target_id=bad).state == "failed"
    assert level(sim, integration, catalogue[5]) == 6


def test_a_resent_identical_batch_is_applied_once(integration, catalogue, bc_client, shop, sim):
    stock(integration, bc_client, shop)
    groups = len(sim.store.adjustment_groups)
    RecordLink.objects.filter(entity_type=EntityType.STOCK).update(state="pending")  # as if the answer was lost

    result = stock(integration, bc_client, shop)

    assert result.pushed == 6
    assert len(sim.store.adjustment_groups) == groups
    assert sim.stats["idempotent_replays"] == 1


def test_a_sale_in_the_shop_since_the_last_push_is_compared_re_read_and_overwritten(
    integration, catalogue, bc, bc_client, shop, sim
):
    stock(integration, bc_client, shop)
    item_id = by_sku(sim, catalogue[2])["inventoryItem"]["id"]
    sim.faults.sell_during_updates(item_id, times=1)  # a sale lands just before our compare-and-swap
    set_stock(bc, catalogue[2], 30)

    result = stock(integration, bc_client, shop)

    assert (result.pushed, result.failed) == (1, 0)
    assert level(sim, integration, catalogue[2]) == 30  # BC is the stock master: the re-read value is replaced
    assert shop.stats.stock_conflicts == 1


def test_stock_that_keeps_moving_fails_its_items_with_shop_006(integration, catalogue, bc, bc_client, shop, sim):
    stock(integration, bc_client, shop)
    item_id = by_sku(sim, catalogue[2])["inventoryItem"]["id"]
    sim.faults.sell_during_updates(item_id, times=100)
    set_stock(bc, catalogue[2], 30)

    result = stock(integration, bc_client, shop)

    assert result.failed == 1
    link = RecordLink.objects.get(entity_type=EntityType.STOCK, target_id=item_id)
    assert (link.state, link.last_error_code) == ("failed", "SHOP-006")
    assert link.details["wanted_quantity"] == 30


# --- Through the run executor -----------------------------------------------------------------------------


def test_commands_run_products_then_stock_and_record_requests(integration, bc, bc_client, clients, sim):
    add_item(bc_client, "7000-S")
    add_item(bc_client, "7001-S")
    set_stock(bc, "7000-S", 4)
    out = StringIO()

    call_command("sync_products", integration.pk, stdout=out)
    call_command("sync_stock", integration.pk, stdout=out)

    products_run, stock_run = SyncRun.objects.filter(integration=integration).order_by("pk")
    assert (products_run.flow, products_run.status, products_run.records_created) == ("products", "succeeded", 2)
    assert (stock_run.flow, stock_run.status, stock_run.records_updated) == ("stock", "succeeded", 2)
    assert products_run.api_requests > 0 and stock_run.api_requests > 0
    assert (level(sim, integration, "7000-S"), level(sim, integration, "7001-S")) == (4, 0)


def test_a_refused_item_makes_the_stock_run_partial(integration, catalogue, clients, sim):
    sim.faults.reject_inventory_item(by_sku(sim, catalogue[0])["inventoryItem"]["id"])

    with pytest.raises(CommandError, match="partially failed"):
        call_command("sync_stock", integration.pk, stdout=StringIO())

    run = SyncRun.objects.get(flow="stock")
    assert (run.status, run.records_updated, run.records_failed) == ("partial", 5, 1)


def test_no_location_mapping_fails_the_stock_run_with_its_code(integration, clients):
    integration.location_mappings.all().delete()

    with pytest.raises(CommandError, match="MAP-402"):
        call_command("sync_stock", integration.pk, stdout=StringIO())

    run = SyncRun.objects.get(flow="stock")
    assert (run.status, run.error_code) == ("failed", "MAP-402")
