""" "Mark as paid automatically": close an invoice with a payment at sync time, for payment methods
without a payout connector (PaymentMethodMapping.mark_as_paid).

The orders flow calls ``order_payment_mark_paid`` after the invoice is posted. The payment goes to
the integration's customer payment journal (balancing against the batch's balancing account),
applied to the invoice, with externalDocumentNumber = the order name. A RecordLink (entity
"payment") remembers it once written, and the journal is looked up first, so it is never paid twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from integrations.connectors.businesscentral import entities, odata
from integrations.connectors.businesscentral.payloads import NewCustomerPayment
from integrations.models import Integration, PaymentMethodMapping
from syncs.errors import ProductError
from syncs.models import EntityType, RecordLink, SourceSystem
from syncs.payouts.posting import tag_of


def _mapping(integration: Integration, gateway: str) -> PaymentMethodMapping | None:
    return PaymentMethodMapping.objects.filter(integration=integration, shop_gateway=gateway, mark_as_paid=True).first()


def order_payment_mark_paid(
    *,
    integration: Integration,
    bc_client,
    order_name: str,
    gateway: str,
    invoice_id: str,
    amount: Decimal,
    posting_date: dt.date | None = None,
) -> RecordLink | None:
    """Pay the posted invoice of ``order_name`` when its gateway is "mark as paid"; None when it is not."""
    if _mapping(integration, gateway) is None or not amount:
        return None
    link, _ = RecordLink.objects.get_or_create(
        integration=integration,
        entity_type=EntityType.PAYMENT,
        source_system=SourceSystem.SHOPIFY,
        source_id=order_name,
        defaults={"source_reference": order_name},
    )
    if link.state == RecordLink.State.SYNCED:
        return link
    code = integration.payment_journal_batch
    journal = next(
        iter(bc_client.iter_records(entities.CUSTOMER_PAYMENT_JOURNALS, filter=odata.eq("code", code or "-"))), None
    )
    if journal is None:
        raise ProductError("BC-501", template=integration.payment_journal_template or "-", batch=code or "-")
    parent = (entities.CUSTOMER_PAYMENT_JOURNALS, journal.id)
    tag = f"paid:{order_name}"
    existing = [
        line
        for line in bc_client.iter_records(
            entities.CUSTOMER_PAYMENTS, filter=odata.eq("externalDocumentNumber", order_name[:35]), parent=parent
        )
        if tag_of(line.description) == tag
    ]
    if existing:
        line = existing[0]
    else:
        line = bc_client.create_customer_payment(
            journal_id=journal.id,
            payment=NewCustomerPayment(
                posting_date=posting_date,
                external_document_number=order_name[:35],
                amount=amount,
                applies_to_invoice_id=invoice_id,
                description=f"{gateway} {order_name}"[:80] + f" [{tag}]",
            ),
        )
    if integration.post_payment_journal:
        bc_client.post_journal(journal.id)
    link.target_id = line.id
    link.target_number = line.applies_to_invoice_number
    link.state = RecordLink.State.SYNCED
    link.synced_at = timezone.now()
    link.save()
    return link
