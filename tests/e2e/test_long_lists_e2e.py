"""Long nested lists, end to end: a refund with more lines than one order read asks for becomes a
credit memo with every line, and a bulk backfill keeps its lease while the operation runs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from integrations.connectors.shopify import queries
from integrations.models import Flow
from simulators.shopify.orders import RefundSpec, refund_create
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.locks import FlowLeaseHandle
from tests.e2e.test_orders_e2e import company, invoices_for, lines_of, new_order, order_link

NINE_SKUS = ["1896-S", "1900-S", "1906-S", "1908-S", "1920-S", "1928-S", "1936-S", "1960-S", "1964-S"]


def test_full_refund_of_a_nine_line_order_is_a_nine_line_credit_memo(shop, sim_bc):
    assert len(NINE_SKUS) > queries.REFUND_LINE_ITEMS_FIRST
    order = new_order(shop.sim, 2101, [(sku, 1) for sku in NINE_SKUS], shipping=None)
    shop.deliver("#2101")
    assert order_link("#2101").state == RecordLink.State.SYNCED, order_link("#2101").last_error_message
    (invoice,) = invoices_for(sim_bc, "#2101")
    assert len(lines_of(sim_bc, invoice)) == 9
    with shop.sim.store.lock:
        refund = refund_create(
            shop.sim.store,
            order,
            RefundSpec(lines=[(index, 1, "RETURN") for index in range(9)], note="All of it back"),
            created_at=shop.sim.clock.now(),
        )
    assert order["displayFinancialStatus"] == "REFUNDED"

    response = shop.post("refunds/create", shop.sim.webhooks.refund_payload(refund))

    assert response.status_code == 200
    refund_link = RecordLink.objects.get(entity_type=EntityType.REFUND)
    assert refund_link.state == RecordLink.State.SYNCED, refund_link.last_error_message
    memo_number = f"#2101-R{refund['id'].rsplit('/', 1)[-1]}"
    (memo,) = [m for m in company(sim_bc).rows("salesCreditMemos") if m["externalDocumentNumber"] == memo_number]
    memo_lines = lines_of(sim_bc, memo, "salesCreditMemoLines")
    assert [line["lineObjectNumber"] for line in memo_lines] == NINE_SKUS
    assert all(line["quantity"] == 1 for line in memo_lines)
    total = Decimal(order["totalPriceSet"]["shopMoney"]["amount"])
    assert Decimal(str(memo["totalAmountIncludingTax"])) == total
    invoice = company(sim_bc).get("salesInvoices", invoice["id"])
    assert Decimal(str(invoice["remainingAmount"])) == 0


def test_a_bulk_backfill_renews_its_lease_while_the_operation_is_polled(
    shop, sim_bc, bc_integration, monkeypatch, settings
):
    settings.SHOPIFY_BULK_BACKFILL_MIN_ORDERS = 10  # the month's 30 orders are counted: a bulk read
    shop.sim.bulk_polls = 3
    statuses = []
    renew = FlowLeaseHandle.renew

    def renew_and_record(self):
        statuses.append([op["status"] for op in shop.sim.store.bulk_operations.values()])
        renew(self)

    monkeypatch.setattr(FlowLeaseHandle, "renew", renew_and_record)

    with pytest.raises(CommandError, match="partially failed"):  # countries this integration does not map
        call_command("backfill_orders", str(bc_integration.pk), "--from", "2025-03-01", "--to", "2025-03-31")

    run = SyncRun.objects.filter(integration=bc_integration, flow=Flow.ORDERS).latest("pk")
    # Partial: the seed has orders from countries this integration does not map.
    assert run.status in (SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL), run.error_message
    assert [op["status"] for op in shop.sim.store.bulk_operations.values()] == ["COMPLETED"]
    # Renewed on each poll of the running operation, before any order arrived; then per page.
    assert statuses[:3] == [["RUNNING"]] * 3
    assert statuses[3:] and all(status == ["COMPLETED"] for status in statuses[3:])
