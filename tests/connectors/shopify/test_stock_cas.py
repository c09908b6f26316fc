"""inventorySetQuantities as Shopify 2026-10 wants it: compare-and-swap, idempotency key, bounded retry."""

from __future__ import annotations

import pytest

from integrations import commerce
from integrations.connectors.shopify import ShopifyStockConflict
from syncs.errors.classify import classify_exception


@pytest.fixture
def level(shopify_client, shopify_server):
    store = shopify_server.sim.store
    (item_id, location_id), stored = next(iter(store.inventory_levels.items()))
    return item_id, location_id, stored


def test_every_quantity_is_sent_with_the_quantity_it_replaces(shopify_client, shopify_server, level):
    item_id, location_id, stored = level
    before = stored["_quantities"]["available"]

    shopify_client.inventory_set_quantities(
        [commerce.InventoryChange(item_id, location_id, before + 3, change_from_quantity=before)], idempotency_key="k"
    )

    assert stored["_quantities"]["available"] == before + 3
    assert shopify_client.stats.stock_conflicts == 0


def test_a_level_never_set_is_sent_with_an_explicit_null(shopify_client, shopify_server, level):
    item_id, location_id, stored = level
    shopify_server.sim.faults.sell_during_updates(item_id, times=1)  # no comparison: a sale cannot conflict

    shopify_client.inventory_set_quantities([commerce.InventoryChange(item_id, location_id, 42)], idempotency_key="k")

    assert stored["_quantities"]["available"] == 42
    assert shopify_client.stats.stock_conflicts == 0


def test_a_sale_meanwhile_is_re_read_and_the_quantity_set(shopify_client, shopify_server, level):
    item_id, location_id, stored = level
    before = stored["_quantities"]["available"]
    shopify_server.sim.faults.sell_during_updates(item_id, times=2)  # two sales race the first two tries

    shopify_client.inventory_set_quantities(
        [commerce.InventoryChange(item_id, location_id, 10, change_from_quantity=before)], idempotency_key="k"
    )

    assert stored["_quantities"]["available"] == 10
    assert shopify_client.stats.stock_conflicts == 2
    assert shopify_server.sim.stats["stock_sales"] == 2


def test_a_conflict_that_keeps_coming_back_fails_with_its_code(shopify_client, shopify_server, level):
    item_id, location_id, stored = level
    before = stored["_quantities"]["available"]
    shopify_server.sim.faults.sell_during_updates(item_id, times=100)

    with pytest.raises(ShopifyStockConflict) as caught:
        shopify_client.inventory_set_quantities(
            [commerce.InventoryChange(item_id, location_id, 10, change_from_quantity=before)],
            idempotency_key="k",
            max_conflict_retries=3,
        )

    assert caught.value.attempts == 4 and caught.value.inventory_item_ids == [item_id]
    assert shopify_server.sim.stats["mutation:inventorySetQuantities"] == 4  # one try and three retries
    assert stored["_quantities"]["available"] != 10
    classified = classify_exception(caught.value)
    assert classified.code == "SHOP-006" and item_id.rsplit("/", 1)[-1] in classified.message


def test_the_simulator_refuses_a_quantity_without_change_from_quantity(shopify_client, level):
    item_id, location_id, _stored = level
    mutation = """mutation($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) { userErrors { field code } } }"""
    row = {"inventoryItemId": item_id, "locationId": location_id, "quantity": 1}

    data = shopify_client.execute(
        mutation, {"input": {"name": "available", "reason": "correction", "quantities": [row]}}
    )

    assert data["inventorySetQuantities"]["userErrors"][0]["code"] == "COMPARE_QUANTITY_REQUIRED"


def test_the_same_key_with_other_content_is_refused_by_the_simulator(shopify_client, level):
    item_id, location_id, stored = level
    mutation = """mutation($input: InventorySetQuantitiesInput!, $key: String!) {
      inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code } } }"""

    def send(quantity):
        row = {"inventoryItemId": item_id, "locationId": location_id, "quantity": quantity, "changeFromQuantity": None}
        payload = {"name": "available", "reason": "correction", "quantities": [row]}
        return shopify_client.execute(mutation, {"input": payload, "key": "same"})["inventorySetQuantities"]

    assert send(3)["userErrors"] == []
    assert send(4)["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    assert stored["_quantities"]["available"] == 3
