"""Which orders a run looks at: the sweep (cursor with overlap), webhooks, retries and backfills.

The sweep is the truth, webhooks are hints. The cursor's time is taken before the fetch and saved
only after the run succeeded, and it is read back with an overlap, so an order updated while a
sweep ran is never missed. The order exclusion date is a hard cutoff for every path (the orders
service skips anything created before it).

A backfill by date range reads with one Shopify bulk operation when the range holds at least
``SHOPIFY_BULK_BACKFILL_MIN_ORDERS`` orders (default 250; counted with ``ordersCount``, and taken as
"many" when the shop cannot count). The result file is streamed into the flow, which takes it in
pages of 100. Sweeps, webhooks, retries and backfills by order number keep the paged reads.

Shopify's cost budget: a webhook run whose body is a whole order (orders/create, orders/paid)
builds the order from the body plus one small read of what the body lacks, not a full read. A sweep
first lists the orders updated since its cursor (id and last change, about one point per order)
and reads in full only those not already synced unchanged: an order whose link is synced, whose
stored order has the same last change, no refunds, and no sales order awaiting its invoice would
be skipped by the orders service anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone

from integrations.commerce import Order, OrderStamp
from integrations.commerce.platform import ShopBudgetReads, ShopPlatform
from integrations.connectors.shopify.webhook_orders import ORDER_BODY_TOPICS
from integrations.models import Flow, Integration
from syncs.mapping.types import DocumentKind
from syncs.models import EntityType, RecordLink, SourceSystem, SyncCursor, WebhookEvent

DEFAULT_FIRST_SWEEP = dt.timedelta(days=1)
DEFAULT_BULK_BACKFILL_MIN_ORDERS = 250
# Listed orders looked up against their links (and read in full when needed) this many at a time.
STAMPS_CHUNK = 250


def sweep_overlap() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "ORDERS_SWEEP_OVERLAP_MINUTES", 10))


def bulk_backfill_min_orders() -> int:
    return int(getattr(settings, "SHOPIFY_BULK_BACKFILL_MIN_ORDERS", DEFAULT_BULK_BACKFILL_MIN_ORDERS))


def is_sweep(parameters: dict[str, Any]) -> bool:
    """A run with nothing named (no ids, numbers, range or retry) sweeps from the cursor."""
    named = ("order_ids", "order_names", "order_numbers", "record_link_ids", "created_from", "retry")
    return not any(parameters.get(key) for key in named)


def cursor_since(*, integration: Integration, flow: str = Flow.ORDERS, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    cursor = SyncCursor.objects.filter(integration=integration, flow=flow).first()
    if cursor and cursor.last_loaded_at:
        return cursor.last_loaded_at - sweep_overlap()
    return max(filter(None, [integration.order_exclusion_date, now - DEFAULT_FIRST_SWEEP]))


def cursor_save(*, integration: Integration, loaded_at: dt.datetime, flow: str = Flow.ORDERS) -> None:
    SyncCursor.objects.update_or_create(integration=integration, flow=flow, defaults={"last_loaded_at": loaded_at})


# A shop order number: digits, optionally with "#" and the shop's own prefix or suffix (e.g. "EU-1001").
_ORDER_NUMBER = re.compile(r"^#?[A-Za-z0-9_-]{0,20}[0-9][A-Za-z0-9_-]{0,20}$")


def order_numbers_validate(numbers: Iterable[str]) -> list[str]:
    """The numbers, stripped; ValueError naming every entry that cannot be a shop order number."""
    numbers = [str(n).strip() for n in numbers]
    bad = [n for n in numbers if not _ORDER_NUMBER.match(n)]
    if bad:
        shown = ", ".join(repr(n) for n in bad[:5])
        raise ValueError(f"Not an order number: {shown}. Give shop order numbers such as 1001 or #1001.")
    return numbers


def order_name(value: str) -> str:
    value = str(value).strip()
    return value if value.startswith("#") or not value.isdigit() else f"#{value}"


def _parse(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _names_from_links(*, integration: Integration, parameters: dict[str, Any]) -> list[str]:
    links = RecordLink.objects.filter(integration=integration, entity_type=EntityType.ORDER)
    if parameters.get("record_link_ids"):
        links = links.filter(pk__in=parameters["record_link_ids"])
    else:
        links = links.filter(state=RecordLink.State.PENDING)
    return list(links.exclude(source_reference="").values_list("source_reference", flat=True))


def orders_discover(
    *,
    integration: Integration,
    shop_client: ShopPlatform,
    parameters: dict[str, Any],
    on_poll: Callable[[], None] | None = None,
) -> Iterator[Order]:
    """Stream the orders a run must look at (never a whole history in memory).

    ``on_poll`` is called while a bulk operation is polled (minutes, for a large backfill), so the
    run can renew its lease before the first order arrives.
    """
    if parameters.get("retry") or parameters.get("record_link_ids"):
        yield from shop_client.orders_by_names(_names_from_links(integration=integration, parameters=parameters))
        return
    if parameters.get("webhook_event_id") and isinstance(shop_client, ShopBudgetReads):
        body = _order_body(integration=integration, event_id=parameters["webhook_event_id"])
        if body is not None:
            yield shop_client.order_from_webhook(body)
            return
    names = [order_name(n) for n in (parameters.get("order_names") or parameters.get("order_numbers") or []) if n]
    if names:
        yield from shop_client.orders_by_names(names)
        return
    if parameters.get("order_ids"):
        for order_id in parameters["order_ids"]:
            yield shop_client.order_get(order_id)
        return
    created_from = _parse(parameters.get("created_from"))
    if created_from:
        if integration.order_exclusion_date:
            created_from = max(created_from, integration.order_exclusion_date)
        created_to = _parse(parameters.get("created_to"))
        query = f"created_at:<='{created_to.isoformat()}'" if created_to else None
        if _bulk_worth_it(shop_client=shop_client, created_from=created_from, query=query):
            yield from shop_client.bulk_orders(query, created_since=created_from, on_poll=on_poll)
        else:
            yield from shop_client.orders_iter(created_since=created_from, query=query)
        return
    since = _parse(parameters.get("since")) or cursor_since(integration=integration)
    if isinstance(shop_client, ShopBudgetReads):
        yield from _changed_orders(integration=integration, shop_client=shop_client, since=since)
        return
    yield from shop_client.orders_iter(updated_since=since)


def _order_body(*, integration: Integration, event_id: int) -> dict | None:
    """The stored body of a Shopify webhook whose body is a whole order; None for any other."""
    event = WebhookEvent.objects.filter(
        pk=event_id, integration=integration, source_system=SourceSystem.SHOPIFY, topic__in=ORDER_BODY_TOPICS
    ).first()
    return event.payload if event is not None and isinstance(event.payload, dict) else None


def _changed_orders(*, integration: Integration, shop_client: ShopBudgetReads, since: dt.datetime) -> Iterator[Order]:
    """The orders updated since ``since`` that the orders service could act on, read in full."""
    chunk: list[OrderStamp] = []
    for stamp in shop_client.order_stamps_iter(updated_since=since):
        chunk.append(stamp)
        if len(chunk) >= STAMPS_CHUNK:
            yield from shop_client.orders_by_ids(_needing_read(integration=integration, stamps=chunk))
            chunk = []
    if chunk:
        yield from shop_client.orders_by_ids(_needing_read(integration=integration, stamps=chunk))


def _needing_read(*, integration: Integration, stamps: list[OrderStamp]) -> list[str]:
    """The ids of the stamps whose order is not synced unchanged (see the module's docstring)."""
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ORDER,
        source_system=SourceSystem.SHOPIFY,
        state=RecordLink.State.SYNCED,
        source_id__in=[stamp.id for stamp in stamps],
    ).exclude(target_id="")
    synced = {
        source_id: (updated, refunds, kind, invoice)
        for source_id, updated, refunds, kind, invoice in rows.values_list(
            "source_id", "raw_source__updatedAt", "raw_source__refunds", "details__document_kind", "details__invoice_id"
        )
    }
    needed = []
    for stamp in stamps:
        known = synced.get(stamp.id)
        if known is not None:
            updated, refunds, kind, invoice = known
            awaiting_invoice = kind == DocumentKind.ORDER and not invoice
            if (
                isinstance(updated, str)
                and stamp.updated_at is not None
                and _parse(updated) == stamp.updated_at
                and not refunds
                and not awaiting_invoice
            ):
                continue
        needed.append(stamp.id)
    return needed


def _bulk_worth_it(*, shop_client: ShopPlatform, created_from: dt.datetime, query: str | None) -> bool:
    """A bulk operation for a range of at least the threshold; paged reads below it (they start at
    once, while a bulk operation takes a few polls however small). An unknown count means bulk."""
    threshold = bulk_backfill_min_orders()
    if threshold <= 0:
        return True
    count = shop_client.orders_count(query, created_since=created_from, limit=threshold)
    return count is None or count >= threshold


def backfill_parameters(
    *, created_from: dt.datetime | None = None, created_to: dt.datetime | None = None, numbers: Iterable[str] = ()
) -> dict[str, Any]:
    """Run parameters for a backfill by date range or by order numbers (ValueError for bad input)."""
    if numbers:
        return {"order_numbers": [order_name(n) for n in order_numbers_validate(numbers)]}
    if created_from is None:
        raise ValueError("A backfill needs a start date or order numbers.")
    if created_to is not None and created_to <= created_from:
        raise ValueError("The end of the date range must come after its start.")
    return {
        "created_from": created_from.isoformat(),
        "created_to": created_to.isoformat() if created_to else None,
    }
