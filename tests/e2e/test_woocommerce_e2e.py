"""A WooCommerce store (the simulator over HTTPS) into Business Central (the BC simulator),
through the product's order services with the clients passed in.

The store's orders are read by the WooCommerce connector, translated into the product's order
model and synced by the same services as Shopify's: a domestic order (once), a coupon and a
variation line, unpaid and cancelled orders, the wizard's preview, an unmapped shipping method, a
fee line, and BC's stock written back to the store as differences. OSS orders, discounts,
shipping and refunds through the webhook path, with the same assertions as Shopify's, are in
test_shop_parity_e2e.py.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from integrations.connectors.woocommerce import WooCommerceShop
from integrations.connectors.woocommerce.records import StockResult
from integrations.models import Integration, ShippingMethodMapping
from simulators.woocommerce.orders import OrderSpec, order_build
from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.services.orders.preview import order_preview
from syncs.services.orders.sync import orders_sync
from syncs.services.stock_levels import stock_levels_push
from tests.factories import oss_and_shipping_mappings_create
from tests.fixtures.clients import StaticClients
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401 - shared fixtures


@pytest.fixture
def woo(bc_integration, woo_client) -> WooCommerceShop:  # noqa: F811
    oss_and_shipping_mappings_create(integration=bc_integration, shipping_codes=("flat_rate:1", "flat_rate:2"))
    return WooCommerceShop(client=woo_client)


def sync(woo, integration, client, *names: str):
    return orders_sync(integration=integration, orders=woo.orders_by_names(names), client=client)


def invoices_for(sim_bc, number: str) -> list[dict]:  # noqa: F811
    return [d for d in sim_bc.company().rows("salesInvoices") if d.get("externalDocumentNumber") == number]


def lines_of(sim_bc, document: dict, lines_set: str = "salesInvoiceLines") -> list[dict]:  # noqa: F811
    return sorted(sim_bc.company().filter(lines_set, documentId=document["id"]), key=lambda line: line["sequence"])


def link(name: str) -> RecordLink:
    return RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference=name)


def woo_total(woo_server, order_id: int) -> Decimal:
    return Decimal(woo_server.sim.store.orders[order_id]["total"])


def test_domestic_order_becomes_a_posted_invoice_once(woo, woo_server, sim_bc, bc_client, bc_integration):  # noqa: F811
    result = sync(woo, bc_integration, bc_client, "#1001")
    sync(woo, bc_integration, bc_client, "#1001")  # the next run: no second document

    assert (result.created, result.failed) == (1, 0), link("#1001").last_error_message
    (invoice,) = invoices_for(sim_bc, "#1001")
    assert (invoice["status"], invoice["customerNumber"], invoice["currencyCode"]) == ("Open", "10000", "")
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == woo_total(woo_server, 1001) == Decimal("9039.00")
    desk, freight = lines_of(sim_bc, invoice)
    assert (desk["lineType"], desk["lineObjectNumber"], desk["taxPercent"]) == ("Item", "1896-S", 25)
    assert (freight["lineObjectNumber"], Decimal(str(freight["amountIncludingTax"]))) == ("3540", Decimal("49.00"))
    assert invoice["shipmentMethodId"] == sim_bc.company().find("shipmentMethods", code="PNORD")["id"]
    assert Counter(d["externalDocumentNumber"] for d in sim_bc.company().rows("salesInvoices"))["#1001"] == 1
    assert link("#1001").source_id == "gid://woocommerce/Order/1001"


def test_coupon_and_a_variation_line(woo, woo_server, sim_bc, bc_client, bc_integration):  # noqa: F811
    sync(woo, bc_integration, bc_client, "#1002")

    assert link("#1002").state == RecordLink.State.SYNCED, link("#1002").last_error_message
    (invoice,) = invoices_for(sim_bc, "#1002")
    lamps, chair, freight = lines_of(sim_bc, invoice)
    # WELCOME10: WooCommerce's line subtotal 958.40 less total 862.56 is the discount, excl. VAT.
    assert (lamps["lineObjectNumber"], lamps["quantity"], Decimal(str(lamps["discountAmount"]))) == (
        "1928-S",
        2,
        Decimal("95.84"),
    )
    assert Decimal(str(lamps["amountIncludingTax"])) == Decimal("1078.20")
    assert (chair["lineObjectNumber"], Decimal(str(chair["discountAmount"]))) == ("1900-S", Decimal("127.20"))
    assert freight["lineObjectNumber"] == "3540"
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == woo_total(woo_server, 1002) == Decimal("2558.20")


def test_unpaid_and_cancelled_orders_are_skipped(woo, sim_bc, bc_client, bc_integration):  # noqa: F811
    result = sync(woo, bc_integration, bc_client, "#1006", "#1007")

    assert result.skipped == 2 and result.created == 0
    assert result.states == {"#1006": "skipped: not paid (pending)", "#1007": "skipped: cancelled"}
    assert not invoices_for(sim_bc, "#1006") and not invoices_for(sim_bc, "#1007")


def test_preview_of_an_oss_order_writes_nothing(woo, woo_server, bc_client, bc_integration, sim_bc):  # noqa: F811
    preview = order_preview(
        integration=bc_integration, order_name="#1003", clients=StaticClients(bc_client=bc_client, shop_client=woo)
    )

    assert preview.ok, preview.errors
    assert (preview.vat_business_group, preview.customer["number"]) == ("OSS-DE", "10010")
    assert [line["number"] for line in preview.lines] == ["1908-S", "1928-S", "3540"]
    assert Decimal(preview.shop_total) == woo_total(woo_server, 1003)
    assert not invoices_for(sim_bc, "#1003")
    missing = order_preview(
        integration=bc_integration, order_name="#4242", clients=StaticClients(bc_client=bc_client, shop_client=woo)
    )
    assert not missing.found


def test_unmapped_shipping_fails_with_its_code(woo, bc_client, bc_integration):  # noqa: F811
    ShippingMethodMapping.objects.filter(integration=bc_integration, shop_shipping_code="flat_rate:2").delete()

    sync(woo, bc_integration, bc_client, "#1003")

    failed = link("#1003")
    assert failed.state == RecordLink.State.FAILED and failed.last_error_code.startswith("MAP-")
    assert SyncLogEntry.objects.filter(record_link=failed, level=SyncLogEntry.Level.ERROR).exists()


def test_bc_stock_is_written_back_as_differences(woo, woo_server, woo_client, bc_client, bc_integration, sim_bc):  # noqa: F811
    sync(woo, bc_integration, bc_client, "#1001")  # BC's desk stock drops by one
    bc_desk = sim_bc.company().find("items", number="1896-S")["inventory"]
    desk_id = next(p["id"] for p in woo_server.sim.store.products.values() if p["sku"] == "1896-S")
    woo_server.sim.store.products[desk_id]["stock_quantity"] = 99  # the store drifted
    woo_server.sim.requests.clear()

    first = stock_levels_push(integration=bc_integration, bc_client=bc_client, shop=WooCommerceShop(client=woo_client))
    second = stock_levels_push(integration=bc_integration, bc_client=bc_client, shop=WooCommerceShop(client=woo_client))

    assert woo_server.sim.store.products[desk_id]["stock_quantity"] == bc_desk
    assert first.pushed >= 1 and not first.failed and first.not_in_bc == 0
    assert (second.pushed, second.unchanged) == (0, second.seen)  # nothing differs any more
    writes = [body for method, _, _, body in woo_server.sim.requests if method == "POST"]
    assert all(len(body["update"]) <= 100 for body in writes)


def test_a_fee_line_fails_coded_until_a_fallback_account_is_set(woo, woo_server, sim_bc, bc_client, bc_integration):  # noqa: F811
    sim = woo_server.sim
    with sim.store.lock:
        order_build(
            sim.store,
            OrderSpec(1100, sim.clock.now(), "SE", [("1928-S", 1)], billing={"email": "per@example.se"},
                      fee=("Invoice fee", Decimal("29.00"))),
        )  # fmt: skip

    sync(woo, bc_integration, bc_client, "#1100")

    failed = link("#1100")
    assert (failed.state, failed.last_error_code) == (RecordLink.State.FAILED, codes.UNMAPPED_SKU)
    assert "Invoice fee" in failed.last_error_message and not invoices_for(sim_bc, "#1100")

    Integration.objects.filter(pk=bc_integration.pk).update(fallback_gl_account="3001")
    bc_integration.refresh_from_db()
    sync(woo, bc_integration, bc_client, "#1100")  # the next run retries the failed order

    assert link("#1100").state == RecordLink.State.SYNCED, link("#1100").last_error_message
    (invoice,) = invoices_for(sim_bc, "#1100")
    lamp, fee, freight = lines_of(sim_bc, invoice)
    assert (fee["lineType"], fee["lineObjectNumber"], Decimal(str(fee["amountIncludingTax"]))) == (
        "Account",
        "3001",
        Decimal("36.25"),
    )
    assert Decimal(str(invoice["totalAmountIncludingTax"])) == woo_total(woo_server, 1100)


class RefusingStore:
    """The real client for reads; its batch answer refuses one product, as a plugin might."""

    def __init__(self, client, refused_id: int) -> None:
        self.client, self.refused_id, self.store_url = client, refused_id, client.store_url

    def __getattr__(self, name):
        return getattr(self.client, name)

    def stock_update(self, updates):
        kept = [u for u in updates if u.target_id != self.refused_id]
        refused = [
            StockResult(id=u.target_id, product_id=u.product_id, error_code="rest_invalid_param", error_message="No.")
            for u in updates
            if u.target_id == self.refused_id
        ]
        return self.client.stock_update(kept) + refused


def test_a_stock_item_the_store_refuses_is_reported_with_its_code(woo_server, woo_client, bc_client, bc_integration):  # noqa: F811
    products = {p["sku"]: p for p in woo_server.sim.store.products.values()}
    products["1896-S"]["stock_quantity"] = products["1928-S"]["stock_quantity"] = 1

    refusing = WooCommerceShop(client=RefusingStore(woo_client, products["1928-S"]["id"]))
    result = stock_levels_push(integration=bc_integration, bc_client=bc_client, shop=refusing)

    assert set(result.failed) == {"1928-S"} and result.failed["1928-S"].code == "WOO-005"
    assert products["1928-S"]["stock_quantity"] == 1  # refused: left as it was
    assert products["1896-S"]["stock_quantity"] != 1 and result.pushed >= 1  # the others are written
