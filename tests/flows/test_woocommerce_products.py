"""One BC item -> its WooCommerce product (syncs/services/store_products.py), against the simulator."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral.records import Item, ItemVariant
from integrations.connectors.woocommerce import WooCommerceShop
from integrations.connectors.woocommerce.catalogue import woo_price
from syncs.errors import ProductError
from syncs.models import EntityType, RecordLink, SourceSystem
from syncs.services.store_products import store_product_push
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

ITEM_ID = "5d1c3a1e-0000-4000-8000-000000000001"


def _item(*, number="1000", price="149", incl_vat=True, codes=(), name="Kaffemugg Juniper") -> Item:
    variants = [ItemVariant(id=f"{ITEM_ID[:-1]}{n + 2}", item_id=ITEM_ID, code=code) for n, code in enumerate(codes)]
    return Item(
        id=ITEM_ID,
        number=number,
        display_name=name,
        unit_price=Decimal(price),
        price_includes_tax=incl_vat,
        item_variants=variants,
        type="Inventory",
    )


def _push(woo_client, item, *, link=None, integration=None, incl_vat=True):
    integration = integration or IntegrationFactory()
    return store_product_push(
        integration=integration,
        item=item,
        link=link,
        shop=WooCommerceShop(client=woo_client),
        store_prices_include_tax=incl_vat,
    )


def _with_sku(sim, sku):
    return [p for p in sim.store.products.values() if p["sku"] == sku]


def _writes(sim):
    return [(method, path) for method, path, *_ in sim.requests if method != "GET"]


def test_a_new_item_becomes_a_simple_product_and_an_unchanged_one_costs_no_write(woo_server, woo_client):
    integration = IntegrationFactory()
    outcome, link = _push(woo_client, _item(), integration=integration)
    woo_server.sim.requests.clear()
    again, _ = _push(woo_client, _item(), link=link, integration=integration)

    (product,) = _with_sku(woo_server.sim, "1000")
    assert outcome == "created" and again == "unchanged" and not woo_server.sim.requests
    assert (product["type"], product["regular_price"], product["name"]) == ("simple", "149.00", "Kaffemugg Juniper")
    assert product["manage_stock"] is True  # a new stocked product: the stock flow sets its quantity
    assert (link.target_id, link.source_system, link.entity_type) == (
        str(product["id"]),
        SourceSystem.BUSINESS_CENTRAL,
        EntityType.ITEM,
    )


def test_a_product_the_store_already_has_is_found_by_sku_not_created_again(woo_server, woo_client):
    """A populated store, or a create whose answer was lost: the SKU finds it, nothing is duplicated."""
    (lamp,) = _with_sku(woo_server.sim, "1928-S")

    outcome, link = _push(woo_client, _item(number="1928-S", price="649", name="AMSTERDAM Lamp"))

    assert outcome == "updated" and link.target_id == str(lamp["id"])
    assert len(_with_sku(woo_server.sim, "1928-S")) == 1 and lamp["regular_price"] == "649.00"
    assert ("POST", "/wp-json/wc/v3/products") not in _writes(woo_server.sim)


def test_an_item_with_variants_is_a_variable_product_with_a_variation_each(woo_server, woo_client):
    outcome, link = _push(woo_client, _item(codes=("RED", "BLUE")))

    product = woo_server.sim.store.products[int(link.target_id)]
    variations = [woo_server.sim.store.variations[v] for v in product["variations"]]
    assert outcome == "created" and (product["type"], product["sku"]) == ("variable", "1000")
    assert product["attributes"][0]["options"] == ["BLUE", "RED"]
    assert sorted((v["sku"], v["regular_price"]) for v in variations) == [
        ("1000-BLUE", "149.00"),
        ("1000-RED", "149.00"),
    ]
    variant_links = RecordLink.objects.filter(entity_type=EntityType.ITEM, details__item_id=ITEM_ID)
    assert {link.target_number for link in variant_links} == {"1000-BLUE", "1000-RED"}


def test_a_refused_variation_keeps_the_product_and_the_retry_completes_it_without_a_second(woo_server, woo_client):
    sim = woo_server.sim
    (taken,) = _with_sku(sim, "1896-S")
    item = _item(number="1896", codes=("S",))  # variation SKU "1896-S" is the desk's
    integration = IntegrationFactory()

    with pytest.raises(ProductError) as refused:
        _push(woo_client, item, integration=integration)

    assert refused.value.code == "WOO-014"
    product_id = int(refused.value.product_id)
    assert sim.store.products[product_id]["type"] == "variable" and not sim.store.products[product_id]["variations"]
    # The merchant renames the desk's SKU; the retry (the failed link names the product) completes it.
    taken["sku"] = "1896-S-OLD"
    link = RecordLink.objects.create(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=ITEM_ID,
        target_id=str(product_id),
        state=RecordLink.State.FAILED,
        details={"product_id": str(product_id)},
    )
    outcome, link = _push(woo_client, item, link=link, integration=integration)

    assert outcome == "updated" and link.state == RecordLink.State.SYNCED
    assert len(_with_sku(sim, "1896")) == 1 and len(sim.store.products[product_id]["variations"]) == 1


def test_a_price_without_vat_for_a_store_entering_prices_with_vat_is_refused_not_converted(woo_server, woo_client):
    with pytest.raises(ProductError) as refused:
        _push(woo_client, _item(incl_vat=False), incl_vat=True)

    assert refused.value.code == "WOO-013" and "1000" in refused.value.message
    assert not _writes(woo_server.sim) and not _with_sku(woo_server.sim, "1000")


def test_prices_are_woocommerce_decimal_strings():
    assert (woo_price(Decimal("149")), woo_price(Decimal("0.125")), woo_price(Decimal("1E+1"))) == (
        "149.00",
        "0.125",
        "10.00",
    )


def test_a_blocked_item_is_a_draft_or_with_archived_chosen_a_private_product(woo_server, woo_client):
    blocked = replace(_item(), blocked=True)
    _, draft = _push(woo_client, blocked, integration=IntegrationFactory(blocked_item_product_status="draft"))
    woo_server.sim.store.products[int(draft.target_id)]["sku"] = "1000-OLD"
    _, private = _push(woo_client, blocked, integration=IntegrationFactory(blocked_item_product_status="archived"))

    assert woo_server.sim.store.products[int(draft.target_id)]["status"] == "draft"
    assert woo_server.sim.store.products[int(private.target_id)]["status"] == "private"
