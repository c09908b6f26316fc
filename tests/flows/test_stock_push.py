# ruff: noqa: F811 - pytest fixtures imported from tests.flows.catalogue_fakes
"""BC stock -> shop quantities: only changes pushed, batches keyed by content, failures isolated."""

from __future__ import annotations

import pytest

from syncs.errors import ProductError
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.services.dispatch import record_links_retry
from syncs.services.products import products_sync
from syncs.services.stock import stock_push
from tests.flows.catalogue_fakes import bc, integration, shop  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
LOCATION = "gid://shopify/Location/1"


def _catalogue(integration, bc, shop, quantities):
    items = [bc.add_item(f"I{n:03d}", inventory=q) for n, q in enumerate(quantities)]
    products_sync(integration=integration, bc_client=bc, shop_client=shop)
    return items


def _push(integration, bc, shop, **options):
    return stock_push(integration=integration, bc_client=bc, shop_client=shop, **options)


def _level(shop, item):
    return shop.levels.get((shop.variant_by_sku(item.number).inventory_item_id, LOCATION))


def test_first_run_pushes_every_linked_item_and_negative_stock_as_zero(integration, bc, shop):
    items = _catalogue(integration, bc, shop, [5, -3, "2.5"])

    result = _push(integration, bc, shop)

    assert (result.pushed, result.failed, result.batches) == (3, 0, 1)
    assert [_level(shop, item) for item in items] == [5, 0, 2]


def test_delta_pushes_only_changed_quantities(integration, bc, shop):
    items = _catalogue(integration, bc, shop, [1, 2, 3, 4])
    _push(integration, bc, shop)
    shop.inventory_calls.clear()

    bc.set_inventory(items[2], 30)
    result = _push(integration, bc, shop)

    assert (result.seen, result.pushed, result.unchanged) == (4, 1, 3)
    assert shop.inventory_calls == [[(shop.variant_by_sku("I002").inventory_item_id, LOCATION, 30)]]

    nothing = _push(integration, bc, shop)
    assert (nothing.pushed, nothing.batches) == (0, 0)
    assert len(shop.inventory_calls) == 1


def test_full_run_re_pushes_everything_in_batches(integration, bc, shop):
    _catalogue(integration, bc, shop, [1, 2, 3, 4, 5])
    _push(integration, bc, shop)

    result = _push(integration, bc, shop, full=True, batch_size=2)

    assert (result.pushed, result.batches) == (5, 3)


def test_items_without_a_shop_product_are_not_pushed(integration, bc, shop):
    _catalogue(integration, bc, shop, [1])
    bc.add_item("NEW", inventory=9)  # not synced to the shop yet

    result = _push(integration, bc, shop)

    assert (result.pushed, result.not_linked) == (1, 1)


def test_one_rejected_item_leaves_the_rest_pushed_and_is_visible_and_retryable(integration, bc, shop):
    items = _catalogue(integration, bc, shop, [1, 2, 3, 4, 5, 6])
    bad = shop.variant_by_sku("I003").inventory_item_id
    shop.reject_inventory_items.add(bad)

    result = _push(integration, bc, shop)

    assert (result.pushed, result.failed) == (5, 1)
    assert [_level(shop, item) for item in items] == [1, 2, 3, None, 5, 6]
    link = RecordLink.objects.get(entity_type=EntityType.STOCK, target_id=bad)
    assert (link.state, link.last_error_code, link.attempts) == ("failed", "SHOP-402", 1)
    assert "not stocked" in link.last_error_message
    assert SyncLogEntry.objects.filter(record_link=link, error_code="SHOP-402").exists()

    # Support presses Retry once the shop is fixed: the item goes, nothing else is re-sent.
    shop.reject_inventory_items.clear()
    record_links_retry(record_link_ids=[link.pk])
    shop.inventory_calls.clear()
    retry = _push(integration, bc, shop)
    assert (retry.pushed, retry.failed) == (1, 0)
    assert shop.inventory_calls == [[(bad, LOCATION, 4)]]
    link.refresh_from_db()
    assert (link.state, link.last_error_code) == ("synced", "")


def test_a_rejection_without_positions_is_isolated_by_splitting(integration, bc, shop, monkeypatch):
    items = _catalogue(integration, bc, shop, [1, 2, 3, 4])
    bad = shop.variant_by_sku("I001").inventory_item_id
    original = shop.inventory_set_quantities

    def refuse_without_field(changes, **options):
        changes = list(changes)
        if any(change.inventory_item_id == bad for change in changes):
            from integrations.connectors.shopify.exceptions import ShopifyUserError

            raise ShopifyUserError("refused", user_errors=[{"field": None, "message": "Bundle"}])
        return original(changes, **options)

    monkeypatch.setattr(shop, "inventory_set_quantities", refuse_without_field)

    result = _push(integration, bc, shop)

    assert (result.pushed, result.failed) == (3, 1)
    assert [_level(shop, item) for item in items] == [1, None, 3, 4]


def test_retried_identical_batch_reuses_its_idempotency_key(integration, bc, shop):
    _catalogue(integration, bc, shop, [7, 8])
    _push(integration, bc, shop)
    first_keys = set(shop.keys)
    RecordLink.objects.filter(entity_type=EntityType.STOCK).update(state="pending")  # as if the answer was lost

    _push(integration, bc, shop)

    assert shop.keys == first_keys  # same content, same key: the shop applies it once


def test_no_location_mapping_is_a_coded_error(integration, bc, shop):
    integration.location_mappings.all().delete()

    with pytest.raises(ProductError) as error:
        _push(integration, bc, shop)

    assert error.value.code == "MAP-402"
