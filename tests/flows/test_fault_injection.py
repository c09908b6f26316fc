"""Randomised fault injection: whatever BC and the worker do, every order ends as exactly one
BC document and none is lost, with several $batch requests in flight at once (concurrency on:
small batches, so a page of 3-12 orders goes out as 2-6 requests over up to 4 lanes).

Seeded, so a failure replays. FAULT_INJECTION_RUNS sets the number of runs (CI: 20).
"""

from __future__ import annotations

import os
import random
from collections import Counter

import pytest

from simulators.businesscentral.app import BusinessCentralSimulator
from syncs.models import EntityType, RecordLink
from syncs.services.batches import lanes_for
from syncs.services.orders.sync import orders_sync

from . import builders as b

RUNS = int(os.environ.get("FAULT_INJECTION_RUNS", "20"))
SKUS = [("1000", "149.00", "29.80"), ("1001", "89.00", "17.80"), ("1006", "349.00", "69.80")]


class WorkerDied(BaseException):
    """A killed worker: nothing after this point runs, not even cleanup that catches Exception."""


def random_orders(rng: random.Random, run: int) -> list:
    orders = []
    for n in range(rng.randint(3, 12)):
        sku, price, tax = rng.choice(SKUS)
        quantity = rng.randint(1, 3)
        line = b.line(sku=sku, price=price, tax_amount=str(b.Decimal(tax) * quantity), quantity=quantity)
        total = str(b.Decimal(price) * quantity + b.Decimal("49.00"))
        orders.append(b.order(name=f"#{run}{n:03d}", lines=[line], total=total))
    return orders


def arm_faults(rng: random.Random, sim: BusinessCentralSimulator) -> None:
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["503", "drop", "429", "drop"])
        n = rng.randint(1, 5)  # the first sync makes at least five requests: every fault fires
        if kind == "503":
            sim.faults.fail_nth(n, status=503)
        elif kind == "drop":
            sim.faults.drop_response_after_commit(n)
        else:
            sim.faults.storm_429(rng.randint(1, 3))


@pytest.mark.parametrize("seed", range(RUNS))
def test_every_order_ends_as_exactly_one_document(seed, sim_bc, bc_integration, bc_client):
    rng = random.Random(seed)
    orders = random_orders(rng, seed)
    arm_faults(rng, sim_bc)
    sim_bc.latency.configure(per_request=0.01)  # requests take time, so concurrent ones overlap
    kill_after_create = rng.random() < 0.5
    lanes = lanes_for(integration=bc_integration, width=rng.choice([2, 3, 4]))
    batch_size = rng.randint(1, (len(orders) - 1) // 2)  # 3-12 orders: 2 requests or more per step

    def checkpoint(step, jobs):
        nonlocal kill_after_create
        if step == "created" and kill_after_create:
            kill_after_create = False
            raise WorkerDied

    for _attempt in range(6):
        try:
            orders_sync(
                integration=bc_integration,
                orders=orders,
                client=bc_client,
                checkpoint=checkpoint,
                lanes=lanes,
                batch_size=batch_size,
            )
        except WorkerDied:
            continue
        links = RecordLink.objects.filter(integration=bc_integration, entity_type=EntityType.ORDER)
        if links.count() == len(orders) and not links.exclude(state=RecordLink.State.SYNCED).exists():
            break

    assert sim_bc.faults.injected >= 1
    assert sim_bc.max_in_flight >= 2, f"the batches went out one at a time (seed {seed})"
    invoices = sim_bc.company().rows("salesInvoices")
    per_number = Counter(doc.get("externalDocumentNumber") for doc in invoices)
    for order in orders:
        assert per_number[order.name] == 1, f"{order.name}: {per_number[order.name]} documents (seed {seed})"
    links = {link.source_reference: link for link in RecordLink.objects.filter(entity_type=EntityType.ORDER)}
    assert {name: link.state for name, link in links.items()} == {o.name: RecordLink.State.SYNCED for o in orders}
    by_number = {doc["externalDocumentNumber"]: doc for doc in invoices}
    for order in orders:
        assert links[order.name].target_id == by_number[order.name]["id"]
