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

from integrations.connectors.businesscentral import BCError, entities, odata
from integrations.connectors.businesscentral.payloads import NewCustomerPayment
from integrations.models import Integration, PaymentMethodMapping
from syncs.errors import ProductError, classify_exception
from syncs.models import EntityType, RecordLink
from syncs.payouts.posting import EXTERNAL_MAX, tag_of
from syncs.services.shop_source import shop_source_system

MARK_PAID = "mark_paid"  # RecordLink.details["kind"] of a payment written by "mark as paid"


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
    """Pay the posted invoice of ``order_name`` when its gateway is "mark as paid"; None when it is not.

    A failure marks the payment link failed with its code (what a retry needs is kept in its
    details) and is raised again; the payouts flow's retry of the link calls this once more.
    """
    if _mapping(integration, gateway) is None or not amount:
        return None
    link, _ = RecordLink.objects.get_or_create(
        integration=integration,
        entity_type=EntityType.PAYMENT,
        source_system=shop_source_system(integration=integration),
        source_id=order_name,
        defaults={"source_reference": order_name},
    )
    if link.state == RecordLink.State.SYNCED:
        return link
    link.details = {
        **(link.details or {}),
        "kind": MARK_PAID,
        "gateway": gateway,
        "invoice_id": invoice_id,
        "amount": str(amount),
        "posting_date": posting_date.isoformat() if posting_date else "",
    }
    try:
        line = _payment_write(
            integration=integration,
            bc_client=bc_client,
            order_name=order_name,
            gateway=gateway,
            invoice_id=invoice_id,
            amount=amount,
            posting_date=posting_date,
        )
    except (BCError, ProductError) as exc:
        error = classify_exception(exc)
        link.state = RecordLink.State.FAILED
        link.last_error_code = error.code
        link.last_error_message = error.message
        link.save()
        raise
    link.target_id = line.id
    link.target_number = line.applies_to_invoice_number
    link.state = RecordLink.State.SYNCED
    link.synced_at = timezone.now()
    link.last_error_code = link.last_error_message = ""
    link.save()
    return link


def payment_link_retry(*, link: RecordLink, bc_client) -> RecordLink | None:
    """Write a failed "mark as paid" payment again from what its link remembers.

    A link that holds a written payment line (picked for a retry although it had succeeded) is
    only set back to synced: the line may be posted already, gone from the journal.
    """
    details = link.details or {}
    if link.target_id:
        link.state = RecordLink.State.SYNCED
        link.last_error_code = link.last_error_message = ""
        link.save(update_fields=["state", "last_error_code", "last_error_message", "updated_at"])
        return link
    posting_date = details.get("posting_date")
    return order_payment_mark_paid(
        integration=link.integration,
        bc_client=bc_client,
        order_name=link.source_id,
        gateway=details.get("gateway", ""),
        invoice_id=details.get("invoice_id", ""),
        amount=Decimal(details.get("amount") or "0"),
        posting_date=dt.date.fromisoformat(posting_date) if posting_date else None,
    )


def _payment_write(
    *,
    integration: Integration,
    bc_client,
    order_name: str,
    gateway: str,
    invoice_id: str,
    amount: Decimal,
    posting_date: dt.date | None,
):
    if len(order_name) > EXTERNAL_MAX:  # the payment is found again by it: never cut
        raise ProductError("MAP-018", field="externalDocumentNumber", value=order_name, length=EXTERNAL_MAX)
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
            entities.CUSTOMER_PAYMENTS, filter=odata.eq("externalDocumentNumber", order_name), parent=parent
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
                external_document_number=order_name,
                amount=-amount,  # money received: a Payment to a Customer is negative in BC
                applies_to_invoice_id=invoice_id,
                description=f"{gateway} {order_name}"[:80] + f" [{tag}]",
            ),
        )
    if integration.post_payment_journal:
        bc_client.post_journal(journal.id)
    return line
