"""Orders paid through a "mark as paid automatically" gateway: a customer payment on the posted invoice."""

from __future__ import annotations

from decimal import Decimal

from integrations.commerce import Order
from integrations.connectors.businesscentral import BCError
from integrations.models import Flow
from syncs.errors import ProductError, classify_exception
from syncs.mapping.currency import money_pick, total_tolerance
from syncs.mapping.types import DocumentKind
from syncs.models import RecordLink
from syncs.payouts.mark_paid import order_payment_mark_paid
from syncs.services.documents import DocumentJob
from syncs.services.orders.context import OrdersContext
from syncs.services.runs import sync_log_error

ZERO = Decimal("0")

PAID_KINDS = {"SALE", "CAPTURE"}
OPEN = "Open"


def _mark_paid_payment(*, ctx: OrdersContext, order: Order) -> tuple[str, Decimal]:
    """The order's "mark as paid" gateway and the amount it took (in the document's currency)."""
    gateway, amount = "", ZERO
    for transaction in order.transactions:
        if (
            transaction.gateway in ctx.settings.mark_paid_gateways
            and transaction.kind.upper() in PAID_KINDS
            and transaction.status.upper() == "SUCCESS"
            and not transaction.test
        ):
            gateway = gateway or transaction.gateway
            amount += money_pick(transaction.amount, ctx.settings.currency_mode)
    return gateway, amount


def orders_mark_paid(
    *, ctx: OrdersContext, jobs: list[DocumentJob], orders: dict[str, Order], links: dict[str, RecordLink]
) -> None:
    """Pay the posted (open) invoice of each order paid through a "mark as paid" gateway.

    One customer payment per order, applied to the invoice, never twice (the payment's own
    RecordLink). The whole invoice is paid when the gateway took the order total within rounding
    (BC's total may differ from the shop's by a cent per line). A failure is logged with its code
    on the order's record and leaves the payment link failed for a retry; other orders go on.
    """
    if not ctx.settings.mark_paid_gateways:
        return
    for job in jobs:
        invoice = job.invoice or (job.document if job.draft.kind == DocumentKind.INVOICE else None)
        if job.error is not None or invoice is None or invoice.status != OPEN:
            continue  # not posted (draft, failed) or paid already
        order = orders[job.key]
        gateway, amount = _mark_paid_payment(ctx=ctx, order=order)
        if not gateway or amount <= 0:
            continue
        total = invoice.total_amount_including_tax
        tolerance = total_tolerance(
            currency=job.draft.currency_code or ctx.settings.base_currency, line_count=len(job.draft.lines)
        )
        if abs(amount - total) <= tolerance:
            amount = getattr(invoice, "remaining_amount", None) or total
        link = links[order.id]
        try:
            order_payment_mark_paid(
                integration=ctx.integration,
                bc_client=ctx.client,
                order_name=job.draft.external_document_number,
                gateway=gateway,
                invoice_id=invoice.id,
                amount=amount,
                posting_date=job.draft.document_date,
            )
        except (BCError, ProductError) as exc:
            error = classify_exception(exc)
            link.details = {**link.details, "payment_error_code": error.code}
            RecordLink.objects.filter(pk=link.pk).update(details=link.details)
            sync_log_error(
                run=ctx.run,
                integration_id=ctx.integration.pk,
                flow=Flow.ORDERS,
                error=error,
                message=f"{order.name}: the invoice was posted, but marking it paid failed: {error.message}",
                record_link=link,
            )
