"""sync, retry_failed and backfill_orders: thin commands over the orders flow."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncCursor, SyncRun

from . import builders as b


def order(name, sku="1000", created=b.CREATED):
    line = b.line(sku=sku, price="149.00", tax_amount="29.80")
    return b.order(name=name, lines=[line], total="198.00", created_at=created, updated_at=created)


def out_of(*args) -> str:
    stream = StringIO()
    call_command(*args, stdout=stream)
    return stream.getvalue()


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}


def test_sync_sweeps_from_the_cursor_and_saves_it(bc_integration, fake_shop, monkeypatch):
    fake_shop.orders = {o.name: o for o in [order("#3001"), order("#3002")]}
    monkeypatch.setattr("syncs.services.discovery.DEFAULT_FIRST_SWEEP", dt.timedelta(days=3650))

    stream = StringIO()
    call_command("sync", str(bc_integration.pk), stdout=stream)

    assert "created 2" in stream.getvalue()
    assert SyncCursor.objects.get(integration=bc_integration, flow="orders").last_loaded_at is not None
    # The second sweep starts at the saved cursor minus the overlap.
    cursor = SyncCursor.objects.get(integration=bc_integration).last_loaded_at
    out_of("sync", str(bc_integration.pk))
    assert fake_shop.calls[-1][1] == cursor - dt.timedelta(minutes=10)


def test_order_exclusion_date_is_a_hard_cutoff(bc_integration, fake_shop):
    bc_integration.order_exclusion_date = b.CREATED + dt.timedelta(days=1)
    bc_integration.save()
    fake_shop.orders = {"#3001": order("#3001")}

    output = out_of("backfill_orders", str(bc_integration.pk), "--orders", "3001")

    assert "skipped 1" in output
    assert not RecordLink.objects.filter(entity_type=EntityType.ORDER).exists()


def test_retry_failed_creates_the_document_once_after_the_mapping_is_fixed(bc_integration, fake_shop, sim_bc):
    fake_shop.orders = {"#3003": order("#3003", sku="NEW-1")}
    with pytest.raises(CommandError, match="partially failed") as failed:  # exit 1: cron sees it
        out_of("backfill_orders", str(bc_integration.pk), "--orders", "#3003")
    assert failed.value.returncode == 1
    link = RecordLink.objects.get(entity_type=EntityType.ORDER)
    assert (link.state, link.last_error_code) == (RecordLink.State.FAILED, codes.UNMAPPED_SKU)

    bc_integration.fallback_gl_account = "3001"
    bc_integration.save()
    output = out_of("retry_failed", str(bc_integration.pk), "--flow", "orders")

    link.refresh_from_db()
    assert link.state == RecordLink.State.SYNCED
    assert "created 1" in output
    nothing = StringIO()
    call_command("retry_failed", str(bc_integration.pk), stdout=nothing)
    assert nothing.getvalue() == "Nothing to retry.\n"
    numbers = [d["externalDocumentNumber"] for d in sim_bc.company().rows("salesInvoices")]
    assert numbers.count("#3003") == 1
    assert SyncRun.objects.filter(trigger=SyncRun.Trigger.RETRY).count() == 1


def test_backfill_by_date_range_and_bad_input(bc_integration, fake_shop):
    fake_shop.orders = {"#3004": order("#3004")}
    output = out_of("backfill_orders", str(bc_integration.pk), "--from", "2026-03-01", "--to", "2026-03-31")
    assert "created 1" in output
    # The shop cannot count the range: a date-range backfill reads it with a bulk operation.
    assert fake_shop.calls[-1][0] == "bulk_orders" and fake_shop.calls[-1][1].startswith("created_at:<=")
    with pytest.raises(CommandError):
        call_command("backfill_orders", str(bc_integration.pk))
