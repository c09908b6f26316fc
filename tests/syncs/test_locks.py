import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from integrations.models import Flow
from syncs.models import FlowLease
from syncs.services.locks import FlowLeaseLost, FlowLocked, flow_lock
from tests.factories import IntegrationFactory


@pytest.mark.django_db
def test_second_taker_is_refused_while_the_lease_is_held():
    integration = IntegrationFactory()
    with (
        flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="run:1", ttl_seconds=60),
        pytest.raises(FlowLocked),
        flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="run:2", ttl_seconds=60),
    ):
        pass  # pragma: no cover


@pytest.mark.django_db
def test_other_flows_and_integrations_are_independent():
    integration, other = IntegrationFactory(), IntegrationFactory()
    with (
        flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="a", ttl_seconds=60),
        flow_lock(integration_id=integration.pk, flow=Flow.STOCK, holder="b", ttl_seconds=60),
        flow_lock(integration_id=other.pk, flow=Flow.ORDERS, holder="c", ttl_seconds=60),
    ):
        assert FlowLease.objects.exclude(holder="").count() == 3


@pytest.mark.django_db
def test_release_frees_the_lease_even_when_the_block_raises():
    integration = IntegrationFactory()
    with (
        pytest.raises(RuntimeError),
        flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="run:1", ttl_seconds=60),
    ):
        raise RuntimeError("boom")
    lease = FlowLease.objects.get(integration=integration, flow=Flow.ORDERS)
    assert lease.holder == "" and lease.expires_at is None
    with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="run:2", ttl_seconds=60) as handle:
        assert handle.holder.startswith("run:2#")


@pytest.mark.django_db
def test_an_expired_lease_can_be_taken_and_the_old_holder_loses_it():
    integration = IntegrationFactory()
    with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="stale", ttl_seconds=60) as stale:
        # The stale worker stopped renewing: its lease is past expiry.
        FlowLease.objects.filter(pk=stale.lease_id).update(expires_at=timezone.now() - timedelta(seconds=1))
        with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="fresh", ttl_seconds=60) as fresh:
            with pytest.raises(FlowLeaseLost):
                stale.renew()
            fresh.renew()
        # The fresh holder released; the stale holder's release must not touch a later taker.
        with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="third", ttl_seconds=60) as third:
            pass
    assert FlowLease.objects.get(pk=third.lease_id).holder == ""


@pytest.mark.django_db
def test_renew_pushes_the_expiry_out():
    integration = IntegrationFactory()
    with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="run", ttl_seconds=60) as handle:
        FlowLease.objects.filter(pk=handle.lease_id).update(expires_at=timezone.now() + timedelta(seconds=5))
        handle.renew()
        lease = FlowLease.objects.get(pk=handle.lease_id)
        assert lease.expires_at > timezone.now() + timedelta(seconds=30)
        assert lease.holder == handle.holder


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_taking_the_same_lock_at_once_only_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    integration = IntegrationFactory()
    FlowLease.objects.create(integration=integration, flow=Flow.ORDERS)
    barrier = threading.Barrier(2)
    release = threading.Event()
    results: list[str] = []

    def take(name: str) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            try:
                with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder=name, ttl_seconds=60):
                    results.append("got")
                    release.wait(timeout=30)
            except FlowLocked:
                results.append("locked")
                release.set()
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=take, args=(f"worker-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["got", "locked"]
    assert FlowLease.objects.get(integration=integration, flow=Flow.ORDERS).holder == ""
