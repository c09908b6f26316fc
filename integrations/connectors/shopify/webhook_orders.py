"""An orders/create or orders/paid webhook body (Shopify's REST order shape) as the GraphQL order node.

The body carries the order's amounts, addresses, customer, lines, shipping lines, discount
applications and refunds; it does not carry what ``COMPLEMENT`` names (the sales channel's name,
the risk assessments, the transactions, each line's variant barcode and tax code): the client
reads those with one small query (``queries.order_complements_query``) and merges them with
``node_complete``. The result is the node an ``ORDER_GET`` read returns, so the order model, its
fingerprint and its stored raw JSON are the same whichever way the order came.

A body that lacks one of ``REQUIRED`` (a trimmed or foreign payload) or that already holds refunds
(their line items and transactions are not in the body's shape) gives None: the caller reads the
order in full instead. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt

# Topics whose body is a whole order (REST shape), per Shopify's webhook reference.
ORDER_BODY_TOPICS = frozenset({"orders/create", "orders/paid"})
# Fields of the body the translation needs; without any of them the order is read in full.
REQUIRED = (
    "admin_graphql_api_id",
    "name",
    "created_at",
    "updated_at",
    "currency",
    "presentment_currency",
    "financial_status",
    "line_items",
    "total_price_set",
    "total_tax_set",
    "subtotal_price_set",
    "total_shipping_price_set",
    "total_discounts_set",
)
# What the order model needs and the body does not carry (read with the complement query).
COMPLEMENT = ("app.name", "risk.assessments", "transactions", "lineItems.variant.barcode", "lineItems.variant.taxCode")
MAX_COMPLEMENT_LINES = 250  # one connection page; an order with more lines is read in full

FULFILLMENT_STATUS = {None: "UNFULFILLED", "": "UNFULFILLED", "partial": "PARTIALLY_FULFILLED"}
DISCOUNT_KINDS = {
    "discount_code": "DiscountCodeApplication",
    "automatic": "AutomaticDiscountApplication",
    "manual": "ManualDiscountApplication",
    "script": "ScriptDiscountApplication",
}


def order_node_from_webhook(payload: dict) -> dict | None:
    """The GraphQL-shaped order node of a REST order body, without the complement; None when the
    body cannot stand for the order (see the module's docstring)."""
    if not isinstance(payload, dict) or any(payload.get(key) is None for key in REQUIRED):
        return None
    if payload.get("refunds") or len(payload["line_items"]) > MAX_COMPLEMENT_LINES:
        return None
    applications = [
        _discount_application(i, a, payload) for i, a in enumerate(payload.get("discount_applications") or [])
    ]
    return {
        "id": payload["admin_graphql_api_id"],
        "name": payload["name"],
        "createdAt": payload["created_at"],
        "updatedAt": payload["updated_at"],
        "cancelledAt": payload.get("cancelled_at"),
        "test": bool(payload.get("test")),
        "displayFinancialStatus": str(payload["financial_status"]).upper(),
        "displayFulfillmentStatus": FULFILLMENT_STATUS.get(
            payload.get("fulfillment_status"), str(payload.get("fulfillment_status")).upper()
        ),
        "currencyCode": payload["currency"],
        "presentmentCurrencyCode": payload["presentment_currency"],
        "email": payload.get("email") or payload.get("contact_email"),
        "phone": payload.get("phone"),
        "tags": _tags(payload.get("tags")),
        "note": payload.get("note"),
        "taxesIncluded": bool(payload.get("taxes_included", True)),
        "sourceName": payload.get("source_name"),
        "customer": _customer(payload.get("customer")),
        "billingAddress": _address(payload.get("billing_address")),
        "shippingAddress": _address(payload.get("shipping_address")),
        "totalPriceSet": _bag(payload["total_price_set"]),
        "totalTaxSet": _bag(payload["total_tax_set"]),
        "subtotalPriceSet": _bag(payload["subtotal_price_set"]),
        "totalShippingPriceSet": _bag(payload["total_shipping_price_set"]),
        "totalDiscountsSet": _bag(payload["total_discounts_set"]),
        "lineItems": _connection([_line_item(line, applications) for line in payload["line_items"]]),
        "shippingLines": _connection(
            [_shipping_line(line, applications) for line in payload.get("shipping_lines") or []]
        ),
        "discountApplications": _connection(applications),
        "refunds": [],
    }


def node_complete(node: dict, complement: dict) -> dict:
    """Merge the complement query's answer for one order into its node (in place; returns it)."""
    node["app"] = complement.get("app")
    node["risk"] = complement.get("risk")
    node["transactions"] = complement.get("transactions") or []
    variants = {line["id"]: line.get("variant") for line in (complement.get("lineItems") or {}).get("nodes") or []}
    for edge in node["lineItems"]["edges"]:
        line = edge["node"]
        line["variant"] = variants.get(line["id"])
    return node


def complete_enough(node: dict, complement: dict | None) -> bool:
    """Whether the body still stands for the order and the complement covers every line of it (else
    the order is read in full): the order has not changed since the body was sent."""
    if not complement or _instant(complement.get("updatedAt")) != _instant(node.get("updatedAt")):
        return False
    if ((complement.get("lineItems") or {}).get("pageInfo") or {}).get("hasNextPage"):
        return False
    ids = {line["id"] for line in (complement.get("lineItems") or {}).get("nodes") or []}
    return all(edge["node"]["id"] in ids for edge in node["lineItems"]["edges"])


def _instant(value) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


# --- pieces ------------------------------------------------------------------------------------------


def _connection(nodes: list[dict]) -> dict:
    return {"pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": [{"node": node} for node in nodes]}


def _money(data: dict | None) -> dict | None:
    if not data:
        return None
    return {"amount": data.get("amount"), "currencyCode": data.get("currency_code")}


def _bag(data: dict | None) -> dict | None:
    if not data:
        return None
    return {"shopMoney": _money(data.get("shop_money")), "presentmentMoney": _money(data.get("presentment_money"))}


def _tags(value) -> list[str]:
    if isinstance(value, list):
        return [str(tag).strip() for tag in value if str(tag).strip()]
    return [tag.strip() for tag in str(value or "").split(",") if tag.strip()]


def _address(data: dict | None) -> dict | None:
    if not data:
        return None
    return {
        "firstName": data.get("first_name"),
        "lastName": data.get("last_name"),
        "company": data.get("company"),
        "address1": data.get("address1"),
        "address2": data.get("address2"),
        "city": data.get("city"),
        "zip": data.get("zip"),
        "provinceCode": data.get("province_code"),
        "countryCodeV2": data.get("country_code"),
        "phone": data.get("phone"),
    }


def _customer(data: dict | None) -> dict | None:
    if not data:
        return None
    gid = data.get("admin_graphql_api_id") or f"gid://shopify/Customer/{data.get('id')}"
    return {
        "id": gid,
        "firstName": data.get("first_name"),
        "lastName": data.get("last_name"),
        "defaultEmailAddress": {"emailAddress": data["email"]} if data.get("email") else None,
        "defaultPhoneNumber": {"phoneNumber": data["phone"]} if data.get("phone") else None,
        "taxExempt": bool(data.get("tax_exempt")),
        "tags": _tags(data.get("tags")),
        "updatedAt": data.get("updated_at"),
        "defaultAddress": _address(data.get("default_address")),
    }


def _tax_lines(lines: list | None) -> list[dict]:
    return [
        {"title": line.get("title"), "rate": line.get("rate"), "priceSet": _bag(line.get("price_set"))}
        for line in lines or ()
    ]


def _allocations(allocations: list | None, applications: list[dict]) -> list[dict]:
    out = []
    for allocation in allocations or ():
        index = allocation.get("discount_application_index")
        application = applications[index] if isinstance(index, int) and 0 <= index < len(applications) else None
        out.append(
            {
                "allocatedAmountSet": _bag(allocation.get("amount_set")),
                "discountApplication": {"index": application["index"]} if application else None,
            }
        )
    return out


def _line_gid(line: dict) -> str:
    return line.get("admin_graphql_api_id") or f"gid://shopify/LineItem/{line.get('id')}"


def _line_item(line: dict, applications: list[dict]) -> dict:
    return {
        "id": _line_gid(line),
        "title": line.get("title"),
        "sku": line.get("sku"),
        "quantity": line.get("quantity"),
        "isGiftCard": bool(line.get("gift_card")),
        "taxable": bool(line.get("taxable", True)),
        "variant": None,  # from the complement (barcode and tax code are not in the body)
        "originalUnitPriceSet": _bag(line.get("price_set")),
        "discountAllocations": _allocations(line.get("discount_allocations"), applications),
        "taxLines": _tax_lines(line.get("tax_lines")),
    }


def _shipping_line(line: dict, applications: list[dict]) -> dict:
    return {
        "id": line.get("admin_graphql_api_id") or f"gid://shopify/ShippingLine/{line.get('id')}",
        "title": line.get("title"),
        "code": line.get("code"),
        "originalPriceSet": _bag(line.get("price_set")),
        "discountedPriceSet": _bag(line.get("discounted_price_set")),
        "taxLines": _tax_lines(line.get("tax_lines")),
        "discountAllocations": _allocations(line.get("discount_allocations"), applications),
    }


def _discount_application(index: int, data: dict, payload: dict) -> dict:
    kind = DISCOUNT_KINDS.get(data.get("type") or "", "DiscountCodeApplication")
    if data.get("value_type") == "percentage":
        value = {"__typename": "PricingPercentageValue", "percentage": float(data.get("value") or 0)}
    else:
        value = {"__typename": "MoneyV2", "amount": data.get("value"), "currencyCode": payload["presentment_currency"]}
    application = {
        "__typename": kind,
        "index": index,
        "allocationMethod": str(data.get("allocation_method") or "").upper(),
        "targetType": str(data.get("target_type") or "").upper(),
        "value": value,
    }
    if kind == "DiscountCodeApplication":
        application["code"] = data.get("code")
    else:
        application["title"] = data.get("title")
    return application
