"""Fulfillment orders, fulfilments, order metafields and tags: what an app writes back to an order.

An order gets one fulfillment order (the shop's one location) on first read, a line per shipped line
item, each with its remaining quantity. ``fulfillmentCreate`` takes quantities off those lines, as
Shopify does: more than remains is refused with a user error, nothing partly applied. An order
created fulfilled has nothing left (its fulfillment order is CLOSED).
"""

from __future__ import annotations

from simulators.shopify.mutations import _error, _idempotency_key


def fulfillment_orders(store, order: dict) -> list[dict]:
    """The order's fulfillment orders, created on first use (lines follow its line items)."""
    if "_fulfillmentOrders" not in order:
        done = order.get("displayFulfillmentStatus") == "FULFILLED"
        lines = [
            {
                "__typename": "FulfillmentOrderLineItem",
                "id": store.new_id("FulfillmentOrderLineItem"),
                "lineItem": line,
                "sku": line.get("sku"),
                "totalQuantity": line["quantity"],
                "remainingQuantity": 0 if done else line["quantity"],
            }
            for line in order["lineItems"]
            if line.get("requiresShipping", True) and not line.get("isGiftCard")
        ]
        order["_fulfillmentOrders"] = [
            {
                "__typename": "FulfillmentOrder",
                "id": store.new_id("FulfillmentOrder"),
                "status": "CLOSED" if done or not lines else "OPEN",
                "orderId": order["id"],
                "orderName": order["name"],
                "lineItems": lines,
            }
        ]
        order["_fulfillments"] = []
    return order["_fulfillmentOrders"]


def _status(order: dict) -> str:
    lines = [line for fo in order["_fulfillmentOrders"] for line in fo["lineItems"]]
    remaining = sum(line["remainingQuantity"] for line in lines)
    if remaining == 0:
        return "FULFILLED"
    if remaining < sum(line["totalQuantity"] for line in lines):
        return "PARTIALLY_FULFILLED"
    return "UNFULFILLED"


def install(schema, store, *, connection) -> None:
    """``connection`` slices a list into a GraphQL connection (the schema's own helper)."""
    fields = schema.mutation_type.fields
    order_type = schema.type_map["Order"].fields
    order_type["fulfillmentOrders"].resolve = lambda source, info, **args: connection(
        fulfillment_orders(store, source), info, **args
    )
    order_type["risk"].resolve = lambda source, _i: (
        source.get("risk")
        or {
            "assessments": [],
            "recommendation": "NONE",
        }
    )
    order_type["metafield"].resolve = lambda source, _i, key, namespace=None: (source.get("_metafields") or {}).get(
        (namespace or "", key)
    )

    def _find_fulfillment_order(fo_id: str) -> tuple[dict | None, dict | None]:
        for order in store.orders.values():
            for fo in fulfillment_orders(store, order) if "_fulfillmentOrders" in order else ():
                if fo["id"] == fo_id:
                    return order, fo
        return None, None

    def fulfillment_create(_s, info, fulfillment, message=None):  # noqa: ARG001
        key = _idempotency_key(info)
        if key and key in store.idempotency:
            seen_input, seen_payload = store.idempotency[key]
            if seen_input == fulfillment:
                store.stats["idempotent_replays"] += 1
                return seen_payload
            return {"fulfillment": None, "userErrors": [_error(None, "Idempotency key reused with other input.")]}
        plan, order = [], None
        for group in fulfillment["lineItemsByFulfillmentOrder"]:
            owner, fo = _find_fulfillment_order(group["fulfillmentOrderId"])
            if fo is None or (order is not None and owner is not order):
                return {
                    "fulfillment": None,
                    "userErrors": [_error(["fulfillment"], "Fulfillment order does not exist.")],
                }
            order = owner
            if fo["status"] in ("CLOSED", "CANCELLED"):
                return {
                    "fulfillment": None,
                    "userErrors": [_error(["fulfillment"], "Fulfillment order is not in a fulfillable state.")],
                }
            by_id = {line["id"]: line for line in fo["lineItems"]}
            wanted = group.get("fulfillmentOrderLineItems") or [
                {"id": line["id"], "quantity": line["remainingQuantity"]} for line in fo["lineItems"]
            ]
            for item in wanted:
                line = by_id.get(item["id"])
                if line is None or item["quantity"] <= 0 or item["quantity"] > line["remainingQuantity"]:
                    return {
                        "fulfillment": None,
                        "userErrors": [
                            _error(["fulfillment"], "Invalid fulfillment order line item quantity requested.")
                        ],
                    }
                plan.append((fo, line, item["quantity"]))
        for _fo, line, quantity in plan:
            line["remainingQuantity"] -= quantity
        for fo in {id(fo): fo for fo, _l, _q in plan}.values():
            if all(line["remainingQuantity"] == 0 for line in fo["lineItems"]):
                fo["status"] = "CLOSED"
            else:
                fo["status"] = "IN_PROGRESS"
        tracking = fulfillment.get("trackingInfo") or {}
        created = {
            "__typename": "Fulfillment",
            "id": store.new_id("Fulfillment"),
            "status": "SUCCESS",
            "createdAt": store.now_iso(),
            "totalQuantity": sum(quantity for _fo, _l, quantity in plan),
            "trackingInfo": [
                {"company": tracking.get("company"), "number": tracking.get("number"), "url": tracking.get("url")}
            ]
            if tracking
            else [],
            "_lines": [(line["lineItem"]["id"], quantity) for _fo, line, quantity in plan],
            "_notify": bool(fulfillment.get("notifyCustomer")),
        }
        order["_fulfillments"].append(created)
        order["displayFulfillmentStatus"] = _status(order)
        order["updatedAt"] = store.now_iso()
        store.touch()
        payload = {"fulfillment": created, "userErrors": []}
        if key:
            store.idempotency[key] = (fulfillment, payload)
        return payload

    def metafields_set(_s, _i, metafields):
        errors, done = [], []
        for index, field in enumerate(metafields):
            order = store.orders.get(field["ownerId"])
            namespace = field.get("namespace") or "$app"
            if order is None:
                errors.append(
                    {**_error(["metafields", str(index), "ownerId"], "Owner does not exist."), "elementIndex": index}
                )
            elif not field["value"]:
                errors.append(
                    {
                        **_error(["metafields", str(index), "value"], "Value can't be blank.", "BLANK"),
                        "elementIndex": index,
                    }
                )
            elif len(namespace) < 3 or not 2 <= len(field["key"]) <= 64:
                errors.append(
                    {**_error(["metafields", str(index), "key"], "Key is invalid.", "INVALID"), "elementIndex": index}
                )
        if errors:
            return {"metafields": [], "userErrors": errors}
        for field in metafields:
            order = store.orders[field["ownerId"]]
            namespace = field.get("namespace") or "$app"
            stored = order.setdefault("_metafields", {})
            existing = stored.get((namespace, field["key"]))
            metafield = {
                "__typename": "Metafield",
                "id": existing["id"] if existing else store.new_id("Metafield"),
                "namespace": namespace,
                "key": field["key"],
                "value": field["value"],
                "type": field.get("type") or (existing or {}).get("type") or "single_line_text_field",
            }
            stored[(namespace, field["key"])] = metafield
            done.append(metafield)
        store.touch()
        return {"metafields": done, "userErrors": []}

    def tags_add(_s, _i, id, tags):  # noqa: A002
        order = store.orders.get(id)
        if order is None:
            return {"node": None, "userErrors": [_error(["id"], "Resource does not exist.")]}
        for tag in tags:
            tag = tag.strip()
            if tag and tag.lower() not in {t.lower() for t in order["tags"]}:
                order["tags"].append(tag)
        order["updatedAt"] = store.now_iso()
        store.touch()
        return {"node": order, "userErrors": []}

    fields["fulfillmentCreate"].resolve = fulfillment_create
    fields["metafieldsSet"].resolve = metafields_set
    fields["tagsAdd"].resolve = tags_add
