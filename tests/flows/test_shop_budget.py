"""The shop's budget: Shopify query cost points per synced order in the steady state (counted at the
simulator), and order pages of more than 3 orders.

Steady state: every order arrives as an orders/create webhook (its body builds the order, one small
read completes it), and the sweep that follows lists the window's orders and reads none of them in
full again, because each is synced unchanged. Exactly once: one BC document per order.
"""

from __future__ import annotations

import math

import pytest

from integrations.connectors.shopify.client import PAGE_SIZES
from integrations.models import ShippingMethodMapping
from syncs.models import EntityType, RecordLink, SourceSystem, WebhookEvent
from syncs.services.discovery import orders_discover
from syncs.services.orders.sync import orders_sync
from tests.factories import CountryMappingFactory, ShippingMethodMappingFactory

STEADY_STATE_POINTS_PER_ORDER = 20
ORDERS = 24
MORE_COUNTRIES = {"FI": ("OSS-FI", "10020", "EUR"), "DK": ("OSS-DK", "10030", "DKK"), "FR": ("OSS-FR", "10040", "EUR")}
MORE_COUNTRIES |= {"NL": ("OSS-NL", "10050", "EUR")}


@pytest.fixture
def shop_integration(bc_integration):
    for country, (group, customer, currency) in MORE_COUNTRIES.items():
        CountryMappingFactory(
            integration=bc_integration,
            country_code=country,
            vat_business_group=group,
            collective_customer_number=customer,
            currency_code=currency,
        )
    for code in ("postnord-standard", "dhl-express"):
        ShippingMethodMappingFactory(
            integration=bc_integration,
            shop_shipping_code=code,
            bc_shipment_method_code="",
            line_type=ShippingMethodMapping.LineType.ACCOUNT,
            line_number="3540",
            vat_product_group="STANDARD",
        )
    bc_integration.refresh_from_db()
    return bc_integration


def _webhook_run(*, integration, shop, bc_client, body: dict, n: int):
    event = WebhookEvent.objects.create(
        integration=integration,
        source_system=SourceSystem.SHOPIFY,
        webhook_id=f"budget-{n}",
        topic="orders/create",
        payload=body,
    )
    parameters = {
        "order_ids": [body["admin_graphql_api_id"]],
        "order_names": [body["name"]],
        "webhook_event_id": event.pk,
    }
    orders = orders_discover(integration=integration, shop_client=shop, parameters=parameters)
    return orders_sync(integration=integration, orders=orders, client=bc_client)


def test_steady_state_costs_at_most_20_points_per_order(
    shop_integration, shopify_server, shopify_client, bc_client, sim_bc
):
    sim = shopify_server.sim
    sim.set_throttle(maximum=1e9, restore_rate=1e9)
    since = sim.clock.now()
    ids = sim.generate_orders(ORDERS, seed=7)
    points, requests = sim.stats["points_actual"], sim.stats["requests"]

    for n, order_id in enumerate(ids):
        result = _webhook_run(
            integration=shop_integration,
            shop=shopify_client,
            bc_client=bc_client,
            body=sim.webhooks.order_payload(order_id),
            n=n,
        )
        assert (result.created, result.failed) == (1, 0), result.states
    swept = list(
        orders_discover(
            integration=shop_integration, shop_client=shopify_client, parameters={"since": since.isoformat()}
        )
    )
    sweep = orders_sync(integration=shop_integration, orders=swept, client=bc_client)

    per_order = (sim.stats["points_actual"] - points) / ORDERS
    print(f"steady state: {per_order:.1f} actual points per order")
    assert per_order <= STEADY_STATE_POINTS_PER_ORDER, per_order
    assert swept == [] and sweep.created == 0  # listed, nothing read in full again, nothing written
    # Exactly once: one link and one BC document per order.
    links = RecordLink.objects.filter(integration=shop_integration, entity_type=EntityType.ORDER)
    assert links.filter(state=RecordLink.State.SYNCED).count() == ORDERS
    documents = sim_bc.company("sandbox", "CRONUS Sverige AB").rows("salesInvoices")
    assert sorted(d["externalDocumentNumber"] for d in documents) == sorted(link.source_reference for link in links)
    # A webhook run is two requests (the body's complement: one; nothing else) and the sweep one listing.
    assert sim.stats["requests"] - requests == ORDERS + 1


def test_a_sweep_reads_in_full_only_new_or_changed_orders(shop_integration, shopify_server, shopify_client, bc_client):
    sim = shopify_server.sim
    sim.set_throttle(maximum=1e9, restore_rate=1e9)
    since = sim.clock.now()
    first = sim.generate_orders(8, seed=3)
    synced = orders_sync(
        integration=shop_integration,
        orders=orders_discover(
            integration=shop_integration, shop_client=shopify_client, parameters={"since": since.isoformat()}
        ),
        client=bc_client,
    )
    assert synced.created == 8
    sim.clock.advance(60)
    later = sim.generate_orders(3, seed=4)

    swept = list(
        orders_discover(
            integration=shop_integration, shop_client=shopify_client, parameters={"since": since.isoformat()}
        )
    )

    assert sorted(order.id for order in swept) == sorted(later)
    assert not set(first) & {order.id for order in swept}


def test_order_pages_hold_more_than_3_orders(shopify_server, shopify_client):
    sim = shopify_server.sim
    sim.set_throttle(maximum=1e9, restore_rate=1e9)
    since = sim.clock.now()
    sim.generate_orders(18, seed=9)
    requests = sim.stats["requests"]

    read = list(shopify_client.orders_iter(created_since=since))

    assert PAGE_SIZES["orders"] > 3
    assert len(read) == 18
    # Pages of more than 3 orders: fewer than one request per 3 orders (nested lists completed when longer).
    assert sim.stats["requests"] - requests <= math.ceil(18 / PAGE_SIZES["orders"]) + 2 < 18 / 3
