"""Two workers run the same flow of the same integration at the same moment (PostgreSQL).

Each worker is a thread with its own database connection, calling the real executor
(``sync_run_execute``) for its own queued run of the orders flow, against the Shopify simulator
over HTTP and the BC simulator. The run that gets the flow lease is held inside the flow until the
other worker has returned, so the two always overlap: without the lease both would sync the orders.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from integrations.models import Flow
from syncs.clients import client_factory_default
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.runs import sync_run_execute
from tests.flows.conftest import bc_client, bc_integration, sim_bc  # noqa: F401 - shared fixtures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORDERS = ["#1001", "#1002", "#1016"]
GATE_TIMEOUT = 30  # only reached when the lease failed and both workers are inside the flow


def test_two_workers_same_flow_nothing_done_twice(e2e, bc_integration, sim_bc):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks with skip_locked)")
    runs = [
        SyncRun.objects.create(
            integration=bc_integration,
            flow=Flow.ORDERS,
            trigger=SyncRun.Trigger.SCHEDULE,
            parameters={"order_names": ORDERS},
        )
        for _ in range(2)
    ]
    done = {run.pk: threading.Event() for run in runs}
    inside: list[int] = []
    simulators = client_factory_default()  # the e2e fixture's clients (simulators)

    class GatedClients:
        """The simulators' clients; the BC client is handed out only after the other worker returned."""

        def bc(self, *, integration):
            # Only a worker holding the lease gets here; it waits until the other worker has returned.
            me = int(threading.current_thread().name)
            inside.append(me)
            (other,) = [pk for pk in done if pk != me]
            done[other].wait(GATE_TIMEOUT)
            return simulators.bc(integration=integration)

        def shop(self, *, integration):
            return simulators.shop(integration=integration)

        def payout_providers(self, *, integration):
            return simulators.payout_providers(integration=integration)

    start = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def worker(run_id: int) -> None:
        try:
            start.wait(GATE_TIMEOUT)
            sync_run_execute(run_id=run_id, clients=GatedClients())
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            done[run_id].set()
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(run.pk,), name=str(run.pk)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GATE_TIMEOUT * 2)

    assert not errors, errors
    assert len(inside) == 1, "both workers ran the flow at once"
    statuses = dict(SyncRun.objects.filter(pk__in=done).values_list("pk", "status"))
    assert sorted(statuses.values()) == [SyncRun.Status.SKIPPED, SyncRun.Status.SUCCEEDED]
    skipped = SyncRun.objects.get(pk__in=done, status=SyncRun.Status.SKIPPED)
    assert skipped.records_seen == 0 and skipped.started_at is None

    links = RecordLink.objects.filter(integration=bc_integration, entity_type=EntityType.ORDER)
    assert sorted(links.values_list("source_reference", flat=True)) == sorted(ORDERS)
    assert set(links.values_list("state", flat=True)) == {RecordLink.State.SYNCED}
    invoices = Counter(d["externalDocumentNumber"] for d in sim_bc.company().rows("salesInvoices"))
    assert {name: invoices[name] for name in ORDERS} == dict.fromkeys(ORDERS, 1)
