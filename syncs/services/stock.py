"""BC stock -> shop inventory levels, pushing only what changed.

Two ways to read BC, chosen by the location mappings: an item's total (API v2.0 ``items``,
``inventory``) to one shop location, or stock per BC location (the open entries of page 38 "Item
Ledger Entries", published as an ODataV4 web service, their remaining quantities summed per item
and location) to the shop location each BC location is mapped to; several BC locations may feed one
shop location. The last quantity we pushed for each (item, shop location) sits on a RecordLink
(entity type ``stock``), so a run reads BC's quantities (a few pages with ``$select``), compares,
and pushes only the item x location pairs that changed. Each push is a compare-and-swap: it carries
the last pushed quantity as ``changeFromQuantity`` (null for a level never set, so a resent first push stays identical);
when the shop's stock moved meanwhile (a sale), the connector re-reads the levels and resends,
a bounded number of times, then the batch's items fail with SHOP-006 and are pushed again on the
next run. Pushes go in batches with a content-derived idempotency key; a
batch the shop rejects is split until the one bad item is isolated, so one failing item never
blocks the others. A failed link stays ``failed`` and is pushed again on the next run (it is not
``synced``), which is the retry.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from integrations.commerce import InventoryChange, ShopRefused, ShopStockConflict
from integrations.commerce.platform import ShopCatalogue
from integrations.connectors.businesscentral import PageNotPublished, entities
from integrations.models import Flow, Integration, LocationMapping
from syncs.clients import BCClient
from syncs.errors import ProductError
from syncs.mapping.products import shop_quantity, stock_batch_key, stock_link_source_id
from syncs.models import EntityType, RecordLink, SourceSystem, SyncLogEntry, SyncRun
from syncs.services.runs import sync_log

logger = logging.getLogger(__name__)

# inventorySetQuantities accepts up to 250 quantities per call.
STOCK_BATCH_SIZE = 250
# BC online's largest page (odata.maxpagesize): 50,000 items are three requests.
BC_PAGE_SIZE = 20_000
CODE_NO_LOCATION = "MAP-402"
CODE_ITEM_REJECTED = "SHOP-402"
CODE_STOCK_CONFLICT = "SHOP-006"
CODE_PAGE_NOT_PUBLISHED = "BC-601"
ITEM_LEDGER_ENTRIES_PAGE_ID = "38"
ZERO = Decimal(0)


@dataclass
class StockChange:
    item_id: str
    item_number: str
    inventory_item_id: str
    location_id: str
    quantity: int
    link: RecordLink | None = None

    @property
    def source_id(self) -> str:
        return stock_link_source_id(item_id=self.item_id, location_id=self.location_id)

    @property
    def wire(self) -> tuple[str, str, int]:
        return (self.inventory_item_id, self.location_id, self.quantity)

    @property
    def expected_in_shop(self) -> int | None:
        """The quantity we last pushed here, i.e. what the shop should hold; None when we never set it
        (or do not know whether our last push landed): the push then sets it without comparing."""
        link = self.link
        if link is None or link.state not in (RecordLink.State.SYNCED, RecordLink.State.FAILED):
            return None
        details = link.details or {}
        if details.get("location_id") != self.location_id or link.target_id != self.inventory_item_id:
            return None
        quantity = details.get("quantity")
        return quantity if isinstance(quantity, int) else None

    def inventory_change(self) -> InventoryChange:
        return InventoryChange(*self.wire, change_from_quantity=self.expected_in_shop)


@dataclass
class StockPushResult:
    seen: int = 0
    pushed: int = 0
    unchanged: int = 0
    not_linked: int = 0
    failed: int = 0
    batches: int = 0
    failed_item_ids: list[str] = field(default_factory=list)


def bc_item_quantities(*, bc_client: BCClient) -> Iterator[tuple[str, Any]]:
    """(item id, inventory) of every BC item: only two fields, so 20,000 items a page."""
    for item in bc_client.iter_records(entities.ITEMS, select=("id", "inventory"), page_size=BC_PAGE_SIZE):
        yield str(item.id), item.inventory


def _rejected_indexes(exc: ShopRefused, *, size: int) -> set[int]:
    """Batch positions named by userErrors' field path (["input", "quantities", "3", ...])."""
    found = set()
    for error in exc.user_errors:
        path = [str(part) for part in error.get("field") or ()]
        if "quantities" in path:
            position = path.index("quantities") + 1
            if position < len(path) and path[position].isdigit() and int(path[position]) < size:
                found.add(int(path[position]))
    return found


def _rejection_message(exc: ShopRefused, *, index: int) -> str:
    for error in exc.user_errors:
        path = [str(part) for part in error.get("field") or ()]
        if "quantities" in path and str(index) in path:
            return error.get("message") or str(exc)
    return str(exc)


@dataclass(frozen=True)
class StockLocations:
    """Where stock goes: ``total_location_id`` receives each item's total (API v2.0 ``inventory``),
    or ``by_code`` maps BC location codes to shop locations (several codes may feed one shop location)."""

    total_location_id: str = ""
    by_code: dict[str, str] = field(default_factory=dict)

    @property
    def shop_location_ids(self) -> list[str]:
        return sorted(set(self.by_code.values())) if self.by_code else [self.total_location_id]


def stock_locations_get(*, integration: Integration) -> StockLocations:
    """The integration's location mappings: per BC location when any mapping names a BC location
    (read from page 38, Item Ledger Entries), else the total inventory to one shop location."""
    mappings = list(LocationMapping.objects.filter(integration=integration).order_by("bc_location_code", "pk"))
    if not mappings:
        raise ProductError(CODE_NO_LOCATION)
    by_code = {m.bc_location_code: m.shop_location_id for m in mappings if m.bc_location_code}
    if by_code:
        return StockLocations(by_code=by_code)
    return StockLocations(total_location_id=mappings[0].shop_location_id)


def bc_location_quantities(*, bc_client: BCClient, location_codes: Iterable[str]) -> dict[tuple[str, str], Decimal]:
    """(item number, BC location code) -> stock there: open item ledger entries' remaining
    quantities summed (page 38, three fields, BC_PAGE_SIZE entries a request)."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    try:
        for entry in bc_client.open_item_ledger_entries(location_codes=location_codes, page_size=BC_PAGE_SIZE):
            totals[(entry.item_number, entry.location_code)] += Decimal(entry.remaining_quantity)
    except PageNotPublished as exc:
        raise ProductError(CODE_PAGE_NOT_PUBLISHED, page_id=ITEM_LEDGER_ENTRIES_PAGE_ID, service_name=exc.page) from exc
    return totals


def _per_location_quantities(
    *, integration: Integration, bc_client: BCClient, locations: StockLocations
) -> Iterator[tuple[str, str, Any]]:
    """(item id, shop location, quantity) of every linked item at every mapped shop location: 0 where
    BC has no open entry, so stock that ran out is written too."""
    totals = bc_location_quantities(bc_client=bc_client, location_codes=locations.by_code)
    codes_by_shop: dict[str, list[str]] = defaultdict(list)
    for code, shop_location in locations.by_code.items():
        codes_by_shop[shop_location].append(code)
    for item_id, (_inventory_item_id, number) in _linked_inventory_items(integration=integration).items():
        for shop_location, codes in codes_by_shop.items():
            yield item_id, shop_location, sum((totals.get((number, code), ZERO) for code in codes), ZERO)


def _linked_inventory_items(*, integration: Integration) -> dict[str, tuple[str, str]]:
    """BC item id -> (shop inventory item id, item number), from the products flow's links."""
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        state=RecordLink.State.SYNCED,
    ).values_list("source_id", "source_reference", "details")
    linked: dict[str, tuple[str, str]] = {}
    for source_id, reference, details in rows.iterator(chunk_size=2000):
        inventory_item_id = (details or {}).get("inventory_item_id")
        if inventory_item_id:
            linked[source_id] = (inventory_item_id, reference)
    return linked


def stock_changes(
    *, integration: Integration, quantities: Iterable[tuple[str, str, Any]], full: bool = False
) -> tuple[list[StockChange], StockPushResult]:
    """Compare BC quantities (item id, shop location, quantity) with the last pushed ones; return
    what must be pushed: only the item x location pairs whose quantity changed."""
    result = StockPushResult()
    linked = _linked_inventory_items(integration=integration)
    # Plain rows, not model instances: a run compares every item x location (150,000 for 50,000
    # items at three locations); only the changed ones become RecordLink objects.
    links = {
        row[1]: row
        for row in RecordLink.objects.filter(
            integration=integration, entity_type=EntityType.STOCK, source_system=SourceSystem.BUSINESS_CENTRAL
        )
        .values_list(*_LINK_FIELDS)
        .iterator(chunk_size=5000)
    }
    changes: list[StockChange] = []
    for item_id, location_id, bc_quantity in quantities:
        result.seen += 1
        target = linked.get(item_id)
        if target is None:
            result.not_linked += 1  # no shop product yet: the products flow creates it first
            continue
        inventory_item_id, number = target
        change = StockChange(item_id, number, inventory_item_id, location_id, shop_quantity(bc_quantity))
        row = links.get(change.source_id)
        if row is not None:
            last = (row[3] or {}).get("quantity")
            if not full and row[2] == RecordLink.State.SYNCED and last == change.quantity:
                result.unchanged += 1
                continue
            change.link = _link_from_row(integration=integration, row=row)
        changes.append(change)
    return changes, result


_LINK_FIELDS = ("id", "source_id", "state", "details", "attempts", "target_id")


def _link_from_row(*, integration: Integration, row: tuple) -> RecordLink:
    link_id, source_id, state, details, attempts, target_id = row
    return RecordLink(
        id=link_id,
        integration=integration,
        entity_type=EntityType.STOCK,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=source_id,
        state=state,
        details=details or {},
        attempts=attempts,
        target_id=target_id,
    )


def _record_pushed(*, integration: Integration, changes: list[StockChange]) -> None:
    now = timezone.now()
    new, existing, confirmed = [], [], []
    for change in changes:
        details = {"quantity": change.quantity, "location_id": change.location_id}
        link = change.link
        if (
            link is not None
            and link.state == RecordLink.State.SYNCED
            and link.details == details
            and link.target_id == change.inventory_item_id
        ):
            confirmed.append(link.pk)  # a full re-push of an unchanged quantity: only the time moves
            continue
        if change.link is None:
            new.append(
                RecordLink(
                    integration=integration,
                    entity_type=EntityType.STOCK,
                    source_system=SourceSystem.BUSINESS_CENTRAL,
                    source_id=change.source_id,
                    source_reference=change.item_number,
                    target_id=change.inventory_item_id,
                    state=RecordLink.State.SYNCED,
                    details=details,
                    attempts=1,
                    synced_at=now,
                )
            )
            continue
        link = change.link
        link.details, link.state, link.synced_at, link.updated_at = details, RecordLink.State.SYNCED, now, now
        link.target_id = change.inventory_item_id
        link.last_error_code, link.last_error_message = "", ""
        link.attempts = 0
        existing.append(link)
    RecordLink.objects.bulk_create(new, batch_size=1000)
    fields = ["details", "state", "synced_at", "updated_at", "target_id", "last_error_code", "last_error_message"]
    RecordLink.objects.bulk_update(existing, [*fields, "attempts"], batch_size=1000)
    for start in range(0, len(confirmed), 1000):
        RecordLink.objects.filter(pk__in=confirmed[start : start + 1000]).update(synced_at=now, updated_at=now)


def _record_failed(
    *, integration: Integration, run: SyncRun | None, change: StockChange, code: str, message: str
) -> None:
    link, _ = RecordLink.objects.get_or_create(
        integration=integration,
        entity_type=EntityType.STOCK,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=change.source_id,
        defaults={"source_reference": change.item_number, "target_id": change.inventory_item_id},
    )
    # "quantity" keeps the last pushed value; the wanted one is kept beside it for support.
    link.details = {**(link.details or {}), "wanted_quantity": change.quantity, "location_id": change.location_id}
    link.state = RecordLink.State.FAILED
    link.last_error_code, link.last_error_message = code, message[:2000]
    link.attempts += 1
    link.save(update_fields=["details", "state", "last_error_code", "last_error_message", "attempts", "updated_at"])
    sync_log(
        run=run,
        integration_id=integration.pk,
        flow=Flow.STOCK,
        level=SyncLogEntry.Level.ERROR,
        message=f"Stock of item {change.item_number} was not updated: {message}",
        error_code=code,
        record_link=link,
        details={"quantity": change.quantity, "location_id": change.location_id},
    )


def _push(
    *,
    integration: Integration,
    run: SyncRun | None,
    shop_client: ShopCatalogue,
    batch: list[StockChange],
    result: StockPushResult,
) -> None:
    """Push one batch; on a rejection isolate the bad items and push the rest."""
    key = stock_batch_key(change.wire for change in batch)
    result.batches += 1
    try:
        shop_client.inventory_set_quantities([change.inventory_change() for change in batch], idempotency_key=key)
    except ShopStockConflict as exc:
        for change in batch:
            error = ProductError(CODE_STOCK_CONFLICT, item=change.item_number, attempts=exc.attempts)
            _record_failed(integration=integration, run=run, change=change, code=error.code, message=error.message)
            result.failed += 1
            result.failed_item_ids.append(change.item_id)
        return
    except ShopRefused as exc:
        bad = _rejected_indexes(exc, size=len(batch))
        if len(batch) == 1 or bad:
            rejected = [batch[i] for i in sorted(bad)] if bad else batch
            for change in rejected:
                vendor = _rejection_message(exc, index=batch.index(change))
                error = ProductError(CODE_ITEM_REJECTED, item=change.item_number, vendor_message=vendor)
                _record_failed(integration=integration, run=run, change=change, code=error.code, message=error.message)
                result.failed += 1
                result.failed_item_ids.append(change.item_id)
            rest = [change for change in batch if change not in rejected]
            if rest:
                _push(integration=integration, run=run, shop_client=shop_client, batch=rest, result=result)
            return
        middle = len(batch) // 2
        for half in (batch[:middle], batch[middle:]):
            _push(integration=integration, run=run, shop_client=shop_client, batch=half, result=result)
        return
    _record_pushed(integration=integration, changes=batch)
    result.pushed += len(batch)


def stock_push(
    *,
    integration: Integration,
    bc_client: BCClient,
    shop_client: ShopCatalogue,
    run: SyncRun | None = None,
    full: bool = False,
    batch_size: int = STOCK_BATCH_SIZE,
) -> StockPushResult:
    """Push changed BC quantities to the shop (``full`` re-pushes every linked item)."""
    locations = stock_locations_get(integration=integration)
    if locations.by_code:
        quantities = _per_location_quantities(integration=integration, bc_client=bc_client, locations=locations)
    else:
        quantities = (
            (item_id, locations.total_location_id, quantity)
            for item_id, quantity in bc_item_quantities(bc_client=bc_client)
        )
    changes, result = stock_changes(integration=integration, quantities=quantities, full=full)
    for start in range(0, len(changes), batch_size):
        batch = changes[start : start + batch_size]
        _push(integration=integration, run=run, shop_client=shop_client, batch=batch, result=result)
        if run is not None and getattr(run, "lease", None) is not None:
            run.lease.renew()
    logger.info(
        "stock integration=%s seen=%s pushed=%s unchanged=%s failed=%s batches=%s",
        integration.pk,
        result.seen,
        result.pushed,
        result.unchanged,
        result.failed,
        result.batches,
    )
    return result
