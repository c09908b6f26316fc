"""Back to a store without fulfilments or metafields (the ``ShopOrderCompletion`` role: WooCommerce):
the order learns its BC number, and BC's posted shipments complete it.

The BC number: recorded on the order by the store (WooCommerce: the order's ``meta_data`` under
``junipeer_bc_document_number``, the Shopify metafield's namespace and key), when the integration
writes the number back as a metafield. The store replaces the entry with that key, so a resend
changes nothing and a later number (the posted invoice of a sales order) replaces the earlier one.
Which orders, the "written once" mark and the failure handling are the Shopify side's
(services/fulfilments.py): a refused write leaves the order pending, logged with its code, and the
next run writes it again.

Shipments: WooCommerce has no fulfilments. When Business Central has shipped every item line of an order's
sales order (the posted shipments' item quantities cover the order's, or the order is invoiced),
the WooCommerce order is set ``completed`` once and gets one private order note
(``customer_note`` false) naming the BC sales order and shipment number(s) and, when page 130 is
published, their tracking numbers. Each step is recorded on the order's RecordLink (details
``woo_completed``, ``woo_note_id``) as soon as WooCommerce answers, so a re-run or a retried task
neither changes the status again nor adds a second note. A note whose answer was lost
(``woo_note_pending``) is looked for among the order's private notes before it is written again.
Each shipment has its RecordLink (Business Central -> shop) as on the Shopify side: pending while
the order is not shipped in full, SYNCED with the order it completed, FAILED with the store's code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from integrations.commerce import Order, ShopError, Tracking, id_tail
from integrations.commerce.platform import ShopOrderCompletion
from integrations.connectors.businesscentral import BCError
from integrations.connectors.businesscentral.records import SalesShipment
from integrations.models import Flow, Integration
from syncs.clients import BCClient
from syncs.errors import classify_exception
from syncs.mapping.lines import line_item_key
from syncs.models import RecordLink, SyncLogEntry, SyncRun
from syncs.services.fulfilments import (
    ITEM,
    BackResult,
    shipment_links,
    shipments_read,
    shipments_tracking,
    shipped_back_orders,
    write_back_done,
    write_back_failed,
    write_back_todo,
)
from syncs.services.orders.context import orders_context
from syncs.services.orders.items import items_resolve
from syncs.services.runs import sync_log, sync_log_error

NOTE_HEADING = "Shipped from Business Central"


def order_numbers_record(
    *, integration: Integration, shop: ShopOrderCompletion, since: dt.datetime, run: SyncRun | None = None
) -> BackResult:
    """Record each order's BC number on the store's order (once per number)."""
    result = BackResult()
    if not integration.write_back_metafield:
        return result
    for link in write_back_todo(integration=integration, since=since):
        try:
            shop.order_number_record(link.source_id, link.target_number)
        except ShopError as exc:
            write_back_failed(integration=integration, link=link, exc=exc, run=run)
            result.failed += 1
            continue
        write_back_done(link=link)
        result.written_back += 1
    return result


def shipments_complete(
    *,
    integration: Integration,
    bc_client: BCClient,
    shop: ShopOrderCompletion,
    run: SyncRun | None = None,
    order_names: set[str] | None = None,
    now: dt.datetime | None = None,
) -> BackResult:
    """Complete the store's orders BC has shipped in full, each exactly once, with one note.

    ``order_names`` limits the look to those orders (a webhook's run); None looks at every open one."""
    result = BackResult()
    orders = shipped_back_orders(integration=integration, order_names=order_names, now=now or timezone.now())
    if not orders:
        return result
    by_number = {f"{integration.document_number_prefix}{link.source_reference}": link for link in orders}
    found = shipments_read(integration=integration, bc_client=bc_client, numbers=list(by_number), run=run)
    if found is None:
        result.failed += 1
        return result
    ctx = orders_context(integration=integration, client=bc_client, run=run)
    every = [shipment for shipments in found.values() for shipment in shipments]
    links = shipment_links(integration=integration, shipments=every) if every else {}
    for number, order_link in by_number.items():
        shipments = sorted(found.get(number) or [], key=lambda s: s.number)
        if not shipments:
            continue
        try:
            shipped = bool(order_link.details.get("invoice_id")) or shipped_in_full(
                ctx=ctx, order=shop.order_from_raw(order_link.raw_source or {}), shipments=shipments
            )
        except BCError as exc:
            _failed(ctx=ctx, order_link=order_link, links=[links[s.id] for s in shipments], exc=exc, result=result)
            continue
        if not shipped:
            continue  # a part shipped: the order is completed when the rest is
        tracking = shipments_tracking(bc_client=bc_client, numbers=[s.number for s in shipments], result=result)
        order_complete(
            ctx=ctx,
            shop=shop,
            order_link=order_link,
            shipments=shipments,
            links=[links[s.id] for s in shipments],
            tracking=tracking,
            result=result,
        )
    return result


def shipped_in_full(*, ctx, order: Order, shipments: list[SalesShipment]) -> bool:
    """Whether the shipments' item quantities cover every item line of the order (its SKUs resolved
    to BC items as the orders flow does). An item BC does not know: not decided, False."""
    keys = {line.id: line_item_key(line, sku_rule=ctx.settings.sku_rule) for line in order.line_items}
    found = items_resolve(ctx=ctx, keys={key for key in keys.values() if key})
    wanted: defaultdict[str, Decimal] = defaultdict(Decimal)
    for line in order.line_items:
        key = keys[line.id]
        if not key or line.is_gift_card:
            continue  # a fee line or a gift card: nothing to ship
        if key not in found:
            return False
        wanted[found[key].number] += Decimal(line.quantity)
    shipped: defaultdict[str, Decimal] = defaultdict(Decimal)
    for shipment in shipments:
        for row in shipment.sales_shipment_lines:
            if row.line_type == ITEM:
                shipped[row.line_object_number] += Decimal(str(row.quantity))
    return bool(wanted) and all(shipped[item] >= quantity for item, quantity in wanted.items())


def note_text(*, order_link: RecordLink, shipments: list[SalesShipment], tracking: dict[str, Tracking]) -> str:
    """The private note: the heading and shipment numbers first (how a resent note is recognised)."""
    numbers = ", ".join(s.number for s in shipments)
    lines = [f"{NOTE_HEADING}: shipment {numbers} of sales order {order_link.target_number}."]
    for shipment in shipments:
        found = tracking.get(shipment.number)
        if found is not None:
            carrier = f"{found.company} " if found.company else ""
            lines.append(f"Tracking ({shipment.number}): {carrier}{found.number}")
    return "\n".join(lines)


def _details_save(link: RecordLink, **changes) -> None:
    details = {**link.details, **changes}
    for name, value in changes.items():
        if value is None:
            details.pop(name, None)
    link.details = details
    RecordLink.objects.filter(pk=link.pk).update(details=details)


def order_complete(
    *,
    ctx,
    shop: ShopOrderCompletion,
    order_link: RecordLink,
    shipments: list[SalesShipment],
    links: list[RecordLink],
    tracking: dict[str, Tracking],
    result: BackResult,
) -> None:
    """Set the order completed and add its note, each once (recorded on the order's link)."""
    order_id = order_link.source_id
    text = note_text(order_link=order_link, shipments=shipments, tracking=tracking)
    heading = text.split("\n", 1)[0]
    try:
        if not order_link.details.get("woo_completed"):
            already = shop.order_completed_in_raw(order_link.raw_source or {})
            if not already:
                shop.order_complete(order_id)
            _details_save(order_link, woo_completed="already" if already else timezone.now().isoformat())
        if not order_link.details.get("woo_note_id"):
            note = None
            if order_link.details.get("woo_note_pending"):  # the last answer was lost: is the note there?
                notes = shop.order_notes_private(order_id)
                note = next((n for n in notes if n.text.split("\n", 1)[0] == heading), None)
            if note is None:
                _details_save(order_link, woo_note_pending=True)
                note = shop.order_note_add_private(order_id, text)
            _details_save(order_link, woo_note_id=note.id, woo_note_pending=None)
    except ShopError as exc:
        _failed(ctx=ctx, order_link=order_link, links=links, exc=exc, result=result)
        return
    for link in links:
        link.attempts += 1
        link.state = RecordLink.State.SYNCED
        link.last_error_code = link.last_error_message = ""
        link.target_id = id_tail(str(order_id))
        link.target_number = order_link.source_reference[:40]
        link.synced_at = timezone.now()
        link.details = {
            **link.details,
            "order": order_link.source_reference,
            "order_id": order_link.source_id,
            "note_id": order_link.details["woo_note_id"],
        }
        if shipment_tracking := tracking.get(link.source_reference):
            link.details["tracking"] = {"number": shipment_tracking.number, "company": shipment_tracking.company}
        link.save()
    _details_save(order_link, shipments_done=True)
    result.fulfilled += 1
    status = "was already completed" if order_link.details["woo_completed"] == "already" else "is completed"
    sync_log(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=Flow.ORDERS,
        level=SyncLogEntry.Level.INFO,
        message=f"{order_link.source_reference} {status} in the store: {heading}",
        record_link=order_link,
    )


def _failed(*, ctx, order_link: RecordLink, links: list[RecordLink], exc: Exception, result: BackResult) -> None:
    error = classify_exception(exc)
    for link in links:
        link.attempts += 1
        link.state = RecordLink.State.FAILED
        link.last_error_code = error.code
        link.last_error_message = error.message
        link.details = {**link.details, "order": order_link.source_reference, "order_id": order_link.source_id}
        link.save()
    sync_log_error(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=Flow.ORDERS,
        error=error,
        message=f"{order_link.source_reference}: the store was not told about BC's shipments: {error.message}",
        record_link=links[0] if links else order_link,
    )
    result.failed += 1
