"""Several $batch requests at once per integration, within the BC user's shared slots; range reads
by external document number for a page of consecutive order names."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache

from integrations.connectors.businesscentral import entities
from integrations.services.bc_slots import BCSlots, SlotWaitTimeout
from syncs.services.batches import Lanes, lanes_for
from syncs.services.orders.sync import orders_sync

from . import builders as b


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _orders(first: int, count: int):
    return [
        b.order(name=f"#{first + n}", lines=[b.line(sku="1000", price="149.00", tax_amount="29.80")], total="198.00")
        for n in range(count)
    ]


# --- slots ---------------------------------------------------------------------------------------


def test_one_integration_alone_uses_every_slot_of_its_bc_user_and_no_more():
    slots = BCSlots(user_key="u", holder="a", limit=4, wait_seconds=0.05, poll_seconds=0.01)
    held = [slots.try_acquire() for _ in range(4)]
    assert all(held) and len(set(held)) == 4
    assert slots.try_acquire() is None
    with pytest.raises(SlotWaitTimeout), slots.slot():
        pass
    slots.release(held[0])
    assert slots.try_acquire() is not None


def test_integrations_sharing_a_bc_user_get_a_fair_share():
    greedy = BCSlots(user_key="u", holder="a", limit=4)
    other = BCSlots(user_key="u", holder="b", limit=4)
    held = [greedy.try_acquire() for _ in range(4)]
    greedy.release(held.pop())
    greedy.release(held.pop())
    # "b" waits: "a" holds its share of 2 and may not take another while "b" waits.
    assert greedy.try_acquire(waiting={"b"}) is None
    assert other.try_acquire(waiting={"b"}) is not None
    assert other.try_acquire(waiting={"a", "b"}) is not None
    assert other.try_acquire(waiting={"a", "b"}) is None  # "b" holds its 2, the user's 4 are busy


def test_a_slot_held_by_a_killed_worker_frees_itself_at_the_end_of_its_lease():
    dead = BCSlots(user_key="u", holder="a", limit=1, lease_seconds=1)
    assert dead.try_acquire() is not None  # never released
    alive = BCSlots(user_key="u", holder="b", limit=1, wait_seconds=3, poll_seconds=0.05)
    started = time.monotonic()
    with alive.slot():
        assert time.monotonic() - started >= 0.5


def test_lanes_never_exceed_the_users_slots_across_integrations():
    in_flight, peak, lock = [0], [0], threading.Lock()

    def send(_item):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.01)
        with lock:
            in_flight[0] -= 1
        return "ok"

    first = Lanes(width=4, slots=BCSlots(user_key="u", holder="a", limit=3))
    second = Lanes(width=4, slots=BCSlots(user_key="u", holder="b", limit=3))
    results = []
    threads = [
        threading.Thread(target=lambda lanes=lanes: results.extend(lanes.map(send, range(8))))
        for lanes in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ok"] * 16
    assert 2 <= peak[0] <= 3


# --- the orders flow -------------------------------------------------------------------------------


def test_a_page_sends_its_batches_at_once_and_each_order_once(sim_bc, bc_integration, bc_client):
    sim_bc.latency.configure(per_request=0.02)
    orders = _orders(7000, 16)

    result = orders_sync(
        integration=bc_integration,
        orders=orders,
        client=bc_client,
        lanes=lanes_for(integration=bc_integration, width=4),
        batch_size=4,
    )

    assert (result.created, result.failed) == (16, 0)
    assert 2 <= sim_bc.max_in_flight <= 4
    numbers = [doc["externalDocumentNumber"] for doc in sim_bc.company().rows("salesInvoices")]
    assert sorted(n for n in numbers if n.startswith("#7")) == sorted(o.name for o in orders)


# --- range reads ---------------------------------------------------------------------------------


def test_a_page_of_consecutive_order_names_is_looked_up_in_one_request(sim_bc, bc_integration, bc_client):
    orders_sync(integration=bc_integration, orders=_orders(8000, 120), client=bc_client, page_size=120)
    names = [f"#{8000 + n}" for n in range(150)]

    before = bc_client.stats.requests
    found = bc_client.find_by_external_document_numbers(entities.SALES_INVOICES, names)

    assert bc_client.stats.requests - before == 1
    assert sorted(found) == sorted(names[:120])


def test_a_crowded_range_or_mixed_names_fall_back_to_exact_lookups(sim_bc, bc_integration, bc_client):
    orders_sync(integration=bc_integration, orders=_orders(80000, 300), client=bc_client)
    # "#8001" ... "#8100" lexically holds "#80010" ... "#80099" and more: too many to trust.
    sparse = [f"#{8001 + n}" for n in range(100)]
    found = bc_client.find_by_external_document_numbers(entities.SALES_INVOICES, sparse)
    assert found == {}
    mixed = [f"#{80000 + n}" for n in range(60)] + [f"SO-{n}" for n in range(60)]
    before = bc_client.stats.requests
    found = bc_client.find_by_external_document_numbers(entities.SALES_INVOICES, mixed)
    assert sorted(found) == sorted(mixed[:60])
    assert bc_client.stats.requests - before >= 2  # chunked exact lookups, no range
