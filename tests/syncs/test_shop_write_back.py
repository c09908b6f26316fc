"""The BC number back on the shop order: batched metafields, one refusal isolated, retried later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integrations.connectors.shopify.exceptions import ShopifyUserError
from syncs.mapping import codes
from syncs.models import RecordLink, SyncLogEntry
from syncs.services.fulfilments import METAFIELD_KEY, METAFIELD_NAMESPACE, shop_write_back
from tests.factories import IntegrationFactory, RecordLinkFactory, ShopConnectionFactory


class Shop:
    """The two write-back calls, recording what they were sent; ``refuse`` names orders Shopify refuses."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.metafield_calls: list[dict] = []
        self.tags: dict[str, list[str]] = {}

    def order_metafields_set(self, values, *, namespace, key):
        assert (namespace, key) == (METAFIELD_NAMESPACE, METAFIELD_KEY)
        self.metafield_calls.append(dict(values))
        if self.refuse & set(values):
            raise ShopifyUserError("metafieldsSet refused: value: is invalid", user_errors=[{"message": "invalid"}])

    def tags_add(self, order_id, tags):
        self.tags.setdefault(order_id, []).extend(tags)


@pytest.fixture
def links(db):
    integration = IntegrationFactory(write_back_metafield=True, write_back_tag=True)
    ShopConnectionFactory(integration=integration)  # a Shopify shop
    now = timezone.now()
    return [
        RecordLinkFactory(
            integration=integration, state=RecordLink.State.SYNCED, target_number=f"1030{n:04d}", synced_at=now
        )
        for n in range(30)
    ]


def test_numbers_go_back_in_batches_and_a_refusal_is_retried_alone_later(links):
    integration = links[0].integration
    bad = links[3].source_id
    shop = Shop(refuse={bad})
    since = timezone.now() - dt.timedelta(minutes=1)

    result = shop_write_back(integration=integration, shop_client=shop, since=since)

    assert (result.written_back, result.failed) == (29, 1)
    assert len(shop.metafield_calls[0]) == 25  # one request for 25 orders, then one by one for the refused batch
    assert bad not in shop.tags and shop.tags[links[0].source_id] == ["BC:10300000"]
    refused = RecordLink.objects.get(pk=links[3].pk)
    assert refused.details["write_back_pending"] is True
    entry = SyncLogEntry.objects.get(error_code=codes.WRITE_BACK_FAILED)
    assert entry.record_link_id == refused.pk and entry.level == SyncLogEntry.Level.WARNING

    # Later (nothing new synced): only the pending order is tried again; it goes through now.
    shop.refuse.clear()
    shop.metafield_calls.clear()
    again = shop_write_back(integration=integration, shop_client=shop, since=timezone.now())

    assert (again.written_back, again.failed) == (1, 0)
    assert shop.metafield_calls == [{bad: "10300003"}]
    refused.refresh_from_db()
    assert refused.details["written_back"] == "10300003" and "write_back_pending" not in refused.details


def test_nothing_is_written_when_both_options_are_off(links):
    integration = links[0].integration
    integration.write_back_metafield = integration.write_back_tag = False
    shop = Shop()

    result = shop_write_back(integration=integration, shop_client=shop, since=timezone.now() - dt.timedelta(hours=1))

    assert result.written_back == 0 and shop.metafield_calls == [] and shop.tags == {}


def test_a_woocommerce_store_is_left_alone(links):
    integration = links[0].integration
    integration.shop_connection.platform = "woocommerce"
    integration.shop_connection.save()
    shop = Shop()

    result = shop_write_back(integration=integration, shop_client=shop, since=timezone.now() - dt.timedelta(hours=1))

    assert result.written_back == 0 and shop.metafield_calls == []
