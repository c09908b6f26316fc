"""A WooCommerce integration's shop records carry WooCommerce as their source, in data and on the page."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from integrations.models import ShopConnection
from syncs.models import EntityType, RecordLink, SourceSystem
from syncs.services.shop_source import shop_source_system
from tests.factories import IntegrationFactory, RecordLinkFactory, ShopConnectionFactory

pytestmark = pytest.mark.django_db

links_to_woocommerce = import_module("syncs.migrations.0009_wooproducts").links_to_woocommerce


def _woo(integration) -> ShopConnection:
    return ShopConnectionFactory(
        integration=integration,
        platform=ShopConnection.Platform.WOOCOMMERCE,
        shop_domain="shop.example.se",
        store_url="https://shop.example.se",
    )


def test_the_source_system_follows_the_shop_platform(integration):
    shopify = IntegrationFactory(tenant=integration.tenant)
    ShopConnectionFactory(integration=shopify)
    _woo(integration)

    assert shop_source_system(integration=integration) == SourceSystem.WOOCOMMERCE
    assert shop_source_system(integration=shopify) == SourceSystem.SHOPIFY
    assert shop_source_system(integration=IntegrationFactory()) == SourceSystem.SHOPIFY  # nothing connected yet


def test_existing_woocommerce_links_move_to_woocommerce_and_shopify_ones_stay(integration):
    _woo(integration)
    shopify = IntegrationFactory(tenant=integration.tenant)
    ShopConnectionFactory(integration=shopify)
    order = RecordLinkFactory(integration=integration, source_id="gid://woocommerce/Order/1001")
    customer = RecordLinkFactory(integration=integration, entity_type=EntityType.CUSTOMER, source_id="2")
    item = RecordLinkFactory(
        integration=integration, entity_type=EntityType.ITEM, source_system=SourceSystem.BUSINESS_CENTRAL
    )
    twin_old = RecordLinkFactory(integration=integration, source_id="gid://woocommerce/Order/1002")
    RecordLinkFactory(
        integration=integration, source_id="gid://woocommerce/Order/1002", source_system=SourceSystem.WOOCOMMERCE
    )
    other = RecordLinkFactory(integration=shopify)

    links_to_woocommerce(apps, None)

    systems = dict(RecordLink.objects.values_list("pk", "source_system"))
    assert systems[order.pk] == systems[customer.pk] == SourceSystem.WOOCOMMERCE
    assert systems[item.pk] == SourceSystem.BUSINESS_CENTRAL
    assert systems[twin_old.pk] == systems[other.pk] == SourceSystem.SHOPIFY  # never a duplicate source


def test_the_record_page_names_the_woocommerce_order_by_its_number(owner_client, integration):
    _woo(integration)
    link = RecordLinkFactory(
        integration=integration,
        source_system=SourceSystem.WOOCOMMERCE,
        source_id="gid://woocommerce/Order/1001",
        source_reference="",
    )

    body = owner_client.get(reverse("merchant:record_detail", args=[link.pk])).content.decode()

    assert '#1001 <span class="muted">(WooCommerce)</span>' in body
    assert "gid://" not in body and "Shopify" not in body
