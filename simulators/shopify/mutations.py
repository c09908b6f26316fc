"""Mutation resolvers. Input problems answer with ``userErrors`` (HTTP 200), as Shopify does."""

from __future__ import annotations

from graphql import GraphQLSchema, value_from_ast_untyped

from simulators.shopify import bulk

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
    from simulators.shopify.seed import inventory_set, product_new, variant_create

    fields = schema.mutation_type.fields

    def product_fields(product: dict, data: dict) -> None:
        for key in ("title", "status", "vendor", "productType", "tags", "handle"):
            if data.get(key) is not None:
                product[key] = list(data[key]) if key == "tags" else data[key]
        product["updatedAt"] = store.now_iso()

    def product_create(_s, _i, product):
        if not (product.get("title") or "").strip():
            return {"product": None, "userErrors": [_error(["title"], "Title can't be blank")]}
        created = product_new(store, title=product["title"], created=store.now_iso(), vendor="", productType="")
        product_fields(created, product)
        # As Shopify: a new product has one standalone "Default Title" variant.
        variant_create(store, created, sku="", barcode="", price="0.00", weight=0.0)
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

    def variants_create(_s, _i, productId, variants, strategy=None):  # noqa: N803 - GraphQL argument names
        product = store.products.get(productId)
        if product is None:
            return {
                "product": None,
                "productVariants": None,
                "userErrors": [_error(["productId"], "Product does not exist")],
            }
        if strategy == "REMOVE_STANDALONE_VARIANT" and len(product["variants"]) == 1:
            standalone = product["variants"][0]
            if standalone["title"] == "Default Title" and not standalone.get("sku"):
                product["variants"].clear()
                store.variants.pop(standalone["id"], None)
                store.inventory_items.pop(standalone["inventoryItem"]["id"], None)
        created = []
        for data in variants:
            if data.get("id"):
                return {
                    "product": None,
                    "productVariants": None,
                    "userErrors": [_error(["variants", "0", "id"], "New variants must not have an id")],
                }
            variant = variant_create(
                store, product, sku="", barcode="", price=str(data.get("price") or "0.00"), weight=0.0
            )
            if len(product["variants"]) > 1:
                variant["title"] = f"Variant {len(product['variants'])}"
            apply_variant(variant, data)
            for location_id in store.locations:
                inventory_set(store, variant["inventoryItem"]["id"], location_id, 0)
            created.append(variant)
        store.touch()
        return {"product": product, "productVariants": created, "userErrors": []}

    def variants_update(_s, _i, productId, variants):  # noqa: N803
        product = store.products.get(productId)
        if product is None:
            return {
                "product": None,
                "productVariants": None,
                "userErrors": [_error(["productId"], "Product does not exist")],
            }
        own = {variant["id"]: variant for variant in product["variants"]}
        errors = [
            _error(["variants", str(n), "id"], "Product variant does not exist")
            for n, data in enumerate(variants)
            if data.get("id") not in own
        ]
        if errors:
            return {"product": None, "productVariants": None, "userErrors": errors}
        for data in variants:
            apply_variant(own[data["id"]], data)
        store.touch()
        return {"product": product, "productVariants": [own[d["id"]] for d in variants], "userErrors": []}

    def inventory_set_quantities(_s, info, input):  # noqa: A002
        key = _idempotency_key(info)
        if key and key in store.idempotency:
            store.stats["idempotent_replays"] += 1
            return store.idempotency[key]
        errors = []
        if input["name"] not in ("available", "on_hand"):
            errors.append(
                _error(
                    ["input", "name"], "The quantity name must be 'available' or 'on_hand'.", "INVALID_QUANTITY_NAME"
                )
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
            elif store.inventory_level(row["inventoryItemId"], row["locationId"]) is None:
                errors.append(
                    _error(
                        [*where, "locationId"],
                        "The item is not stocked at the location.",
                        "ITEM_NOT_STOCKED_AT_LOCATION",
                    )
                )
            elif not input.get("ignoreCompareQuantity") and row.get("compareQuantity") is not None:
                level = store.inventory_level(row["inventoryItemId"], row["locationId"])
                if level["_quantities"][input["name"]] != row["compareQuantity"]:
                    errors.append(
                        _error([*where, "compareQuantity"], "The compareQuantity is stale.", "COMPARE_QUANTITY_STALE")
                    )
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = []
        for row in input["quantities"]:
            level = store.inventory_level(row["inventoryItemId"], row["locationId"])
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
            store.idempotency[key] = payload
        return payload

    def bulk_run(_s, info, query):
        operation, errors = bulk.submit(store, sim, query, info.context["base_url"])
        return {"bulkOperation": operation, "userErrors": errors}

    def webhook_create(_s, _i, topic, webhookSubscription):  # noqa: N803
        uri = webhookSubscription.get("callbackUrl") or ""
        if not uri.startswith(("https://", "http://")):
            return {
                "webhookSubscription": None,
                "userErrors": [_error(["webhookSubscription", "callbackUrl"], "Address is invalid")],
            }
        if any(s["topic"] == topic and s["uri"] == uri for s in store.webhook_subscriptions.values()):
            return {
                "webhookSubscription": None,
                "userErrors": [
                    _error(["webhookSubscription", "callbackUrl"], "Address for this topic has already been taken")
                ],
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

    fields["productCreate"].resolve = product_create
    fields["productUpdate"].resolve = product_update
    fields["productVariantsBulkCreate"].resolve = variants_create
    fields["productVariantsBulkUpdate"].resolve = variants_update
    fields["inventorySetQuantities"].resolve = inventory_set_quantities
    fields["bulkOperationRunQuery"].resolve = bulk_run
    fields["webhookSubscriptionCreate"].resolve = webhook_create
