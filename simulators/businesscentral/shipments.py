"""Posted sales shipments and document dimensions.

A warehouse posts a shipment of a sales order in BC's client (``post_shipment``, what the tests call
for the person at the warehouse): a ``salesShipments`` header with its ``salesShipmentLines``, the
order lines' shipped quantity raised and the stock moved. ``shipAndInvoice`` ships what is left the
same way. A document's dimensions are ``dimensionSetLines`` under it: the dimension and its value
must exist (and the value must not be blocked) [assumption: BC checks a blocked value on insert];
a posted document's dimensions cannot change.
"""

from __future__ import annotations

from .entities import DOCUMENT_LINES
from .errors import BCError, dialog
from .inventory import item_entry_post, line_variant_code
from .store import CompanyStore

PARENT_TYPES = {"salesInvoices": "Sales Invoice", "salesOrders": "Sales Order", "salesCreditMemos": "Sales Credit Memo"}
HEADER_FIELDS = [
    "externalDocumentNumber",
    "customerId",
    "customerNumber",
    "customerName",
    "billToName",
    "billToCustomerId",
    "billToCustomerNumber",
    "shipToName",
    "shipToContact",
    "sellToAddressLine1",
    "sellToAddressLine2",
    "sellToCity",
    "sellToCountry",
    "sellToState",
    "sellToPostCode",
    "billToAddressLine1",
    "billToAddressLine2",
    "billToCity",
    "billToCountry",
    "billToState",
    "billToPostCode",
    "shipToAddressLine1",
    "shipToAddressLine2",
    "shipToCity",
    "shipToCountry",
    "shipToState",
    "shipToPostCode",
    "currencyCode",
    "salesperson",
    "pricesIncludeTax",
    "phoneNumber",
    "email",
]


def _parent(store: CompanyStore, parent_id: str) -> tuple[str, dict]:
    for entity_set in PARENT_TYPES:
        record = store.get(entity_set, parent_id)
        if record is not None:
            return entity_set, record
    raise BCError(
        "Internal_RecordNotFound",
        f"The parent record does not exist. Identification fields and values: Id='{parent_id}'",
    )


def dimension_set_line_create(store: CompanyStore, entity_set: str, values: dict, parent: dict) -> dict:  # noqa: ARG001
    parent_set, document = _parent(store, parent["parentId"])
    if parent_set != "salesOrders" and document.get("status") != "Draft":
        raise dialog("You cannot change the dimensions of a posted document.")
    dimension = None
    if values.get("id"):
        dimension = store.get("dimensions", values["id"])
    elif values.get("code"):
        dimension = store.find("dimensions", code=str(values["code"]).upper())
    if dimension is None:
        raise dialog(f"The dimension {values.get('code') or values.get('id')} does not exist.")
    value = None
    if values.get("valueId"):
        value = store.get("dimensionValues", values["valueId"])
    elif values.get("valueCode"):
        value = store.find("dimensionValues", dimensionId=dimension["id"], code=str(values["valueCode"]).upper())
    if value is None or value["dimensionId"] != dimension["id"]:
        raise dialog(
            f"The dimension value {values.get('valueCode') or values.get('valueId')} does not exist "
            f"for {dimension['code']}."
        )
    if value.get("_blocked"):
        raise dialog(f"Dimension Value {dimension['code']} - {value['code']} is blocked.")
    if store.find("dimensionSetLines", parentId=document["id"], code=dimension["code"]):
        raise BCError(
            "Internal_EntityWithSameKeyExists",
            "The dimension set line already exists. Identification fields and values: "
            f"Dimension Code='{dimension['code']}'",
        )
    return store.insert(
        "dimensionSetLines",
        {
            "code": dimension["code"],
            "displayName": dimension["displayName"],
            "consolidationCode": dimension.get("consolidationCode") or "",
            "parentId": document["id"],
            "parentType": PARENT_TYPES[parent_set],
            "valueId": value["id"],
            "valueCode": value["code"],
            "valueDisplayName": value["displayName"],
            "valueConsolidationCode": value.get("consolidationCode") or "",
        },
    )


def dimensions_copy(store: CompanyStore, *, from_id: str, to_id: str, parent_type: str) -> None:
    """A posted invoice keeps its order's dimensions."""
    for line in store.filter("dimensionSetLines", parentId=from_id):
        copied = {key: value for key, value in line.items() if key not in {"id", "_seq", "_etag"}}
        store.insert("dimensionSetLines", {**copied, "parentId": to_id, "parentType": parent_type})


def _shipment_number(store: CompanyStore) -> str:
    store.shipment_counter = getattr(store, "shipment_counter", 0) + 1
    return f"{10800000 + store.shipment_counter}"


def post_shipment(
    store: CompanyStore,
    order: dict,
    quantities: dict[str, float] | None = None,
    *,
    tracking_no: str = "",
    shipping_agent: str = "",
) -> dict | None:
    """Post a shipment of ``order``: ``quantities`` maps order line ids to the quantity shipped now
    (None: everything still to ship). Returns the shipment header, or None when nothing was left.
    The package tracking number and shipping agent are on the header table (page 130), not in API v2.0."""
    lines = [
        line
        for line in store.filter(DOCUMENT_LINES["salesOrders"], documentId=order["id"])
        if line["lineType"] == "Item"
    ]
    plan = []
    for line in sorted(lines, key=lambda row: row["sequence"]):
        left = float(line["quantity"]) - float(line.get("shippedQuantity") or 0)
        wanted = left if quantities is None else float(quantities.get(line["id"], 0))
        if wanted > left + 1e-9:
            raise dialog(f"You cannot ship more than {left:g} units of {line['lineObjectNumber']}.")
        if wanted > 0:
            plan.append((line, wanted))
    if not plan:
        return None
    today = store.clock.today().isoformat()
    header = {name: order.get(name) for name in HEADER_FIELDS}
    method = store.get("shipmentMethods", order.get("shipmentMethodId"))
    header.update(
        number=_shipment_number(store),
        orderNumber=order["number"],
        invoiceDate=order.get("orderDate"),
        postingDate=today,
        dueDate=order.get("orderDate"),
        shipmentMethodCode=method["code"] if method else "",
        _packageTrackingNo=tracking_no,
        _shippingAgentCode=shipping_agent,
    )
    shipment = store.insert("salesShipments", header)
    for line, quantity in plan:
        store.insert(
            "salesShipmentLines",
            {
                "documentId": shipment["id"],
                "documentNo": shipment["number"],
                "sequence": line["sequence"],
                "lineType": line["lineType"],
                "lineObjectNumber": line["lineObjectNumber"],
                "description": line.get("description") or "",
                "unitOfMeasureCode": line.get("unitOfMeasureCode") or "",
                "unitPrice": line.get("unitPrice"),
                "quantity": quantity,
                "discountPercent": line.get("discountPercent") or 0,
                "taxPercent": line.get("taxPercent") or 0,
                "shipmentDate": today,
            },
        )
        line["shippedQuantity"] = float(line.get("shippedQuantity") or 0) + quantity
        item = store.get("items", line.get("itemId"))
        if item and item["type"] == "Inventory":
            location = store.get("locations", line.get("locationId")) if line.get("locationId") else None
            item_entry_post(
                store,
                item=item,
                location_code=location["code"] if location else "",
                quantity=-quantity,
                entry_type="Sale",
                document_number=shipment["number"],
                variant_code=line_variant_code(store, line),
            )
            store.touch(item)
        store.touch(line)
    return shipment
