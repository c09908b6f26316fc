"""Stock per location: page 38 (Item Ledger Entries) is published and every mapped BC location exists."""

from __future__ import annotations

from integrations.connectors.businesscentral import entities
from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status

ITEM_LEDGER_ENTRIES_PAGE_ID = "38"
CODE_PAGE_NOT_PUBLISHED = "BC-601"
CODE_LOCATION_MISSING = "MAP-403"


def check_stock_locations(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "stock.locations"
    if not facts.stock_enabled:
        return []
    if not facts.stock_location_codes:
        return [CheckResult.ok(name, "Stock goes to the shop as each item's total inventory.")]
    problems = []
    page = entities.ITEM_LEDGER_ENTRIES_PAGE
    if page in snap.unpublished_pages:
        objects = [{"page": ITEM_LEDGER_ENTRIES_PAGE_ID, "service_name": page}]
        problems.append(
            CheckResult.problem(
                name,
                Status.FAIL,
                CODE_PAGE_NOT_PUBLISHED,
                objects,
                page_id=ITEM_LEDGER_ENTRIES_PAGE_ID,
                service_name=page,
            )
        )
    if snap.location_codes is not None:
        missing = sorted(facts.stock_location_codes - snap.location_codes)
        if missing:
            objects = [{"location": code} for code in missing]
            problems.append(
                CheckResult.problem(name, Status.FAIL, CODE_LOCATION_MISSING, objects, locations=listing(missing))
            )
    return [combine(name, problems, f"Stock per location from: {listing(facts.stock_location_codes)}.")]
