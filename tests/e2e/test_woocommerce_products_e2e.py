"""BC items become WooCommerce products through the scheduled products flow, exactly once.

The same connected store as test_woocommerce_flows_e2e (the store enters prices including VAT):
items already in the store are found by SKU and updated, new ones are created (an item with BC
variants as a variable product with a variation per variant), items whose price excludes VAT are
refused with WOO-013, and an item whose SKU is a variation of another product with WOO-014. A
second tick writes nothing new.
"""

from __future__ import annotations

from collections import Counter

from integrations.models import Flow, Integration
from syncs.models import EntityType, RecordLink, SyncRun
from tests.e2e.test_woocommerce_flows_e2e import COMPANY, sim_bc, store, tick  # noqa: F401 - shared fixtures
from tests.flows.conftest import bc_integration  # noqa: F401 - shared fixture

NEW_SIMPLE = ("1953-W", "1964-S", "1968-S", "1980-S", "2000-S")
IN_THE_STORE = ("1896-S", "1906-S", "1908-S", "1920-S", "1928-S", "1972-S", "1996-S")
CHAIR_VARIATIONS = ("1900-S", "1936-S", "1960-S", "1988-S")


def _links(integration) -> dict[str, RecordLink]:
    rows = RecordLink.objects.filter(integration=integration, entity_type=EntityType.ITEM)
    return {link.source_reference: link for link in rows}


def test_the_products_flow_writes_bc_items_to_the_store_once(
    store,  # noqa: F811
    bc_server,
    bc_integration,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    Integration.objects.filter(pk=bc_integration.pk).update(products_enabled=True)
    company = bc_server.sim.company("sandbox", COMPANY)
    mug = company.find("items", number="1000")  # has BC variants RED and BLUE
    mug["priceIncludesTax"] = True
    woo = store.sim
    products_before = len(woo.store.products)

    first = tick(bc_integration, Flow.PRODUCTS, django_capture_on_commit_callbacks)
    posts = [path for method, path, *_ in woo.requests if method == "POST" and path.endswith("/products")]
    woo.requests.clear()
    second = tick(bc_integration, Flow.PRODUCTS, django_capture_on_commit_callbacks)

    assert first.status == SyncRun.Status.PARTIAL, first.error_message
    by_sku = Counter(p["sku"] for p in woo.store.products.values())
    assert all(count == 1 for count in by_sku.values()), by_sku  # never a second product
    assert len(posts) == len(NEW_SIMPLE) + 1 + len(CHAIR_VARIATIONS)  # the chairs' SKUs refused by the store
    assert len(woo.store.products) - products_before == len(NEW_SIMPLE) + 1
    links = _links(bc_integration)
    for number in (*NEW_SIMPLE, *IN_THE_STORE, "1000"):
        assert links[number].state == RecordLink.State.SYNCED, (number, links[number].last_error_message)
    # Already in the store: linked by SKU, BC's price and name written.
    desk = woo.store.products[int(links["1896-S"].target_id)]
    assert (desk["sku"], desk["regular_price"], desk["name"]) == ("1896-S", "8990.00", "ATHENS Desk")
    # New: a simple product with BC's price incl. VAT.
    created = woo.store.products[int(links["2000-S"].target_id)]
    assert (created["type"], created["regular_price"], created["status"]) == ("simple", "2490.00", "publish")
    # Variants: a variable product, a variation per BC variant with the item's price.
    mug_product = woo.store.products[int(links["1000"].target_id)]
    variations = {woo.store.variations[v]["sku"]: woo.store.variations[v] for v in mug_product["variations"]}
    assert (mug_product["type"], mug_product["sku"]) == ("variable", "1000")
    assert sorted(variations) == ["1000-BLUE", "1000-RED"]
    assert {v["regular_price"] for v in variations.values()} == {"149.00"}
    assert {v["attributes"][0]["option"] for v in variations.values()} == {"BLUE", "RED"}
    assert links["1000/RED"].details["variant_id"] == str(variations["1000-RED"]["id"])
    # Refused, loudly and retryably: prices without VAT, and SKUs that are variations of another product.
    for number in ("1001", "1002", "1009"):
        assert (links[number].state, links[number].last_error_code) == (RecordLink.State.FAILED, "WOO-013")
    for number in CHAIR_VARIATIONS:
        assert (links[number].state, links[number].last_error_code) == (RecordLink.State.FAILED, "WOO-014")
    assert first.records_created == len(NEW_SIMPLE) + 1 and first.records_updated == len(IN_THE_STORE)
    # The second tick: nothing changed in BC, nothing written (the failed items are tried again).
    assert second.records_created == second.records_updated == 0
    assert second.records_skipped == len(NEW_SIMPLE) + len(IN_THE_STORE) + 1
    writes = [path for method, path, *_ in woo.requests if method != "GET"]
    assert writes == [path for path in writes if path.endswith("/products")]  # only the refused SKUs, again
    assert len(writes) == len(CHAIR_VARIATIONS) and second.records_failed == first.records_failed
    assert len(woo.store.products) - products_before == len(NEW_SIMPLE) + 1
    # A created product manages stock: the next stock tick sets BC's quantity on it.
    stock = tick(bc_integration, Flow.STOCK, django_capture_on_commit_callbacks)
    assert stock.status == SyncRun.Status.SUCCEEDED, stock.error_message
    assert created["stock_quantity"] == company.find("items", number="2000-S")["inventory"] > 0
