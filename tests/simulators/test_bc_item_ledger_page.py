"""Page 38 "Item Ledger Entries" as an ODataV4 web service: entries per location, outbound entries
applied to open inbound ones, $filter/$select/paging as on the other pages."""

from __future__ import annotations

from simulators.businesscentral.inventory import item_entry_post, location_quantity, location_quantity_set
from tests.simulators.conftest import error_of


def _base(bc_server) -> str:
    return f"{bc_server.environment_url()}/ODataV4/Company('CRONUS Sverige AB')/ItemLedgerEntries"


def test_opening_stock_sits_in_two_locations_and_adds_up_to_the_items_inventory(bc, bc_server):
    company = bc.sim.company()
    item = company.find("items", number="1000")
    rows = bc.get(f"{_base(bc_server)}?$filter=Item_No eq '1000' and Open eq true").json()["value"]

    by_location = {row["Location_Code"]: row["Remaining_Quantity"] for row in rows}
    assert by_location == {"MAIN": 90, "STHLM": 30} and sum(by_location.values()) == item["inventory"] == 120


def test_an_outbound_entry_is_applied_to_open_inbound_ones_at_its_location(bc, bc_server):
    company = bc.sim.company()
    item = company.find("items", number="1006")  # 25 seeded: MAIN 19, STHLM 6
    item_entry_post(company, item=item, location_code="STHLM", quantity=-8, entry_type="Sale", document_number="X")

    assert location_quantity(company, item_number="1006", location_code="STHLM") == -2  # negative inventory
    assert location_quantity(company, item_number="1006", location_code="MAIN") == 19
    assert item["inventory"] == 17
    rows = bc.get(f"{_base(bc_server)}?$filter=Item_No eq '1006' and Location_Code eq 'STHLM'").json()["value"]
    assert [(r["Quantity"], r["Remaining_Quantity"], r["Open"]) for r in rows] == [(-8, -2, True), (6, 0, False)]
    location_quantity_set(company, item=item, location_code="STHLM", quantity=3)
    assert location_quantity(company, item_number="1006", location_code="STHLM") == 3


def test_outbound_entries_take_the_oldest_open_inbound_entries_first(bc):
    company = bc.sim.company()
    item = company.find("items", number="1006")  # 25 seeded: MAIN 19, STHLM 6
    for quantity in (4, 5):
        item_entry_post(company, item=item, location_code="STHLM", quantity=quantity, entry_type="Purchase",
                        document_number="IN")  # fmt: skip
    item_entry_post(company, item=item, location_code="STHLM", quantity=-9, entry_type="Sale", document_number="S1")
    item_entry_post(company, item=item, location_code="STHLM", quantity=-7, entry_type="Sale", document_number="S2")

    stockholm = [e for e in company.item_ledger if e["itemNumber"] == "1006" and e["locationCode"] == "STHLM"]
    assert [(e["quantity"], e["remainingQuantity"], e["open"]) for e in stockholm] == [
        (6, 0, False), (4, 0, False), (5, 0, False), (-9, 0, False), (-7, -1, True),
    ]  # fmt: skip
    assert location_quantity(company, item_number="1006", location_code="STHLM") == -1
    assert location_quantity(company, item_number="1006", location_code="MAIN") == 19


def test_a_ledger_changed_directly_is_applied_as_it_now_is(bc):
    """Seeding code clears and fills the ledger itself: outbound entries apply to what is there now."""
    company = bc.sim.company()
    item = company.find("items", number="1006")
    item_entry_post(company, item=item, location_code="MAIN", quantity=-1, entry_type="Sale", document_number="S1")
    company.item_ledger.clear()
    company.item_ledger.append(
        {"entryNo": 1, "itemNumber": "1006", "variantCode": "", "entryType": "Positive Adjmt.",
         "postingDate": "2026-01-01", "documentNumber": "OPENING", "locationCode": "MAIN", "quantity": 3,
         "remainingQuantity": 3, "open": True}
    )  # fmt: skip
    item_entry_post(company, item=item, location_code="MAIN", quantity=-5, entry_type="Sale", document_number="S2")

    assert [(e["remainingQuantity"], e["open"]) for e in company.item_ledger] == [(0, False), (-2, True)]
    assert location_quantity(company, item_number="1006", location_code="MAIN") == -2


def test_select_and_server_driven_paging(bc, bc_server):
    url = f"{_base(bc_server)}?$select=Item_No,Location_Code,Remaining_Quantity&$filter=Open eq true"
    first = bc.get(url, headers={"Prefer": "odata.maxpagesize=5"}).json()
    assert len(first["value"]) == 5
    assert set(first["value"][0]) == {"@odata.etag", "Item_No", "Location_Code", "Remaining_Quantity"}
    seen = list(first["value"])
    link = first.get("@odata.nextLink")
    while link:
        page = bc.get(link, headers={"Prefer": "odata.maxpagesize=5"}).json()
        seen += page["value"]
        link = page.get("@odata.nextLink")
    everything = bc.get(url).json()["value"]
    assert len(seen) == len(everything) > 5

    unknown = bc.get(f"{_base(bc_server)}?$select=Item_No,Colour")
    code, message = error_of(unknown)
    assert code == "BadRequest_NotFound" and "Colour" in message
    bc.sim.company().unpublish_odatav4_pages("ItemLedgerEntries")
    assert bc.get(_base(bc_server)).status_code == 404


def test_entries_keep_their_variant_code_and_apply_only_to_the_same_variant(bc, bc_server):
    company = bc.sim.company()
    item = company.find("items", number="1000")  # variants RED and BLUE; opening stock without a variant
    location_quantity_set(company, item=item, location_code="MAIN", variant_code="RED", quantity=4)
    item_entry_post(
        company,
        item=item,
        location_code="MAIN",
        quantity=-6,
        entry_type="Sale",
        document_number="X",
        variant_code="RED",
    )

    assert location_quantity(company, item_number="1000", location_code="MAIN", variant_code="RED") == -2
    assert (
        location_quantity(company, item_number="1000", location_code="MAIN") == 90
    )  # the unvarianted stock is untouched
    url = f"{_base(bc_server)}?$filter=Item_No eq '1000' and Variant_Code eq 'RED' and Open eq true"
    rows = bc.get(f"{url}&$select=Variant_Code,Remaining_Quantity").json()["value"]
    assert [(r["Variant_Code"], r["Remaining_Quantity"]) for r in rows] == [("RED", -2)]
