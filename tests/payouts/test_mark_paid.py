"""'Mark as paid automatically' for payment methods without a payout connector."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities, odata
from syncs.errors import ProductError
from syncs.models import EntityType, RecordLink
from syncs.payouts.mark_paid import order_payment_mark_paid
from tests.factories import PaymentMethodMappingFactory
from tests.payouts.conftest import invoices_create

pytestmark = pytest.mark.django_db


def _pay(integration, client, invoice, gateway="manual_invoice"):
    return order_payment_mark_paid(
        integration=integration,
        bc_client=client,
        order_name="#4001",
        gateway=gateway,
        invoice_id=invoice.id,
        amount=Decimal("80.00"),
    )


def test_a_mark_as_paid_gateway_pays_the_invoice_once(integration, bc_client):
    PaymentMethodMappingFactory(integration=integration, shop_gateway="manual_invoice", mark_as_paid=True)
    integration.post_payment_journal = True
    integration.save()
    invoice = invoices_create(bc_client, {"#4001": Decimal("80.00")}, tax_code="ZERO")["#4001"]

    first = _pay(integration, bc_client, invoice)
    second = _pay(integration, bc_client, invoice)

    assert first.pk == second.pk and first.state == RecordLink.State.SYNCED
    assert first.entity_type == EntityType.PAYMENT and first.target_number == invoice.number
    paid = bc_client.list_records(entities.SALES_INVOICES, filter=odata.eq("externalDocumentNumber", "#4001"))[0]
    assert paid.status == "Paid"


def test_other_gateways_are_left_to_the_payout_flow(integration, bc_client):
    PaymentMethodMappingFactory(integration=integration, shop_gateway="stripe", mark_as_paid=False)
    invoice = invoices_create(bc_client, {"#4001": Decimal("80.00")}, tax_code="ZERO")["#4001"]

    assert _pay(integration, bc_client, invoice, gateway="stripe") is None
    assert not RecordLink.objects.filter(entity_type=EntityType.PAYMENT).exists()


def test_an_order_name_longer_than_bc_holds_is_refused_not_cut(integration, bc_client):
    PaymentMethodMappingFactory(integration=integration, shop_gateway="manual_invoice", mark_as_paid=True)
    invoice = invoices_create(bc_client, {"#4001": Decimal("80.00")}, tax_code="ZERO")["#4001"]
    name = "#" + "4" * 40

    with pytest.raises(ProductError):
        order_payment_mark_paid(integration=integration, bc_client=bc_client, order_name=name,
                                gateway="manual_invoice", invoice_id=invoice.id, amount=Decimal("80.00"))  # fmt: skip

    link = RecordLink.objects.get(entity_type=EntityType.PAYMENT)
    assert (link.state, link.last_error_code) == (RecordLink.State.FAILED, "MAP-018")
