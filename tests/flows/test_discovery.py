"""Which read a run uses: bulk for large date-range backfills, paged reads for everything else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from syncs.services.discovery import backfill_parameters, orders_discover
from syncs.services.orders import sync as orders_service
from syncs.services.orders.context import OrdersSyncResult

from . import builders as b
from .conftest import FakeShop

RANGE = backfill_parameters(created_from=b.CREATED - dt.timedelta(days=1), created_to=b.CREATED + dt.timedelta(days=1))


def discovered(integration, shop, parameters) -> list[str]:
    return [order.name for order in orders_discover(integration=integration, shop_client=shop, parameters=parameters)]


def calls(shop) -> list[str]:
    return [call[0] for call in shop.calls]


@pytest.fixture
def shop() -> FakeShop:
    return FakeShop([b.order(name="#4001"), b.order(name="#4002")])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("count", "expected"),
    [(None, "bulk_orders"), (250, "bulk_orders"), (100_000, "bulk_orders"), (249, "orders_iter"), (0, "orders_iter")],
)
def test_date_range_backfill_reads_in_bulk_from_the_threshold(bc_integration, shop, count, expected):
    shop.count = count

    assert discovered(bc_integration, shop, RANGE) == ["#4001", "#4002"]
    assert calls(shop) == ["orders_count", expected]
    _, query, since, limit = shop.calls[0]
    assert query.startswith("created_at:<=") and since == b.CREATED - dt.timedelta(days=1) and limit == 250


@pytest.mark.django_db
def test_the_threshold_is_a_setting(bc_integration, shop, settings):
    settings.SHOPIFY_BULK_BACKFILL_MIN_ORDERS = 2
    shop.count = 2
    discovered(bc_integration, shop, RANGE)
    settings.SHOPIFY_BULK_BACKFILL_MIN_ORDERS = 0  # always bulk, without counting
    discovered(bc_integration, shop, RANGE)

    assert calls(shop) == ["orders_count", "bulk_orders", "bulk_orders"]


@pytest.mark.django_db
def test_sweeps_and_backfills_by_number_keep_the_paged_reads(bc_integration, shop):
    discovered(bc_integration, shop, {})
    discovered(bc_integration, shop, backfill_parameters(numbers=["4001"]))
    discovered(bc_integration, shop, {"since": b.CREATED.isoformat()})

    assert calls(shop) == ["orders_iter", "orders_by_names", "orders_iter"]


@pytest.mark.django_db
def test_a_bulk_backfill_is_streamed_into_the_flow_in_pages_of_100_per_lane(bc_integration, monkeypatch, settings):
    settings.BC_MAX_CONCURRENT_REQUESTS = 2  # a page: one $batch of 100 per lane
    produced = []

    class BulkShop(FakeShop):
        def bulk_orders(self, query=None, *, created_since=None, **_polling):
            for number in range(250):
                produced.append(number)
                yield dataclasses.replace(b.order(name=f"#{5000 + number}"), id=f"gid://shopify/Order/{number}")

    pages = []

    def page_sync(*, ctx, orders):
        pages.append((len(orders), len(produced)))
        return OrdersSyncResult()

    monkeypatch.setattr(orders_service, "orders_context", lambda **_kw: None)
    monkeypatch.setattr(orders_service, "orders_page_sync", page_sync)
    orders = orders_discover(integration=bc_integration, shop_client=BulkShop(), parameters=RANGE)

    orders_service.orders_sync(integration=bc_integration, orders=orders, client=None, with_refunds=False)

    # Each page is handed over when it is full, not after the whole file was read.
    assert pages == [(200, 200), (50, 250)]
