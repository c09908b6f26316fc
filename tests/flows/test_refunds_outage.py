"""A BC outage during a refunds run fails only the refunds of the page it hit, not the run."""

from __future__ import annotations

import pytest

from integrations.connectors.businesscentral import entities
from integrations.models import Flow
from syncs.flows import refunds as refunds_flow
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.orders.sync import orders_sync
from syncs.services.runs import sync_run_create, sync_run_execute

from . import builders as b

pytestmark = pytest.mark.django_db


def _order(name: str, refund_id: str, refunds=True):
    refund = b.refund(
        refund_id=refund_id,
        line_items=[b.refund_line(sku="1000", subtotal="149.00", tax_amount="29.80")],
        total="149.00",
    )
    return b.order(
        name=name,
        lines=[b.line(sku="1000", price="149.00", tax_amount="29.80")],
        total="198.00",
        refunds=[refund] if refunds else [],
    )


def test_an_outage_fails_the_pages_refunds_with_a_code_and_the_next_page_goes_on(
    bc_integration, bc_client, sim_bc, fake_shop, monkeypatch, settings
):
    settings.BC_MAX_CONCURRENT_REQUESTS = 1  # a page holds PAGE_SIZE orders per lane: one lane
    first, second = _order("#2001", "501"), _order("#2002", "502")
    orders_sync(integration=bc_integration, orders=[first, second], client=bc_client, with_refunds=False)
    fake_shop.orders = {order.name: order for order in (first, second)}
    monkeypatch.setattr(refunds_flow, "PAGE_SIZE", 1)
    for n in range(1, 7):  # every attempt of the first page's item read gets a 503
        sim_bc.faults.fail_nth(n, status=503)
    run = sync_run_create(
        integration_id=bc_integration.pk,
        flow=Flow.REFUNDS,
        trigger=SyncRun.Trigger.MANUAL,
        parameters={"order_names": ["#2001", "#2002"]},
    )

    sync_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == SyncRun.Status.PARTIAL, run.error_message
    assert (run.records_created, run.records_failed) == (1, 1)
    failed, booked = (RecordLink.objects.get(entity_type=EntityType.REFUND, source_id=f"gid://shopify/Refund/{n}")
                      for n in ("501", "502"))  # fmt: skip
    assert failed.state == RecordLink.State.FAILED and failed.last_error_code.startswith("BC-")
    assert booked.state == RecordLink.State.SYNCED
    memos = bc_client.find_by_external_document_numbers(entities.SALES_CREDIT_MEMOS, ["#2001-R501", "#2002-R502"])
    assert set(memos) == {"#2002-R502"}
