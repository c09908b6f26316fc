"""Retrying payout and payment records from the records page re-books their payouts."""

from __future__ import annotations

import pytest

from integrations.models import Flow
from syncs.models import EntityType, Payout, RecordLink, SyncRun
from syncs.services.dispatch import record_links_retry, records_retry_failed
from tests.factories import RecordLinkFactory
from tests.fixtures.clients import StaticClients
from tests.payouts.conftest import invoices_create
from tests.payouts.test_booking import ORDERS, UNMATCHED, _sync, world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def partial(world, settings, django_capture_on_commit_callbacks):  # noqa: F811
    integration, client, provider, _ = world
    # A retry runs the payouts flow through the executor: it builds its clients here.
    settings.SYNC_CLIENT_FACTORY = StaticClients(bc_client=client, providers=[provider])
    _sync(integration, client, provider)
    payout = Payout.objects.get()
    assert payout.booking_state == Payout.BookingState.PARTIAL  # one charge had no invoice
    invoices_create(client, {UNMATCHED: ORDERS[UNMATCHED]})  # the fix: the order's invoice now exists
    return integration, payout, provider


def test_retrying_a_failed_payment_record_rebooks_its_payout(partial, django_capture_on_commit_callbacks):
    integration, payout, provider = partial
    link = RecordLinkFactory(
        integration=integration,
        entity_type=EntityType.PAYMENT,
        source_id="txn_c2050",
        source_reference=UNMATCHED,
        state=RecordLink.State.FAILED,
        details={"payout_id": payout.pk},
    )
    calls_before = provider.transaction_calls

    with django_capture_on_commit_callbacks(execute=True):
        (run,) = record_links_retry(record_link_ids=[link.pk])

    run.refresh_from_db()
    assert (run.flow, run.status) == (Flow.PAYOUTS, SyncRun.Status.SUCCEEDED)
    assert run.records_created == 1
    payout.refresh_from_db()
    assert payout.booking_state == Payout.BookingState.BOOKED, payout.last_error_message
    assert provider.transaction_calls == calls_before  # no provider fetch on a retry


def test_retry_all_failed_rebooks_payouts_that_stopped_half_way(partial, django_capture_on_commit_callbacks):
    integration, payout, provider = partial
    calls_before = provider.transaction_calls
    RecordLinkFactory(
        integration=integration,
        entity_type=EntityType.PAYOUT,
        source_id=payout.provider_payout_id,
        state=RecordLink.State.FAILED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        (run,) = records_retry_failed(integration_id=integration.pk, flow=Flow.PAYOUTS)

    payout.refresh_from_db()
    assert payout.booking_state == Payout.BookingState.BOOKED, payout.last_error_message
    assert provider.transaction_calls == calls_before  # a retry re-books; it does not sweep the provider
