"""Multi-shop and back-to-the-shop order features, end to end against both simulators.

Several shops into one BC company (each with its own document-number prefix), order filters with
a visible reason, dimensions / salesperson / location on documents, BC's posted shipments as shop
fulfilments exactly once, and the BC number written back to the shop order.
"""

from __future__ import annotations

import pytest

from integrations.models import DimensionMapping, Integration, ShippingMethodMapping
from simulators.businesscentral.shipments import post_shipment
from simulators.shopify.fulfilments import fulfillment_orders
from syncs.clients import client_factory_default
from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncLogEntry
from syncs.preflight.services import preflight_run
from syncs.services.dispatch import record_links_retry
from syncs.services.fulfilments import METAFIELD_KEY, METAFIELD_NAMESPACE
from syncs.services.orders.sync import orders_sync
from tests.e2e.test_orders_e2e import company, invoices_for, lines_of, new_order, order_link
from tests.factories import (
    BusinessCentralConnectionFactory,
    CountryMappingFactory,
    IntegrationFactory,
    ShippingMethodMappingFactory,
    ShopConnectionFactory,
)
from tests.fixtures.bc import bc_inprocess_client
from tests.flows.conftest import BC_ROOT


def sales_orders_for(sim_bc, number: str) -> list[dict]:
    return [o for o in company(sim_bc).rows("salesOrders") if o["externalDocumentNumber"] == number]


def dimensions_of(sim_bc, document: dict) -> dict[str, str]:
    return {
        row["code"]: row["valueCode"] for row in company(sim_bc).filter("dimensionSetLines", parentId=document["id"])
    }


# --- 2. several shops into one company -----------------------------------------------------------------


@pytest.fixture
def second_shop(bc_integration, sim_bc):
    """A second integration of the same merchant, booked into the same BC company with prefix DE-."""
    other = IntegrationFactory(
        tenant=bc_integration.tenant,
        name="Shop DE",
        status=Integration.Status.LIVE,
        allow_writes=True,
        base_currency="SEK",
        document_number_prefix="DE-",
    )
    connection = bc_integration.bc_connection
    BusinessCentralConnectionFactory(
        integration=other,
        entra_tenant_id=connection.entra_tenant_id,
        environment_name=connection.environment_name,
        company_id=connection.company_id,
        company_name=connection.company_name,
        api_root_override=BC_ROOT,
    )
    ShopConnectionFactory(integration=other)
    CountryMappingFactory(
        integration=other, country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    ShippingMethodMappingFactory(
        integration=other,
        shop_shipping_code=ShippingMethodMapping.CATCH_ALL,
        bc_shipment_method_code="",
        line_type=ShippingMethodMapping.LineType.ACCOUNT,
        line_number="3540",
    )
    return other


def test_two_shops_in_one_company_never_share_a_document_number(shop, sim_bc, bc_integration, second_shop):
    new_order(shop.sim, 2101, [("1900-S", 1)])
    shop.deliver("#2101")  # the first shop (no prefix)
    client = bc_inprocess_client(sim_bc, second_shop.bc_connection, api_root=BC_ROOT)
    (order,) = client_factory_default().shop(integration=bc_integration).orders_by_names(["#2101"])

    # The second shop has an order with the same name: its own document, found by its own number.
    result = orders_sync(integration=second_shop, orders=[order], client=client, with_refunds=False)

    assert result.created == 1, RecordLink.objects.filter(integration=second_shop).values("last_error_message")
    assert len(invoices_for(sim_bc, "#2101")) == 1
    (theirs,) = invoices_for(sim_bc, "DE-#2101")
    link = RecordLink.objects.get(integration=second_shop, entity_type=EntityType.ORDER)
    first = RecordLink.objects.get(integration=bc_integration, entity_type=EntityType.ORDER)
    assert link.target_id == theirs["id"] and first.target_id == invoices_for(sim_bc, "#2101")[0]["id"]

    # A lost acknowledgement: the link forgot the document. The lookup by the prefixed number links
    # the shop's own document again and never the other shop's.
    RecordLink.objects.filter(pk=link.pk).update(target_id="", state=RecordLink.State.PENDING)
    again = orders_sync(integration=second_shop, orders=[order], client=client, with_refunds=False)

    assert (again.created, again.linked) == (0, 1)
    assert len(invoices_for(sim_bc, "DE-#2101")) == 1 and len(invoices_for(sim_bc, "#2101")) == 1
    link.refresh_from_db()
    assert link.target_id == theirs["id"]


def test_preflight_fails_when_shops_in_one_company_share_a_prefix(bc_integration, second_shop, bc_client):
    Integration.objects.filter(pk=second_shop.pk).update(document_number_prefix="")

    run = preflight_run(integration_id=bc_integration.pk, trigger="manual", client=bc_client)

    result = run.results.get(check_name="documents.number_prefix")
    assert (result.status, result.error_code) == ("fail", codes.DOCUMENT_PREFIX_SHARED)
    assert "Shop DE" in result.message


# --- 5. order filters, dimensions, salesperson, location ----------------------------------------------


def test_filtered_orders_are_skipped_with_a_visible_reason(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        order_tags_excluded="wholesale", order_sales_channels="Online Store", order_max_risk="MEDIUM"
    )
    new_order(shop.sim, 2201, [("1900-S", 1)], tags=("Wholesale",))
    new_order(shop.sim, 2202, [("1900-S", 1)], channel="Point of Sale")
    new_order(shop.sim, 2203, [("1900-S", 1)], risk="HIGH")
    new_order(shop.sim, 2204, [("1900-S", 1)], risk="MEDIUM")

    for name in ("#2201", "#2202", "#2203", "#2204"):
        shop.deliver(name)
    shop.deliver("#2201", topic="orders/updated")  # seen again: still skipped, logged once

    reasons = {}
    for name in ("#2201", "#2202", "#2203"):
        link = order_link(name)
        assert (link.state, link.last_error_code) == (RecordLink.State.SKIPPED, codes.ORDER_FILTERED)
        assert invoices_for(sim_bc, name) == []
        reasons[name] = link.details["skip_reason"]
    assert reasons == {
        "#2201": "tagged wholesale",
        "#2202": "sales channel Point of Sale is not synced",
        "#2203": "high risk",
    }
    assert order_link("#2204").state == RecordLink.State.SYNCED
    assert SyncLogEntry.objects.filter(error_code=codes.ORDER_FILTERED, record_link=order_link("#2201")).count() == 1

    # The merchant lifts the tag filter: the skipped order is synced, not lost.
    Integration.objects.filter(pk=bc_integration.pk).update(order_tags_excluded="")
    shop.deliver("#2201", topic="orders/updated")
    assert order_link("#2201").state == RecordLink.State.SYNCED
    assert len(invoices_for(sim_bc, "#2201")) == 1


def test_dimensions_salesperson_and_location_on_the_document(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(salesperson_code="JO", location_code="MAIN")
    for source, value, dimension, code in (
        (DimensionMapping.Source.SALES_CHANNEL, "Online Store", "SALESCHANNEL", "WEB"),
        (DimensionMapping.Source.COUNTRY, "SE", "AREA", "SE"),
        (DimensionMapping.Source.SHOP, "", "AREA", "EU"),  # the country rule is more specific
    ):
        DimensionMapping.objects.create(
            integration=bc_integration,
            source=source,
            source_value=value,
            dimension_code=dimension,
            dimension_value_code=code,
        )
    new_order(shop.sim, 2301, [("1900-S", 2)])

    shop.deliver("#2301")

    link = order_link("#2301")
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = invoices_for(sim_bc, "#2301")
    assert invoice["status"] == "Open"  # posted after its dimensions were set
    assert invoice["salesperson"] == "JO"
    assert dimensions_of(sim_bc, invoice) == {"SALESCHANNEL": "WEB", "AREA": "SE"}
    main = company(sim_bc).find("locations", code="MAIN")
    item_lines = [line for line in lines_of(sim_bc, invoice) if line["lineType"] == "Item"]
    assert item_lines and all(line["locationId"] == main["id"] for line in item_lines)


def test_an_unknown_dimension_value_fails_the_order_before_anything_is_written(shop, sim_bc, bc_integration):
    DimensionMapping.objects.create(
        integration=bc_integration,
        source=DimensionMapping.Source.SHOP,
        dimension_code="AREA",
        dimension_value_code="NOWHERE",
    )
    new_order(shop.sim, 2302, [("1900-S", 1)])

    shop.deliver("#2302")

    link = order_link("#2302")
    assert (link.state, link.last_error_code) == (RecordLink.State.FAILED, codes.DIMENSION_UNKNOWN)
    assert "AREA" in link.last_error_message and "NOWHERE" in link.last_error_message
    assert invoices_for(sim_bc, "#2302") == []


def test_preflight_checks_dimensions_salesperson_and_location(bc_integration, bc_client):
    Integration.objects.filter(pk=bc_integration.pk).update(salesperson_code="NOBODY", location_code="MOON")
    for dimension, code in (("AREA", "OLD"), ("AREA", "XX"), ("SALESCHANNEL", "WEB")):
        DimensionMapping.objects.create(
            integration=bc_integration,
            source=DimensionMapping.Source.COUNTRY,
            source_value=code if code != "WEB" else "SE",
            dimension_code=dimension,
            dimension_value_code=code,
        )

    run = preflight_run(integration_id=bc_integration.pk, trigger="manual", client=bc_client)

    results = {r.check_name: r for r in run.results.all()}
    dimensions = results["documents.dimensions"]
    assert dimensions.status == "fail"
    assert "OLD is blocked" in dimensions.message and "no value XX" in dimensions.message
    assert "WEB" not in dimensions.message
    assert (results["documents.salesperson"].status, results["documents.salesperson"].error_code) == (
        "fail",
        codes.SALESPERSON_UNKNOWN,
    )
    assert (results["documents.location"].status, results["documents.location"].error_code) == (
        "fail",
        codes.LOCATION_UNKNOWN,
    )


# --- 4. back to the shop ---------------------------------------------------------------------------------


def _fulfilments(order: dict) -> list[dict]:
    return order.get("_fulfillments") or []


def test_bc_shipments_fulfil_the_shop_order_exactly_once(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        document_type=Integration.DocumentType.ORDER_SHIP_INVOICE,
        fulfil_from_bc_shipments=True,
        write_back_metafield=True,
        write_back_tag=True,
    )
    order = new_order(shop.sim, 2401, [("1900-S", 3), ("1928-S", 1)], fulfilled=False)
    shop.deliver("#2401")
    (sales_order,) = sales_orders_for(sim_bc, "#2401")
    # The BC number is on the shop order: a metafield and a tag.
    assert order["_metafields"][(METAFIELD_NAMESPACE, METAFIELD_KEY)]["value"] == sales_order["number"]
    assert f"BC:{sales_order['number']}" in order["tags"]

    # The warehouse ships two of the three desks in BC.
    lines = {
        line["lineObjectNumber"]: line
        for line in company(sim_bc).filter("salesOrderLines", documentId=sales_order["id"])
    }
    first = post_shipment(
        company(sim_bc),
        sales_order,
        {lines["1900-S"]["id"]: 2},
        tracking_no="00370733741234567890",
        shipping_agent="PNORD",
    )
    shop.deliver("#2401", topic="orders/updated")

    (fulfilment,) = _fulfilments(order)
    # The tracking number from page 130 (API v2.0 has none) travels with the fulfilment.
    assert fulfilment["trackingInfo"] == [{"company": "PNORD", "number": "00370733741234567890", "url": None}]
    line_ids = {line["sku"]: line["id"] for line in order["lineItems"]}
    assert fulfilment["_lines"] == [(line_ids["1900-S"], 2)]
    assert order["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    link = RecordLink.objects.get(entity_type=EntityType.SHIPMENT, source_id=first["id"])
    assert (link.state, link.source_reference, link.target_id) == (
        RecordLink.State.SYNCED,
        first["number"],
        fulfilment["id"],
    )

    shop.deliver("#2401", topic="orders/updated")  # again: the shipment is linked, nothing is sent twice
    assert len(_fulfilments(order)) == 1

    # The rest ships; the shop order is fulfilled, then invoiced in BC by the orders flow.
    post_shipment(company(sim_bc), sales_order)
    shop.deliver("#2401", topic="orders/updated")
    assert len(_fulfilments(order)) == 2 and order["displayFulfillmentStatus"] == "FULFILLED"
    assert _fulfilments(order)[1]["trackingInfo"] == []  # no tracking number in BC: none sent
    assert _fulfilments(order)[1]["_lines"] == [(line_ids["1900-S"], 1), (line_ids["1928-S"], 1)]
    shop.deliver("#2401", topic="orders/updated")

    (invoice,) = invoices_for(sim_bc, "#2401")
    assert invoice["status"] == "Open" and sales_orders_for(sim_bc, "#2401") == []
    assert len(company(sim_bc).rows("salesShipments")) == 2  # shipAndInvoice had nothing left to ship
    assert len(_fulfilments(order)) == 2
    # Both numbers find the order in the shop; the metafield holds the posted invoice.
    assert order["_metafields"][(METAFIELD_NAMESPACE, METAFIELD_KEY)]["value"] == invoice["number"]
    assert {f"BC:{sales_order['number']}", f"BC:{invoice['number']}"} <= set(order["tags"])
    assert order_link("#2401").details.get("shipments_done") is True


def test_a_shipment_of_an_order_fulfilled_in_the_shop_is_linked_as_skipped(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        document_type=Integration.DocumentType.ORDER_SHIP_INVOICE, fulfil_from_bc_shipments=True
    )
    new_order(shop.sim, 2402, [("1900-S", 1)], fulfilled=True)

    shop.deliver("#2402")  # fulfilled in the shop: BC ships and invoices at once

    (invoice,) = invoices_for(sim_bc, "#2402")
    (shipment,) = [s for s in company(sim_bc).rows("salesShipments") if s["externalDocumentNumber"] == "#2402"]
    link = RecordLink.objects.get(entity_type=EntityType.SHIPMENT, source_id=shipment["id"])
    assert link.state == RecordLink.State.SKIPPED and link.details["skip_reason"] == "already fulfilled in the shop"
    assert _fulfilments(shop.order("#2402")) == []
    assert order_link("#2402").details["invoice_id"] == invoice["id"]


def test_without_page_130_published_fulfilments_go_without_tracking(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        document_type=Integration.DocumentType.ORDER_SHIP_INVOICE, fulfil_from_bc_shipments=True
    )
    company(sim_bc).unpublish_odatav4_pages("PostedSalesShipment")
    order = new_order(shop.sim, 2403, [("1900-S", 1)], fulfilled=False)
    shop.deliver("#2403")
    (sales_order,) = sales_orders_for(sim_bc, "#2403")

    post_shipment(company(sim_bc), sales_order, tracking_no="TRACK-1")
    shop.deliver("#2403", topic="orders/updated")

    (fulfilment,) = _fulfilments(order)
    assert fulfilment["trackingInfo"] == [] and order["displayFulfillmentStatus"] == "FULFILLED"


def test_a_refused_shipment_is_failed_visibly_and_retried_through_the_orders_run(shop, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        document_type=Integration.DocumentType.ORDER_SHIP_INVOICE, fulfil_from_bc_shipments=True
    )
    order = new_order(shop.sim, 2404, [("1900-S", 2)], fulfilled=False)
    shop.deliver("#2404")
    (sales_order,) = sales_orders_for(sim_bc, "#2404")
    with shop.sim.store.lock:  # the fulfillment order is on hold in the shop: it cannot be fulfilled
        fulfillment_order = shop.sim.store.orders[order["id"]]
        fulfillment_orders(shop.sim.store, fulfillment_order)[0]["status"] = "ON_HOLD"

    shipment = post_shipment(company(sim_bc), sales_order)
    shop.deliver("#2404", topic="orders/updated")

    link = RecordLink.objects.get(entity_type=EntityType.SHIPMENT, source_id=shipment["id"])
    assert link.state == RecordLink.State.FAILED
    assert link.last_error_code == codes.SHIPMENT_NOT_FULFILLED, link.last_error_message
    assert "on hold" in link.last_error_message
    assert _fulfilments(order) == []

    with shop.sim.store.lock:  # the merchant releases it; support retries the shipment record
        fulfillment_orders(shop.sim.store, fulfillment_order)[0]["status"] = "OPEN"
    with shop.on_commit(execute=True):
        record_links_retry(record_link_ids=[link.pk])

    link.refresh_from_db()
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    assert len(_fulfilments(order)) == 1
