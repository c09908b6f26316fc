"""No secret reaches a log line: a whole order's journey logged at DEBUG, with every logger on."""

import logging

from syncs.models import RecordLink, SyncLogEntry
from tests.factories import SHOP_WEBHOOK_SECRET
from tests.fixtures.bc import BC_TEST_TOKEN
from tests.fixtures.shopify import ACCESS_TOKEN


def test_an_order_journey_logs_no_secret(shop, caplog):
    with caplog.at_level(logging.DEBUG):
        shop.deliver("#1001")
        shop.deliver("#1001")  # a duplicate too
        shop.post("orders/create", {"id": 999999999, "name": "#9999999"})  # an order the shop does not have

    assert RecordLink.objects.filter(source_reference="#1001", state=RecordLink.State.SYNCED).exists()
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "POST" in logged or "GET" in logged  # the connectors did log their requests
    stored = "\n".join(SyncLogEntry.objects.values_list("message", flat=True))
    for secret in (BC_TEST_TOKEN, ACCESS_TOKEN, SHOP_WEBHOOK_SECRET):
        assert secret not in logged
        assert secret not in stored
