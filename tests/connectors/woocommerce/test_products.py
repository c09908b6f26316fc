"""Product and variation writes and the tax setting, against the WooCommerce simulator."""

from __future__ import annotations

import pytest

from integrations.connectors.woocommerce import (
    ProductWrite,
    VariationWrite,
    WooAmbiguousWriteError,
    WooResponseError,
    WooValidationError,
)

MUG = ProductWrite(name="Kaffemugg", sku="1000", regular_price="149.00", manage_stock=True)
VARIABLE = ProductWrite(name="Mugg", type="variable", sku="1000", attribute_name="Variant", attribute_options=("RED",))


def _variation(sku: str, option: str, **kwargs) -> VariationWrite:
    return VariationWrite(sku=sku, regular_price="149.00", attribute_name="Variant", option=option, **kwargs)


def test_a_product_is_created_and_updated_with_absolute_values(woo_server, woo_client):
    created = woo_client.product_create(MUG)
    updated = woo_client.product_update(created.id, ProductWrite(name="Kaffemugg", sku="1000", regular_price="159.00"))

    assert (created.type, created.sku, created.regular_price, created.manage_stock) == ("simple", "1000", 149, True)
    assert updated.id == created.id and str(updated.price) == "159.00"
    assert [m for m, *_ in woo_server.sim.requests] == ["POST", "PUT"]


def test_a_create_whose_answer_is_lost_is_ambiguous_and_not_resent(woo_server, woo_client):
    woo_server.sim.fail_next(504, path="/products")

    with pytest.raises(WooAmbiguousWriteError):
        woo_client.product_create(MUG)

    assert [m for m, *_ in woo_server.sim.requests] == ["POST"]  # never a second create


def test_a_duplicated_sku_is_refused_with_woocommerces_code(woo_server, woo_client):
    with pytest.raises(WooValidationError) as refused:
        woo_client.product_create(ProductWrite(name="Skrivbord", sku="1896-S", regular_price="1.00"))

    assert (refused.value.code, refused.value.status) == ("product_invalid_sku", 400)


def test_variations_are_created_and_updated_and_one_refused_does_not_stop_the_others(woo_server, woo_client):
    parent = woo_client.product_create(VARIABLE)
    first = woo_client.variations_write(parent.id, [_variation("1000-RED", "RED"), _variation("1896-S", "BLUE")])
    red = first[0].variation
    again = woo_client.variations_write(
        parent.id, [_variation("1000-BLUE", "BLUE"), _variation("1000-RED", "RED", id=red.id)]
    )

    assert first[0].ok and not first[1].ok and first[1].error_code == "product_invalid_sku"
    assert [r.sku for r in again] == ["1000-BLUE", "1000-RED"] and all(r.ok for r in again)
    assert again[1].variation.id == red.id and len(woo_server.sim.store.products[parent.id]["variations"]) == 2
    assert {a.option for r in again for a in r.variation.attributes} == {"BLUE", "RED"}


def test_a_variation_of_a_simple_product_and_a_read_only_field_are_refused(woo_server, woo_client):
    simple = woo_client.product_create(MUG)
    (result,) = woo_client.variations_write(simple.id, [_variation("1000-RED", "RED")])
    session, auth = woo_client._transport.session, woo_client._transport._auth
    readonly = session.post(woo_client._url("products"), json={"name": "X", "price": "1"}, auth=auth, timeout=5)

    assert result.error_code == "woocommerce_rest_invalid_product_type"
    assert readonly.status_code == 400 and readonly.json()["code"] == "rest_invalid_param"


def test_the_tax_setting_is_yes_or_no_and_anything_else_is_refused(woo_server, woo_client):
    assert woo_client.prices_include_tax() is True
    session, auth = woo_client._transport.session, woo_client._transport._auth
    unknown = session.get(woo_client._url("settings/tax/woocommerce_nothing"), auth=auth, timeout=5)
    assert unknown.status_code == 404 and unknown.json()["code"] == "rest_setting_setting_invalid"

    woo_server.sim.fail_next(200, path="/settings", page="<html>maintenance</html>")  # a plugin's page
    with pytest.raises(WooResponseError):
        woo_client.prices_include_tax()
