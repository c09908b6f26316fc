# ruff: noqa: F811 - pytest fixtures imported from tests.flows.catalogue_fakes
"""BC items -> shop products: create, update, block, variants, delta, failures, both ways, relink."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integrations.connectors.shopify.types import ProductInput
from syncs.models import EntityType, RecordLink, SourceSystem, SyncCursor, SyncLogEntry
from syncs.services.products import item_relink, products_sync
from tests.flows.catalogue_fakes import bc, integration, shop  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _sync(integration, bc, shop, **options):
    return products_sync(integration=integration, bc_client=bc, shop_client=shop, **options)


def _link(integration, source_id) -> RecordLink:
    return RecordLink.objects.get(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=source_id,
    )


def test_new_item_creates_a_product_with_sku_barcode_price_and_a_link(integration, bc, shop):
    item = bc.add_item("1928-S", display_name="AMSTERDAM Lamp", gtin="7310000000012", unit_price=Decimal("54.90"))

    result = _sync(integration, bc, shop)

    assert (result.created, result.failed) == (1, 0)
    (product,) = shop.products.values()
    (variant,) = product.variants
    assert (product.title, product.status) == ("AMSTERDAM Lamp", "ACTIVE")
    assert (variant.sku, variant.barcode, variant.price) == ("1928-S", "7310000000012", Decimal("54.90"))
    link = _link(integration, item.id)
    assert link.state == RecordLink.State.SYNCED
    assert link.target_id == product.id
    assert link.details["inventory_item_id"] == variant.inventory_item_id


def test_gtin_rule_puts_the_gtin_in_the_sku(integration, bc, shop):
    integration.sku_rule = "gtin"
    integration.save()
    bc.add_item("1928-S", gtin="7310000000012")

    _sync(integration, bc, shop)

    assert shop.variant_by_sku("7310000000012").barcode == "7310000000012"


def test_changed_item_updates_the_same_product_and_unchanged_items_cost_no_write(integration, bc, shop):
    lamp = bc.add_item("1928-S", display_name="Lamp", unit_price=Decimal("10"))
    bc.add_item("1929-S", display_name="Chair")
    _sync(integration, bc, shop)
    writes = shop.writes

    bc.change(lamp, display_name="Lamp XL", unit_price=Decimal("12.50"))
    result = _sync(integration, bc, shop)

    assert (result.updated, result.created) == (1, 0)
    assert shop.writes == writes + 1
    product = shop.products[_link(integration, lamp.id).target_id]
    assert product.title == "Lamp XL"
    assert product.variants[0].price == Decimal("12.50")
    assert len(shop.products) == 2

    # Touched in BC (re-read by the cursor) but nothing the shop shows changed: no write.
    bc.age(dt.timedelta(hours=1))
    bc.change(lamp)
    again = _sync(integration, bc, shop)
    assert (again.seen, again.unchanged, again.updated) == (1, 1, 0)
    assert shop.writes == writes + 1


def test_delta_reads_only_items_changed_since_the_cursor(integration, bc, shop):
    bc.add_item("A")
    bc.add_item("B")
    _sync(integration, bc, shop)
    cursor = SyncCursor.objects.get(integration=integration, flow="products")
    assert cursor.last_loaded_at is not None

    bc.age(dt.timedelta(hours=1))  # older than the cursor's overlap

    nothing = _sync(integration, bc, shop)
    assert nothing.seen == 0
    bc.change(next(iter(bc.items.values())), display_name="Renamed")
    one = _sync(integration, bc, shop)
    assert (one.seen, one.updated) == (1, 1)


@pytest.mark.parametrize(("configured", "status"), [("draft", "DRAFT"), ("archived", "ARCHIVED")])
def test_blocked_item_sets_the_configured_product_status(integration, bc, shop, configured, status):
    integration.blocked_item_product_status = configured
    integration.save()
    item = bc.add_item("1928-S")
    _sync(integration, bc, shop)

    bc.change(item, blocked=True)
    _sync(integration, bc, shop)

    assert shop.products[_link(integration, item.id).target_id].status == status


def test_item_variants_become_shop_variants_each_with_its_own_link(integration, bc, shop):
    item = bc.add_item("1000", variants=("RED", "BLUE"))

    _sync(integration, bc, shop)

    product = shop.products[_link(integration, item.id).target_id]
    assert sorted(v.sku for v in product.variants) == ["1000-BLUE", "1000-RED"]
    for variant in item.item_variants:
        link = _link(integration, variant.id)
        assert link.target_id == shop.variant_by_sku(f"1000-{variant.code}").id
        assert link.details["item_id"] == item.id

    # A new BC variant is added to the same product; the others are updated in place.
    bc.change(item, item_variants=[*item.item_variants, type(item.item_variants[0])(id="v-green", code="GREEN")])
    _sync(integration, bc, shop)
    product = shop.products[product.id]
    assert sorted(v.sku for v in product.variants) == ["1000-BLUE", "1000-GREEN", "1000-RED"]


def test_existing_shop_product_with_the_sku_is_linked_not_duplicated(integration, bc, shop):
    existing = shop.add_product("Old title", sku="1928-S")
    item = bc.add_item("1928-S", display_name="Lamp")

    result = _sync(integration, bc, shop)

    assert result.updated == 1
    assert list(shop.products) == [existing.id]
    assert _link(integration, item.id).target_id == existing.id
    assert shop.products[existing.id].title == "Lamp"


def test_one_bad_item_fails_alone_with_a_code_and_is_retried_next_run(integration, bc, shop):
    integration.sku_rule = "gtin"
    integration.save()
    good = bc.add_item("GOOD", gtin="7310000000011")
    bad = bc.add_item("BAD", gtin="")
    refused = bc.add_item("REFUSED", gtin="7310000000099")
    shop.reject_skus.add("7310000000099")

    result = _sync(integration, bc, shop)

    assert (result.created, result.failed) == (1, 2)
    assert _link(integration, good.id).state == RecordLink.State.SYNCED
    assert (_link(integration, bad.id).state, _link(integration, bad.id).last_error_code) == ("failed", "MAP-401")
    assert _link(integration, refused.id).last_error_code == "SHOP-401"
    assert SyncLogEntry.objects.filter(error_code="MAP-401", record_link=_link(integration, bad.id)).exists()

    # Fixed in BC without touching lastModifiedDateTime windows: the failed link alone brings it back.
    shop.reject_skus.clear()
    retry = _sync(integration, bc, shop)
    assert retry.created == 1
    assert _link(integration, refused.id).state == RecordLink.State.SYNCED
    assert _link(integration, bad.id).attempts == 2


def test_both_ways_creates_bc_items_for_shop_only_products_and_bc_wins_for_linked(integration, bc, shop):
    integration.products_bidirectional = True
    integration.product_item_template = {
        "general_product_posting_group": "RETAIL",
        "vat_product_posting_group": "VAT25",
    }
    integration.save()
    linked_item = bc.add_item("1928-S", display_name="Lamp (BC)", unit_price=Decimal("20"))
    shop_only = shop.add_product("Mug", sku="MUG-1", price="99", barcode="7310000000777")
    matching = shop.add_product("Chair (shop)", sku="CHAIR-1")
    chair = bc.add_item("CHAIR-1", display_name="Chair (BC)")

    result = _sync(integration, bc, shop)

    # Shop-only product -> BC item from the template; a matching SKU links instead of creating.
    assert result.bc_items_created == 1
    (payload,) = bc.created
    assert payload["number"] == "MUG-1"
    assert payload["generalProductPostingGroupCode"] == "RETAIL"
    assert payload["taxGroupCode"] == "VAT25"
    assert _link(integration, chair.id).target_id == matching.id
    mug_link = RecordLink.objects.get(target_id=shop_only.id)
    assert mug_link.details["origin"] == "shop"

    # Shop edits of a linked product are overwritten: BC wins title and price.
    product_id = _link(integration, linked_item.id).target_id
    shop.product_update(ProductInput(id=product_id, title="Edited in shop", status="ACTIVE"))
    bc.change(linked_item, unit_price=Decimal("21"))
    _sync(integration, bc, shop)
    assert shop.products[product_id].title == "Lamp (BC)"
    assert shop.products[product_id].variants[0].price == Decimal("21")
    assert len(bc.created) == 1  # the linked product never created a second BC item


def test_both_ways_is_a_dry_run_until_writes_are_allowed(integration, bc, shop):
    integration.products_bidirectional = True
    integration.allow_writes = False
    integration.save()
    shop.add_product("Mug", sku="MUG-1")

    _sync(integration, bc, shop)

    assert bc.created == []
    assert SyncLogEntry.objects.filter(message__contains="would create BC item MUG-1").exists()


def test_relink_moves_an_item_onto_another_product_on_the_next_run(integration, bc, shop):
    item = bc.add_item("1928-S", display_name="Lamp")
    _sync(integration, bc, shop)
    other = shop.add_product("Hand-made duplicate", sku="OTHER")
    link = _link(integration, item.id)

    item_relink(link_id=link.pk, shop_product_id=other.id, shop_variant_id=other.variants[0].id)
    link.refresh_from_db()
    assert (link.state, link.target_id, link.payload_digest) == ("pending", other.id, "")

    result = _sync(integration, bc, shop)

    assert result.updated == 1
    assert shop.products[other.id].title == "Lamp"
    assert shop.products[other.id].variants[0].sku == "1928-S"
