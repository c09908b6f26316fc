"""Cost per page of orders is constant: BC requests, BC operations and database queries grow by the
same amount for every further page, whether the run holds 1, 5 or 20 pages (counted, not timed)."""

from __future__ import annotations

import pytest
from django.db import connection

from syncs.services.orders.sync import orders_sync

from . import builders as b

PAGE_SIZE = 4


def _orders(first: int, count: int):
    return [
        b.order(
            name=f"#{first + n}",
            lines=[b.line(sku="1000", price="149.00", tax_amount="29.80")],
            total="198.00",
        )
        for n in range(count)
    ]


class _Queries:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@pytest.fixture
def cost(bc_integration, bc_client):
    """(requests, operations, queries) of one run over ``pages`` pages of new orders."""
    first = [5000]

    def measure(pages: int) -> tuple[int, int, int]:
        orders = _orders(first[0], pages * PAGE_SIZE)
        first[0] += len(orders)
        bc_integration.refresh_from_db()
        requests, operations = bc_client.stats.requests, bc_client.stats.operations
        queries = _Queries()
        with connection.execute_wrapper(queries):
            result = orders_sync(integration=bc_integration, orders=orders, client=bc_client, page_size=PAGE_SIZE)
        assert (result.created, result.failed) == (len(orders), 0)
        return bc_client.stats.requests - requests, bc_client.stats.operations - operations, queries.count

    return measure


def test_requests_operations_and_queries_per_page_stay_constant(cost):
    cost(1)  # warm the run's caches (items, shipment methods) as a steady state has them
    one, five, twenty = cost(1), cost(5), cost(20)

    per_page = [(five[i] - one[i]) / 4 for i in range(3)]
    later_per_page = [(twenty[i] - five[i]) / 15 for i in range(3)]
    assert per_page == later_per_page, (one, five, twenty)
    requests, operations, queries = per_page
    # A page of 4 orders: create and post in $batch requests, lookups in bulk; far below 1 request per order.
    assert requests <= PAGE_SIZE and operations <= 3 * PAGE_SIZE and queries <= 4 * PAGE_SIZE, per_page


def test_steady_state_sends_at_most_005_requests_and_202_operations_per_order(bc_integration, bc_client):
    """Default pages (100 orders per lane, BC_MAX_CONCURRENT_REQUESTS lanes), caches warm: one range
    read to look the page up, one $batch of creates and one of posts per lane, one range read back."""
    orders_sync(integration=bc_integration, orders=_orders(20000, 10), client=bc_client)  # warm the caches
    orders = _orders(21000, 800)
    requests, operations = bc_client.stats.requests, bc_client.stats.operations

    result = orders_sync(integration=bc_integration, orders=orders, client=bc_client)

    assert (result.created, result.failed) == (800, 0)
    requests, operations = bc_client.stats.requests - requests, bc_client.stats.operations - operations
    assert requests / 800 <= 0.05, requests
    assert operations / 800 <= 2.02, operations
