"""The shop platforms' webhook intakes (integrations/commerce/platform.py ``ShopWebhookIntake``),
chosen by platform through integrations/services/shop_clients.py, without a client."""

from __future__ import annotations

import json

import pytest

from integrations.commerce import ShopRefused
from integrations.commerce.platform import ShopWebhookIntake
from integrations.connectors.shopify import webhook_signature as shopify_signature
from integrations.connectors.woocommerce import webhook_signature as woo_signature
from integrations.services.shop_clients import webhook_intake_for

SECRET = "intake-secret"


def test_each_platform_has_an_intake():
    shopify, woo = webhook_intake_for(platform="shopify"), webhook_intake_for(platform="woocommerce")
    assert isinstance(shopify, ShopWebhookIntake) and isinstance(woo, ShopWebhookIntake)
    assert (shopify.platform, woo.platform) == ("shopify", "woocommerce")


def test_a_woocommerce_delivery_is_verified_parsed_and_becomes_an_orders_run():
    intake = webhook_intake_for(platform="woocommerce")
    body = json.dumps({"id": 1001, "number": "1001"}).encode()
    headers = {
        "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Delivery-ID": "d-1",
        "X-WC-Webhook-Signature": woo_signature(secret=SECRET, body=body),
    }

    assert intake.webhook_verified(headers=headers, body=body, secrets=(SECRET,))
    assert not intake.webhook_verified(headers=headers, body=body, secrets=("other", ""))
    delivery = intake.webhook_delivery(headers=headers, body=body)
    assert (delivery.topic, delivery.delivery_id, delivery.payload["id"]) == ("order.updated", "d-1", 1001)
    assert intake.webhook_run_parameters(topic=delivery.topic, payload=delivery.payload) == {
        "order_ids": ["gid://woocommerce/Order/1001"],
        "order_names": ["#1001"],
    }
    assert intake.webhook_ping(headers={}, body=b"webhook_id=7")
    with pytest.raises(ShopRefused):
        intake.webhook_delivery(headers={"X-WC-Webhook-Topic": ""}, body=b"[]")


def test_a_shopify_delivery_is_verified_parsed_and_a_refund_becomes_a_refunds_run():
    intake = webhook_intake_for(platform="shopify")
    body = json.dumps({"id": 7, "order_id": 1001}).encode()
    headers = {
        "X-Shopify-Hmac-Sha256": shopify_signature(raw_body=body, secret=SECRET),
        "X-Shopify-Topic": "refunds/create",
        "X-Shopify-Webhook-Id": "w-1",
        "X-Shopify-Shop-Domain": "juniper.myshopify.com",
    }

    assert intake.webhook_verified(headers=headers, body=body, secrets=(SECRET,))
    delivery = intake.webhook_delivery(headers=headers, body=body)
    assert (delivery.topic, delivery.delivery_id, delivery.shop_domain) == (
        "refunds/create",
        "w-1",
        "juniper.myshopify.com",
    )
    assert intake.webhook_run_parameters(topic=delivery.topic, payload=delivery.payload) == {
        "order_ids": ["gid://shopify/Order/1001"],
        "refund_ids": ["gid://shopify/Refund/7"],
    }
    assert intake.webhook_uninstalls("app/uninstalled") and not intake.webhook_ping(headers=headers, body=body)
    with pytest.raises(ShopRefused):
        intake.webhook_delivery(headers=headers, body=b"[1, 2]")
