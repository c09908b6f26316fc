"""Support's admin tools: backfill orders and relink an item by hand."""

import pytest
from django.urls import reverse

from integrations.models import Flow
from syncs.models import EntityType, RecordLink, SyncRun
from tests.factories import IntegrationFactory, RecordLinkFactory

pytestmark = pytest.mark.django_db


def _backfill_url(integration):
    return reverse("admin:integrations_integration_backfill_orders", args=[integration.pk])


def test_backfill_by_order_numbers_queues_an_orders_run(client, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    integration = IntegrationFactory()

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_backfill_url(integration), {"order_numbers": "#1001, 1002\n1003"})

    assert response.status_code == 302
    run = SyncRun.objects.get(integration=integration)
    assert run.flow == Flow.ORDERS and run.trigger == SyncRun.Trigger.MANUAL
    assert run.parameters["requested_by"] == operator.username
    assert {"order_numbers", "order_names"} & set(run.parameters)


def test_backfill_by_date_range(client, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    integration = IntegrationFactory()

    with django_capture_on_commit_callbacks(execute=False):
        client.post(_backfill_url(integration), {"created_from": "2026-01-01 00:00", "created_to": "2026-02-01 00:00"})

    run = SyncRun.objects.get(integration=integration)
    assert run.parameters["created_from"].startswith("2026-01-01")


def test_backfill_needs_a_range_or_numbers(client, operator):
    client.force_login(operator)
    integration = IntegrationFactory()
    response = client.post(_backfill_url(integration), {})
    assert response.status_code == 200 and "Give a date range or order numbers." in response.content.decode()
    assert not SyncRun.objects.exists()


def test_read_only_support_cannot_backfill_or_relink(client, read_only_user):
    client.force_login(read_only_user)
    integration = IntegrationFactory()
    link = RecordLinkFactory(integration=integration, entity_type=EntityType.ITEM)
    assert client.post(_backfill_url(integration), {"order_numbers": "1001"}).status_code == 403
    relink = reverse("admin:syncs_recordlink_relink", args=[link.pk])
    assert client.post(relink, {"shop_product_id": "gid://shopify/Product/9"}).status_code == 403
    assert not SyncRun.objects.exists()


def test_relink_binds_the_item_to_another_product_and_resets_it(client, operator):
    client.force_login(operator)
    link = RecordLinkFactory(
        entity_type=EntityType.ITEM,
        state=RecordLink.State.SYNCED,
        target_id="gid://shopify/Product/1",
        payload_digest="abc",
        details={"product_id": "gid://shopify/Product/1", "variant_id": "gid://shopify/ProductVariant/1"},
    )
    page = client.get(reverse("admin:syncs_recordlink_change", args=[link.pk])).content.decode()
    assert reverse("admin:syncs_recordlink_relink", args=[link.pk]) in page

    response = client.post(
        reverse("admin:syncs_recordlink_relink", args=[link.pk]),
        {"shop_product_id": "gid://shopify/Product/2", "shop_variant_id": "gid://shopify/ProductVariant/7"},
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.target_id == "gid://shopify/Product/2"
    assert link.details["variant_id"] == "gid://shopify/ProductVariant/7"
    assert link.state == RecordLink.State.PENDING and link.payload_digest == ""


def test_relink_is_only_for_items(client, operator):
    client.force_login(operator)
    order_link = RecordLinkFactory(entity_type=EntityType.ORDER)
    assert client.get(reverse("admin:syncs_recordlink_relink", args=[order_link.pk])).status_code == 404
