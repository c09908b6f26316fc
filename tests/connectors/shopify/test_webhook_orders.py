"""Orders from orders/create and orders/paid bodies: the same order model as a full read, for less."""

from __future__ import annotations

import dataclasses

import pytest

from integrations.connectors.shopify import webhook_orders


def _without_raw(order):
    return dataclasses.replace(order, raw={})


@pytest.mark.parametrize("count", [40])
def test_order_from_body_equals_full_read(shopify_server, shopify_client, count):
    sim = shopify_server.sim
    sim.set_throttle(maximum=1e9, restore_rate=1e9)
    ids = sim.generate_orders(count, seed=11)
    for order_id in ids:
        body = sim.webhooks.order_payload(order_id)
        from_body = shopify_client.order_from_webhook(body)
        assert _without_raw(from_body) == _without_raw(shopify_client.order_get(order_id)), order_id


def test_body_costs_a_fraction_of_a_full_read(shopify_server, shopify_client):
    sim = shopify_server.sim
    sim.set_throttle(maximum=1e9, restore_rate=1e9)
    ids = sim.generate_orders(30, seed=5)
    before = sim.stats["points_actual"]
    for order_id in ids:
        shopify_client.order_from_webhook(sim.webhooks.order_payload(order_id))
    from_bodies = sim.stats["points_actual"] - before
    before = sim.stats["points_actual"]
    for order_id in ids:
        shopify_client.order_get(order_id)
    full = sim.stats["points_actual"] - before
    assert from_bodies / len(ids) <= 20
    assert from_bodies * 3 < full


def test_a_changed_order_is_read_in_full(shopify_server, shopify_client):
    sim = shopify_server.sim
    (order_id,) = sim.generate_orders(1, seed=3)
    body = sim.webhooks.order_payload(order_id)
    body["updated_at"] = "2020-01-01T00:00:00Z"  # the order changed after this body was sent
    requests = sim.stats["requests"]
    order = shopify_client.order_from_webhook(body)
    assert sim.stats["requests"] - requests == 2  # the complement, then the full read
    assert order.updated_at.year != 2020


def test_a_trimmed_body_is_not_used():
    assert webhook_orders.order_node_from_webhook({"id": 1, "name": "#1001"}) is None
    assert webhook_orders.order_node_from_webhook([]) is None
