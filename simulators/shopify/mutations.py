"""Mutation resolvers. Input problems answer with ``userErrors`` (HTTP 200), as Shopify does."""

from __future__ import annotations

from graphql import GraphQLSchema, value_from_ast_untyped

from simulators.shopify import bulk
from simulators.shopify.records import (
    DEFAULT_OPTION_VALUE,
    inventory_set,
    option_new,
    option_value_add,
    product_new,
    variant_create,
)

INVENTORY_REASONS = {
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
}


def _error(field: list[str] | None, message: str, code: str | None = None) -> dict:
    return {"field": field, "message": message, "code": code}


def _idempotency_key(info) -> str | None:
    for directive in info.field_nodes[0].directives or ():
        if directive.name.value == "idempotent":
            for argument in directive.arguments:
                if argument.name.value == "key":
                    variables = getattr(info.variable_values, "coerced", info.variable_values)
                    return value_from_ast_untyped(argument.value, variables)
    return None


def install(schema: GraphQLSchema, store, sim) -> None:
    fields = schema.mutation_type.fields

    def product_fields(product: dict, data: dict) -> None:
        for key in ("title", "status", "vendor", "productType", "tags", "handle", "descriptionHtml"):
            if data.get(key) is not None:
                product[key] = list(data[key]) if key == "tags" else data[key]
        product["updatedAt"] = store.now_iso()

    def product_create(_s, _i, product):
        if not (product.get("title") or "").strip():
            return {"product": None, "userErrors": [_error(["title"], "Title can't be blank")]}
        wanted = product.get("productOptions") or []
        for n, option in enumerate(wanted):
            if not (option.get("name") or "").strip() or not option.get("values"):
                return {
                    "product": None,
                    "userErrors": [_error(["productOptions", str(n)], "Each option needs a name and values.")],
                }
        extra = {}
        if wanted:
            extra["options"] = [
                option_new(store, name=o["name"], values=[v.get("name") or "" for v in o["values"]], position=n + 1)
                for n, o in enumerate(wanted)
            ]
        created = product_new(
            store, title=product["title"], created=store.now_iso(), vendor="", productType="", **extra
        )
        product_fields(created, product)
        # As Shopify: a new product has one standalone variant with the first value of each option
        # ("Default Title" without options), which REMOVE_STANDALONE_VARIANT later replaces.
        variant = variant_create(store, created, sku="", barcode="", price="0.00", weight=0.0, _standalone=True)
        variant["title"] = " / ".join(o["value"] for o in variant["selectedOptions"]) or DEFAULT_OPTION_VALUE
        store.touch()
        return {"product": created, "userErrors": []}

    def product_update(_s, _i, product):
        existing = store.products.get(product["id"])
        if existing is None:
            return {"product": None, "userErrors": [_error(["id"], "Product does not exist")]}
        if "title" in product and not (product["title"] or "").strip():
            return {"product": None, "userErrors": [_error(["title"], "Title can't be blank")]}
        product_fields(existing, product)
        store.touch()
        return {"product": existing, "userErrors": []}

    def selected_options(product: dict, data: dict, n: int, current: dict | None = None):
        """(option name, value) pairs for a variant from its optionValues, or a userError."""
        where = ["variants", str(n), "optionValues"]
        options = product["options"]
        given = {}
        for value in data.get("optionValues") or ():
            name = value.get("optionName") or next(
                (o["name"] for o in options if value.get("optionId") and o["id"] == value["optionId"]), None
            )
            if not any(o["name"] == name for o in options):
                return None, _error(where, f"Option '{name}' does not exist.")
            if not (value.get("name") or "").strip():
                return None, _error(where, "Option value name can't be blank.")
            given[name] = value["name"]
        pairs = []
        for option in options:
            if option["name"] in given:
                pairs.append((option["name"], given[option["name"]]))
            elif current is not None:
                pairs.append(
                    (
                        option["name"],
                        next(s["value"] for s in current["selectedOptions"] if s["name"] == option["name"]),
                    )
                )
            elif not given:  # no optionValues at all: the option's first value ("Default Title")
                pairs.append((option["name"], option["values"][0]))
            else:
                return None, _error(where, f"Option values for {option['name']} are required.")
        return pairs, None

    def refused_sku(data: dict, n: int) -> dict | None:
        rejection = sim.faults.sku_rejection((data.get("inventoryItem") or {}).get("sku"))
        if rejection is None:
            return None
        return _error(["variants", str(n), "inventoryItem", "sku"], rejection.message)

    def set_options(product: dict, variant: dict, pairs) -> None:
        by_name = {option["name"]: option for option in product["options"]}
        for name, value in pairs:
            option_value_add(store, by_name[name], value)
        variant["selectedOptions"] = [{"name": name, "value": value} for name, value in pairs]
        variant["title"] = " / ".join(value for _, value in pairs) or DEFAULT_OPTION_VALUE

    def apply_variant(variant: dict, data: dict) -> None:
        for key in ("price", "compareAtPrice", "barcode", "taxable", "taxCode"):
            if key in data and data[key] is not None:
                variant[key] = str(data[key]) if key in ("price", "compareAtPrice") else data[key]
        item_input = data.get("inventoryItem") or {}
        item = variant["inventoryItem"]
        if item_input.get("sku") is not None:
            variant["sku"] = item["sku"] = item_input["sku"] or None
        if item_input.get("tracked") is not None:
            item["tracked"] = item_input["tracked"]
        weight = ((item_input.get("measurement") or {}).get("weight")) or None
        if weight:
            item["measurement"]["weight"] = {"unit": weight["unit"], "value": float(weight["value"])}
        variant["updatedAt"] = variant["product"]["updatedAt"] = store.now_iso()

    def refused(errors: list[dict]) -> dict:
        return {"product": None, "productVariants": None, "userErrors": errors}

    def variants_create(_s, _i, productId, variants, strategy=None):  # noqa: N803 - GraphQL argument names
        product = store.products.get(productId)
        if product is None:
            return refused([_error(["productId"], "Product does not exist")])
        standalone = None
        if strategy == "REMOVE_STANDALONE_VARIANT" and len(product["variants"]) == 1:
            only = product["variants"][0]
            if only.get("_standalone") or (only["title"] == DEFAULT_OPTION_VALUE and not only.get("sku")):
                standalone = only
        # Validate every row first: a refused row refuses the whole call, as in Shopify.
        taken = {tuple(o["value"] for o in v["selectedOptions"]) for v in product["variants"] if v is not standalone}
        planned = []
        for n, data in enumerate(variants):
            if data.get("id"):
                return refused([_error(["variants", str(n), "id"], "New variants must not have an id")])
            error = refused_sku(data, n)
            pairs, option_error = selected_options(product, data, n)
            if error or option_error:
                return refused([error or option_error])
            combination = tuple(value for _, value in pairs)
            if combination in taken:
                where = ["variants", str(n), "optionValues"]
                return refused([_error(where, f"The variant '{' / '.join(combination)}' already exists.")])
            taken.add(combination)
            planned.append((data, pairs))
        if standalone is not None:
            product["variants"].remove(standalone)
            store.variants.pop(standalone["id"], None)
            store.inventory_items.pop(standalone["inventoryItem"]["id"], None)
        created = []
        for data, pairs in planned:
            variant = variant_create(
                store, product, sku="", barcode="", price=str(data.get("price") or "0.00"), weight=0.0
            )
            set_options(product, variant, pairs)
            apply_variant(variant, data)
            for location_id in store.locations:
                inventory_set(store, variant["inventoryItem"]["id"], location_id, 0)
            created.append(variant)
        store.touch()
        return {"product": product, "productVariants": created, "userErrors": []}

    def variants_update(_s, _i, productId, variants):  # noqa: N803
        product = store.products.get(productId)
        if product is None:
            return refused([_error(["productId"], "Product does not exist")])
        own = {variant["id"]: variant for variant in product["variants"]}
        errors = [
            _error(["variants", str(n), "id"], "Product variant does not exist")
            for n, data in enumerate(variants)
            if data.get("id") not in own
        ]
        if errors:
            return refused(errors)
        combinations = {v["id"]: tuple(o["value"] for o in v["selectedOptions"]) for v in product["variants"]}
        planned = []
        for n, data in enumerate(variants):
            error = refused_sku(data, n)
            pairs, option_error = selected_options(product, data, n, current=own[data["id"]])
            if error or option_error:
                return refused([error or option_error])
            combinations[data["id"]] = tuple(value for _, value in pairs)
            planned.append((data, pairs))
        if len(set(combinations.values())) < len(combinations):
            return refused([_error(["variants", "0", "optionValues"], "Two variants would have the same options.")])
        for data, pairs in planned:
            variant = own[data["id"]]
            variant.pop("_standalone", None)
            if data.get("optionValues"):
                set_options(product, variant, pairs)
            apply_variant(variant, data)
        store.touch()
        return {"product": product, "productVariants": [own[d["id"]] for d in variants], "userErrors": []}

    def inventory_set_quantities(_s, info, input):  # noqa: A002
        """2026-10: every quantity must carry ``changeFromQuantity`` (null opts out of the check);
        a value that is not the stored quantity answers CHANGE_FROM_QUANTITY_STALE and nothing is set.
        The ``@idempotent`` key replays a stored answer for the same input; the same key with other
        input answers IDEMPOTENCY_KEY_PARAMETER_MISMATCH."""
        key = _idempotency_key(info)
        if key and key in store.idempotency:
            seen_input, seen_payload = store.idempotency[key]
            if seen_input != input:
                return {
                    "inventoryAdjustmentGroup": None,
                    "userErrors": [
                        _error(
                            None,
                            "The same idempotency key was used with different parameters.",
                            "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                        )
                    ],
                }
            store.stats["idempotent_replays"] += 1
            return seen_payload
        errors = []
        if input["name"] not in ("available", "on_hand"):
            errors.append(
                _error(["input", "name"], "The quantity name must be 'available' or 'on_hand'.", "INVALID_NAME")
            )
        if input["reason"] not in INVENTORY_REASONS:
            errors.append(_error(["input", "reason"], "The reason is not valid.", "INVALID_REASON"))
        for n, row in enumerate(input["quantities"]):
            where = ["input", "quantities", str(n)]
            if row["inventoryItemId"] not in store.inventory_items:
                errors.append(
                    _error(
                        [*where, "inventoryItemId"],
                        "The specified inventory item could not be found.",
                        "INVALID_INVENTORY_ITEM",
                    )
                )
            elif row["locationId"] not in store.locations:
                errors.append(
                    _error([*where, "locationId"], "The specified location could not be found.", "INVALID_LOCATION")
                )
            elif rejection := sim.faults.inventory_rejection(row["inventoryItemId"]):
                field = [*where, "inventoryItemId"] if rejection.positioned else None
                errors.append(_error(field, rejection.message, rejection.code))
            elif "changeFromQuantity" not in row:
                errors.append(
                    _error(
                        [*where, "changeFromQuantity"], "changeFromQuantity is required.", "COMPARE_QUANTITY_REQUIRED"
                    )
                )
            elif row["changeFromQuantity"] is not None:
                level = store.inventory_level(row["inventoryItemId"], row["locationId"])
                if level is not None and sim.faults.sale_now(row["inventoryItemId"]):  # another channel sells one
                    inventory_set(
                        store, row["inventoryItemId"], row["locationId"], level["_quantities"]["available"] - 1
                    )
                    store.stats["stock_sales"] += 1
                current = level["_quantities"][input["name"]] if level is not None else 0
                if current != row["changeFromQuantity"]:
                    errors.append(
                        _error(
                            [*where, "changeFromQuantity"],
                            "The specified compare quantity does not match the current quantity.",
                            "CHANGE_FROM_QUANTITY_STALE",
                        )
                    )
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = []
        for row in input["quantities"]:
            # 2026-10: quantities can be set at any location; an item not stocked there becomes stocked
            # (shopify.dev changelog "Removal of ITEM_NOT_STOCKED_AT_LOCATION error").
            level = store.inventory_level(row["inventoryItemId"], row["locationId"], create=True)
            before = level["_quantities"]["available"]
            inventory_set(store, row["inventoryItemId"], row["locationId"], row["quantity"])
            changes.append(
                {
                    "name": input["name"],
                    "delta": row["quantity"] - before,
                    "quantityAfterChange": row["quantity"],
                    "item": level["item"],
                    "location": level["location"],
                }
            )
        group_id = store.new_id("InventoryAdjustmentGroup")
        group = {
            "__typename": "InventoryAdjustmentGroup",
            "id": group_id,
            "createdAt": store.now_iso(),
            "reason": input["reason"],
            "referenceDocumentUri": input.get("referenceDocumentUri"),
            "changes": changes,
        }
        store.adjustment_groups[group_id] = group
        store.touch()
        payload = {"inventoryAdjustmentGroup": group, "userErrors": []}
        if key:
            store.idempotency[key] = (input, payload)
        return payload

    def bulk_run(_s, info, query, groupObjects=False):  # noqa: N803 - GraphQL argument name
        operation, errors = bulk.submit(store, sim, query, info.context["base_url"], group_objects=groupObjects)
        return {"bulkOperation": operation, "userErrors": errors}

    def webhook_create(_s, _i, topic, webhookSubscription):  # noqa: N803
        uri = webhookSubscription.get("uri") or ""
        if not uri.startswith(("https://", "http://")):
            return {
                "webhookSubscription": None,
                "userErrors": [_error(["webhookSubscription", "uri"], "Address is invalid")],
            }
        if any(s["topic"] == topic and s["uri"] == uri for s in store.webhook_subscriptions.values()):
            return {
                "webhookSubscription": None,
                "userErrors": [_error(["webhookSubscription", "uri"], "Address for this topic has already been taken")],
            }
        sub_id = store.new_id("WebhookSubscription")
        subscription = {
            "__typename": "WebhookSubscription",
            "id": sub_id,
            "topic": topic,
            "uri": uri,
            "callbackUrl": uri,
            "format": webhookSubscription.get("format") or "JSON",
            "createdAt": store.now_iso(),
        }
        store.webhook_subscriptions[sub_id] = subscription
        return {"webhookSubscription": subscription, "userErrors": []}

    def webhook_delete(_s, _i, id):  # noqa: A002 - GraphQL argument name
        if store.webhook_subscriptions.pop(id, None) is None:
            return {
                "deletedWebhookSubscriptionId": None,
                "userErrors": [_error(["id"], "Webhook subscription does not exist")],
            }
        return {"deletedWebhookSubscriptionId": id, "userErrors": []}

    fields["productCreate"].resolve = product_create
    fields["productUpdate"].resolve = product_update
    fields["productVariantsBulkCreate"].resolve = variants_create
    fields["productVariantsBulkUpdate"].resolve = variants_update
    fields["inventorySetQuantities"].resolve = inventory_set_quantities
    fields["bulkOperationRunQuery"].resolve = bulk_run
    fields["webhookSubscriptionCreate"].resolve = webhook_create
    fields["webhookSubscriptionDelete"].resolve = webhook_delete
