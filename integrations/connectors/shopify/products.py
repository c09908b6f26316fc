"""Product writes: create a product with its variants, update it and its variants."""

from __future__ import annotations

from integrations import commerce
from integrations.connectors.shopify import mappers, queries
from integrations.connectors.shopify import payloads as p
from integrations.connectors.shopify.exceptions import ShopifyUserError, raise_user_errors
from integrations.connectors.shopify.transport import ShopifyTransport


def product_create(transport: ShopifyTransport, product: commerce.ProductInput) -> commerce.Product:
    """Create the product; its variants replace the standalone one Shopify makes with it."""
    fields = p.product_input(product)
    fields.pop("id", None)
    if product.options:
        fields["productOptions"] = [
            {"name": option.name, "values": [{"name": value} for value in option.values]} for option in product.options
        ]
    data = transport.execute(queries.PRODUCT_CREATE, {"product": fields})["productCreate"]
    raise_user_errors(data, "productCreate")
    created = data["product"]
    if product.variants:
        try:
            created = _variants_create(transport, created["id"], product.variants, strategy="REMOVE_STANDALONE_VARIANT")
        except ShopifyUserError as exc:
            exc.product_id = created["id"]
            raise
    return mappers.product(created)


def product_update(transport: ShopifyTransport, product: commerce.ProductInput) -> commerce.Product:
    if not product.id:
        raise ValueError("product_update needs ProductInput.id")
    data = transport.execute(queries.PRODUCT_UPDATE, {"product": p.product_input(product)})["productUpdate"]
    raise_user_errors(data, "productUpdate")
    updated = data["product"]
    existing = [v for v in product.variants if v.id]
    new = [v for v in product.variants if not v.id]
    if existing:
        result = transport.execute(
            queries.VARIANTS_BULK_UPDATE,
            {"productId": product.id, "variants": [p.variant_input(v) for v in existing]},
        )["productVariantsBulkUpdate"]
        raise_user_errors(result, "productVariantsBulkUpdate")
        updated = result["product"]
    if new:
        updated = _variants_create(transport, product.id, new, strategy="DEFAULT")
    return mappers.product(updated)


def _variants_create(transport: ShopifyTransport, product_id: str, variants, *, strategy: str) -> dict:
    result = transport.execute(
        queries.VARIANTS_BULK_CREATE,
        {"productId": product_id, "variants": [p.variant_input(v) for v in variants], "strategy": strategy},
    )["productVariantsBulkCreate"]
    raise_user_errors(result, "productVariantsBulkCreate")
    return result["product"]
