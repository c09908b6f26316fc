"""Back to the shop: BC's posted shipments become shop fulfilments, and the shop order learns its BC
document number (a metafield and a tag), so support finds an order from either side.

Shipments (sales-order mode): each run looks up the posted shipments of the integration's open sales
orders by their external document number (one filtered read per 40 orders, lines expanded). Every
shipment has its own RecordLink (Business Central -> shop): a linked shipment is never sent again.
Its item lines are matched to the order's fulfillment-order lines through the order's SKUs (resolved
to BC items as the orders flow does), only up to what is still open in the shop; the fulfilment is
one ``fulfillmentCreate`` with an idempotency key made from the shipment's id. API v2.0 does not
expose the shipment's package tracking number: it is read from page 130 (Posted Sales Shipment)
when the merchant published it, otherwise fulfilments carry none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from integrations.commerce import FulfillmentLineInput, FulfillmentOrder, ShopError, ShopRefused, Tracking
from integrations.commerce.platform import ShopFulfilment
from integrations.connectors.businesscentral import BCError, PageNotPublished, entities
from integrations.connectors.businesscentral.records import SalesShipment
from integrations.models import Flow, Integration, ShopConnection
from syncs.clients import BCClient
from syncs.errors import ProductError, classify_exception
from syncs.mapping import codes
from syncs.mapping.lines import order_item_keys
from syncs.mapping.types import DocumentKind
from syncs.models import EntityType, RecordLink, SourceSystem, SyncLogEntry, SyncRun
from syncs.services.orders.context import OrdersContext, orders_context
from syncs.services.orders.items import items_resolve
from syncs.services.runs import sync_log, sync_log_error

METAFIELD_NAMESPACE = "junipeer"
METAFIELD_KEY = "bc_document_number"
TAG_PREFIX = "BC:"
WRITE_BACK_CHUNK = 25  # orders per metafieldsSet request
OPEN_ORDERS_DAYS = 90  # sales orders older than this are no longer looked at for shipments
ITEM = "Item"


@dataclass
class BackResult:
    written_back: int = 0
    fulfilled: int = 0
    skipped: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)


# --- the BC number on the shop order -----------------------------------------------------------------


def _shopify(integration: Integration) -> bool:
    """Fulfilments, metafields and tags are Shopify's: a WooCommerce store is left alone."""
    shop = getattr(integration, "shop_connection", None)
    return shop is not None and shop.platform == ShopConnection.Platform.SHOPIFY


def order_tag(number: str) -> str:
    return f"{TAG_PREFIX}{number}"


def shop_write_back(
    *, integration: Integration, shop_client: ShopFulfilment, since: dt.datetime, run: SyncRun | None = None
) -> BackResult:
    """Write each order's BC number to the shop order: orders synced since ``since`` and those whose
    write failed before. A number already written is not written again; a new number (the posted
    invoice of a sales order) is, so both numbers find the order."""
    result = BackResult()
    if not (integration.write_back_metafield or integration.write_back_tag) or not _shopify(integration):
        return result
    todo = write_back_todo(integration=integration, since=since)
    for start in range(0, len(todo), WRITE_BACK_CHUNK):
        chunk = todo[start : start + WRITE_BACK_CHUNK]
        failed: dict[int, ShopError] = {}
        if integration.write_back_metafield:
            try:  # one request for the chunk; a refusal is retried order by order to find the one
                shop_client.order_metafields_set(
                    {link.source_id: link.target_number for link in chunk},
                    namespace=METAFIELD_NAMESPACE,
                    key=METAFIELD_KEY,
                )
            except ShopError:
                for link in chunk:
                    try:
                        shop_client.order_metafields_set(
                            {link.source_id: link.target_number}, namespace=METAFIELD_NAMESPACE, key=METAFIELD_KEY
                        )
                    except ShopError as exc:
                        failed[link.pk] = exc
        for link in chunk:
            if integration.write_back_tag and link.pk not in failed:
                try:
                    shop_client.tags_add(link.source_id, [order_tag(link.target_number)])
                except ShopError as exc:
                    failed[link.pk] = exc
            if link.pk in failed:
                write_back_failed(integration=integration, link=link, exc=failed[link.pk], run=run)
                result.failed += 1
                continue
            write_back_done(link=link)
            result.written_back += 1
    return result


def write_back_todo(*, integration: Integration, since: dt.datetime) -> list[RecordLink]:
    """Order links whose BC number the shop order does not show yet: synced since ``since``, or
    whose write failed before (any platform)."""
    links = RecordLink.objects.filter(
        integration=integration, entity_type=EntityType.ORDER, state=RecordLink.State.SYNCED
    ).filter(Q(synced_at__gte=since) | Q(details__has_key="write_back_pending"))
    return [link for link in links.exclude(target_number="") if link.details.get("written_back") != link.target_number]


def write_back_done(*, link: RecordLink) -> None:
    details = {**link.details, "written_back": link.target_number}
    details.pop("write_back_pending", None)
    link.details = details
    RecordLink.objects.filter(pk=link.pk).update(details=details)


def write_back_failed(*, integration: Integration, link: RecordLink, exc: Exception, run: SyncRun | None) -> None:
    link.details = {**link.details, "write_back_pending": True}
    RecordLink.objects.filter(pk=link.pk).update(details=link.details)
    cause = classify_exception(exc)
    error = classify_exception(
        ProductError(codes.WRITE_BACK_FAILED, number=link.target_number, order=link.source_reference)
    )
    sync_log_error(
        run=run,
        integration_id=integration.pk,
        flow=Flow.ORDERS,
        level=SyncLogEntry.Level.WARNING,
        error=error,
        message=f"{link.source_reference}: {error.message} ({cause.code}: {cause.message})",
        record_link=link,
    )


# --- shipments -> fulfilments ----------------------------------------------------------------------


def open_sales_orders(*, integration: Integration, now: dt.datetime) -> list[RecordLink]:
    return list(
        RecordLink.objects.filter(
            integration=integration,
            entity_type=EntityType.ORDER,
            state=RecordLink.State.SYNCED,
            created_at__gte=now - dt.timedelta(days=OPEN_ORDERS_DAYS),
            details__document_kind=str(DocumentKind.ORDER),
        )
        .exclude(details__has_key="shipments_done")
        .only("id", "source_id", "source_reference", "raw_source", "details", "target_number")
    )


def shipped_back_orders(
    *, integration: Integration, order_names: set[str] | None, now: dt.datetime
) -> list[RecordLink]:
    """The open BC sales orders whose posted shipments go back to the shop: none unless the
    integration sends shipments back (sales orders, then shipments and invoices in BC).
    ``order_names`` limits the look to those orders (a webhook's run); None looks at every open one."""
    if (
        not integration.fulfil_from_bc_shipments
        or integration.document_type != Integration.DocumentType.ORDER_SHIP_INVOICE
    ):
        return []
    orders = open_sales_orders(integration=integration, now=now)
    if order_names is not None:
        orders = [link for link in orders if link.source_reference in order_names]
    return orders


def shipment_links(*, integration: Integration, shipments: list[SalesShipment]) -> dict[str, RecordLink]:
    existing = {
        link.source_id: link
        for link in RecordLink.objects.filter(
            integration=integration,
            entity_type=EntityType.SHIPMENT,
            source_system=SourceSystem.BUSINESS_CENTRAL,
            source_id__in=[s.id for s in shipments],
        )
    }
    new = [
        RecordLink(
            integration=integration,
            entity_type=EntityType.SHIPMENT,
            source_system=SourceSystem.BUSINESS_CENTRAL,
            source_id=shipment.id,
            source_reference=shipment.number[:100],
        )
        for shipment in shipments
        if shipment.id not in existing
    ]
    if new:
        RecordLink.objects.bulk_create(new, ignore_conflicts=True)
        return shipment_links(integration=integration, shipments=shipments)
    return existing


FULFILLABLE = ("OPEN", "IN_PROGRESS")  # fulfillment-order statuses fulfillmentCreate accepts


@dataclass
class Allocation:
    lines: list[FulfillmentLineInput]
    unmatched: list[str]  # "<item> x <qty>" BC shipped that the shop order has no line for
    held: list[str]  # "<item> x <qty>" open in the shop, but on hold (or otherwise not fulfillable)

    @property
    def already_fulfilled(self) -> bool:
        """The items are in the order, but nothing of them is open any more."""
        return not self.lines and not self.unmatched and not self.held


def shipment_allocate(
    *, shipment: SalesShipment, fulfillment_orders: list[FulfillmentOrder], line_items: dict[str, str]
) -> Allocation:
    """Spread the shipment's item quantities over the open fulfillment-order lines of the same BC item.

    ``line_items`` maps the shop order's line item ids to BC item numbers."""
    open_lines, held_items = [], set()
    for fo in fulfillment_orders:
        for line in fo.lines:
            if line.remaining_quantity <= 0:
                continue
            if fo.status in FULFILLABLE:
                open_lines.append((fo, line))
            elif fo.status not in ("CLOSED", "CANCELLED"):
                held_items.add(line_items.get(line.line_item_id))
    remaining = {line.id: line.remaining_quantity for _fo, line in open_lines}
    chosen: dict[tuple[str, str], int] = {}
    unmatched, held, known_items = [], [], set(line_items.values())
    for row in sorted(shipment.sales_shipment_lines, key=lambda r: r.sequence):
        if row.line_type != ITEM or row.quantity <= 0:
            continue
        left = int(row.quantity)
        for fo, line in open_lines:
            if left == 0:
                break
            if line_items.get(line.line_item_id) != row.line_object_number or remaining[line.id] == 0:
                continue
            take = min(left, remaining[line.id])
            remaining[line.id] -= take
            chosen[(fo.id, line.id)] = chosen.get((fo.id, line.id), 0) + take
            left -= take
        if left and row.line_object_number in held_items:
            held.append(f"{row.line_object_number} x {left}")
        elif left and row.line_object_number not in known_items:
            unmatched.append(f"{row.line_object_number} x {left}")
    lines = [FulfillmentLineInput(fo_id, line_id, quantity) for (fo_id, line_id), quantity in chosen.items()]
    return Allocation(lines=lines, unmatched=unmatched, held=held)


def _line_item_numbers(*, ctx: OrdersContext, shop_client: ShopFulfilment, order_json: dict) -> dict[str, str]:
    """Shop line item id -> BC item number, through the order's SKUs (or barcodes) as the orders flow reads them."""
    order = shop_client.order_from_raw(order_json)
    keys = order_item_keys(order, sku_rule=ctx.settings.sku_rule)
    found = items_resolve(ctx=ctx, keys=keys)
    numbers = {}
    for line in order.line_items:
        for key in (line.sku, line.barcode):
            if key in found:
                numbers[line.id] = found[key].number
                break
    return numbers


def shipments_fulfil(
    *,
    integration: Integration,
    bc_client: BCClient,
    shop_client: ShopFulfilment,
    run: SyncRun | None = None,
    order_names: set[str] | None = None,
    now: dt.datetime | None = None,
) -> BackResult:
    """Fulfil the shop orders whose BC sales orders have new posted shipments (exactly once each).

    ``order_names`` limits the look to those orders (a webhook's run); None looks at every open one."""
    result = BackResult()
    if not _shopify(integration):
        return result
    now = now or timezone.now()
    orders = shipped_back_orders(integration=integration, order_names=order_names, now=now)
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
    done = (RecordLink.State.SYNCED, RecordLink.State.SKIPPED)
    tracking = shipments_tracking(
        bc_client=bc_client, numbers=[s.number for s in every if links[s.id].state not in done], result=result
    )
    for number, order_link in by_number.items():
        shipments = sorted(found.get(number) or [], key=lambda s: s.number)
        for shipment in [s for s in shipments if links[s.id].state not in done]:
            _shipment_fulfil(
                ctx=ctx,
                shop_client=shop_client,
                shipment=shipment,
                link=links[shipment.id],
                order_link=order_link,
                result=result,
                tracking=tracking.get(shipment.number),
            )
        if order_link.details.get("invoice_id") and not any(
            links[s.id].state == RecordLink.State.FAILED for s in shipments
        ):
            # Invoiced means shipped in full: every shipment of the order is linked, nothing more comes.
            order_link.details = {**order_link.details, "shipments_done": True}
            RecordLink.objects.filter(pk=order_link.pk).update(details=order_link.details)
    return result


def shipments_read(
    *, integration: Integration, bc_client: BCClient, numbers: list[str], run: SyncRun | None
) -> dict[str, list[SalesShipment]] | None:
    """The posted shipments (lines expanded) of these external document numbers; None when BC
    could not be read (logged with its code)."""
    try:
        return bc_client.find_by_external_document_numbers(
            entities.SALES_SHIPMENTS, numbers, expand=["salesShipmentLines"]
        )
    except BCError as exc:
        error = classify_exception(exc)
        sync_log_error(
            run=run,
            integration_id=integration.pk,
            flow=Flow.ORDERS,
            error=error,
            message=f"Posted shipments could not be read from Business Central: {error.message}",
        )
        return None


def shipments_tracking(*, bc_client: BCClient, numbers: list[str], result: BackResult) -> dict[str, Tracking]:
    """Package tracking numbers of the shipments (page 130 Posted Sales Shipment, published as
    PostedSalesShipment: API v2.0 has no tracking). Not published: fulfilments go without tracking."""
    if not numbers:
        return {}
    try:
        rows = bc_client.posted_shipment_rows(numbers)
    except PageNotPublished:
        result.notes.append("Page 130 (PostedSalesShipment) is not published: fulfilments carry no tracking number.")
        return {}
    except BCError as exc:
        result.notes.append(f"Tracking numbers could not be read: {exc}")
        return {}
    return {
        row.number: Tracking(number=row.package_tracking_no, company=row.shipping_agent_code)
        for row in rows
        if row.package_tracking_no
    }


def _shipment_fulfil(
    *,
    ctx: OrdersContext,
    shop_client: ShopFulfilment,
    shipment: SalesShipment,
    link: RecordLink,
    order_link: RecordLink,
    result: BackResult,
    tracking: Tracking | None = None,
) -> None:
    integration = ctx.integration
    link.attempts += 1
    link.raw_source = {
        "number": shipment.number,
        "orderNumber": shipment.order_number,
        "lines": [
            {"item": row.line_object_number, "quantity": str(row.quantity)} for row in shipment.sales_shipment_lines
        ],
    }
    link.details = {**link.details, "order": order_link.source_reference, "order_id": order_link.source_id}
    if tracking is not None:
        link.details["tracking"] = {"number": tracking.number, "company": tracking.company}
    try:
        line_items = _line_item_numbers(ctx=ctx, shop_client=shop_client, order_json=order_link.raw_source or {})
        fulfillment_orders = shop_client.fulfillment_orders(order_link.source_id)
        allocation = shipment_allocate(shipment=shipment, fulfillment_orders=fulfillment_orders, line_items=line_items)
        if allocation.lines:
            fulfillment_id = shop_client.fulfillment_create(
                allocation.lines, idempotency_key=f"bc-shipment-{shipment.id}", tracking=tracking
            )
    except ShopRefused as exc:
        _shipment_failed(ctx=ctx, link=link, shipment=shipment, order_link=order_link, reason=str(exc), result=result)
        return
    except (ShopError, BCError) as exc:
        error = classify_exception(exc)
        _shipment_state(link, RecordLink.State.FAILED, code=error.code, message=error.message)
        sync_log_error(
            run=ctx.run,
            integration_id=integration.pk,
            flow=Flow.ORDERS,
            error=error,
            message=f"Shipment {shipment.number} ({order_link.source_reference}): {error.message}",
            record_link=link,
        )
        result.failed += 1
        return
    if (allocation.unmatched or allocation.held) and not allocation.lines:
        reasons = []
        if allocation.held:
            reasons.append(f"its fulfilment is on hold in the shop for {', '.join(allocation.held)}")
        if allocation.unmatched:
            reasons.append(f"the order has no open line for {', '.join(allocation.unmatched)}")
        reason = "; ".join(reasons)
        _shipment_failed(ctx=ctx, link=link, shipment=shipment, order_link=order_link, reason=reason, result=result)
        return
    if allocation.already_fulfilled:
        _shipment_state(link, RecordLink.State.SKIPPED, code="", message="Already fulfilled in the shop.")
        link.details = {**link.details, "skip_reason": "already fulfilled in the shop"}
        link.save()
        result.skipped += 1
        return
    link.target_id = fulfillment_id
    link.target_number = order_link.source_reference[:40]
    link.details = {
        **link.details,
        "fulfilled": [{"line": line.fulfillment_order_line_id, "quantity": line.quantity} for line in allocation.lines],
    }
    _shipment_state(link, RecordLink.State.SYNCED)
    link.synced_at = timezone.now()
    link.save()
    result.fulfilled += 1
    quantity = sum(line.quantity for line in allocation.lines)
    message = f"Shipment {shipment.number} fulfilled {quantity} item(s) of {order_link.source_reference} in the shop."
    if allocation.unmatched or allocation.held:
        message += f" Not fulfilled in the shop: {', '.join(allocation.unmatched + allocation.held)}."
    sync_log(
        run=ctx.run,
        integration_id=integration.pk,
        flow=Flow.ORDERS,
        level=SyncLogEntry.Level.WARNING if allocation.unmatched or allocation.held else SyncLogEntry.Level.INFO,
        message=message,
        record_link=link,
    )


def _shipment_state(link: RecordLink, state: str, *, code: str = "", message: str = "") -> None:
    link.state = state
    link.last_error_code = code
    link.last_error_message = message
    link.save()


def _shipment_failed(*, ctx, link, shipment, order_link, reason: str, result: BackResult) -> None:
    error = classify_exception(
        ProductError(
            codes.SHIPMENT_NOT_FULFILLED,
            shipment=shipment.number,
            order=order_link.source_reference,
            reason_text=reason,
        )
    )
    _shipment_state(link, RecordLink.State.FAILED, code=error.code, message=error.message)
    sync_log_error(
        run=ctx.run,
        integration_id=ctx.integration.pk,
        flow=Flow.ORDERS,
        error=error,
        message=f"{order_link.source_reference}: {error.message}",
        record_link=link,
    )
    result.failed += 1
