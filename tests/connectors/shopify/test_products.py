"""Product writes against the Shopify simulator: description, options and option values, get by id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations import commerce
from integrations.connectors.shopify.exceptions import ShopifyNotFound, ShopifyUserError


def _variant(sku: str, value: str | None = None) -> commerce.VariantInput:
    options = (commerce.SelectedOption("Color", value),) if value else ()
    return commerce.VariantInput(sku=sku, price=Decimal("149.00"), option_values=options)


def test_several_variants_are_created_with_their_option_values_and_read_back_by_id(shopify_client):
    created = shopify_client.product_create(
        commerce.ProductInput(
            title="Mug",
            description_html="<p>Stoneware</p>",
            options=(commerce.ProductOption("Color", ("Red", "Blue")),),
            variants=(_variant("MUG-RED", "Red"), _variant("MUG-BLUE", "Blue")),
        )
    )

    fetched = shopify_client.product_get(created.id)

    assert fetched == created
    assert fetched.description_html == "<p>Stoneware</p>"
    assert fetched.options == (commerce.ProductOption("Color", ("Red", "Blue")),)
    assert [(v.sku, v.title, v.selected_options) for v in fetched.variants] == [
        ("MUG-RED", "Red", (commerce.SelectedOption("Color", "Red"),)),
        ("MUG-BLUE", "Blue", (commerce.SelectedOption("Color", "Blue"),)),
    ]


def test_a_new_option_value_arrives_with_its_variant_and_the_description_updates(shopify_client):
    created = shopify_client.product_create(
        commerce.ProductInput(
            title="Mug", options=(commerce.ProductOption("Color", ("Red",)),), variants=(_variant("MUG-RED", "Red"),)
        )
    )

    updated = shopify_client.product_update(
        commerce.ProductInput(id=created.id, description_html="<p>New</p>", variants=(_variant("MUG-GREEN", "Green"),))
    )

    assert updated.description_html == "<p>New</p>"
    assert updated.options == (commerce.ProductOption("Color", ("Red", "Green")),)
    assert [v.sku for v in updated.variants] == ["MUG-RED", "MUG-GREEN"]


def test_two_variants_without_options_are_refused_as_shopify_does(shopify_client):
    with pytest.raises(ShopifyUserError, match="already exists") as caught:
        shopify_client.product_create(commerce.ProductInput(title="Mug", variants=(_variant("A"), _variant("B"))))

    # The product itself was made before its variants were refused: the error names it.
    assert caught.value.product_id.startswith("gid://shopify/Product/")
    assert shopify_client.product_get(caught.value.product_id).title == "Mug"


def test_an_unknown_option_is_refused(shopify_client):
    with pytest.raises(ShopifyUserError, match="Option 'Size' does not exist"):
        shopify_client.product_create(
            commerce.ProductInput(
                title="Mug",
                options=(commerce.ProductOption("Color", ("Red",)),),
                variants=(commerce.VariantInput(sku="X", option_values=(commerce.SelectedOption("Size", "L"),)),),
            )
        )


def test_product_get_of_an_unknown_id_raises_not_found(shopify_client):
    with pytest.raises(ShopifyNotFound):
        shopify_client.product_get("gid://shopify/Product/1")


def test_fault_switches_refuse_one_sku_and_one_inventory_item(shopify_client, shopify_server):
    sim = shopify_server.sim
    sim.faults.reject_sku("BAD-1", message="SKU is reserved")
    with pytest.raises(ShopifyUserError, match="SKU is reserved"):
        shopify_client.product_create(commerce.ProductInput(title="Bad", variants=(_variant("BAD-1"),)))

    location = shopify_client.locations_list()[0]
    good, bad = [i for i in sim.store.inventory_items if (i, location.id) in sim.store.inventory_levels][:2]
    sim.faults.reject_inventory_item(bad)
    good_before = sim.store.inventory_levels[(good, location.id)]["_quantities"]["available"]
    changes = [commerce.InventoryChange(item, location.id, 3) for item in (good, bad)]
    with pytest.raises(ShopifyUserError) as caught:
        shopify_client.inventory_set_quantities(changes, idempotency_key="k1")

    assert caught.value.user_errors[0]["field"] == ["input", "quantities", "1", "inventoryItemId"]
    # The whole call was refused, the good row too.
    assert sim.store.inventory_levels[(good, location.id)]["_quantities"]["available"] == good_before
    assert not sim.store.adjustment_groups
    sim.faults.clear()
    shopify_client.inventory_set_quantities(changes, idempotency_key="k1")
    assert sim.store.inventory_levels[(bad, location.id)]["_quantities"]["available"] == 3
