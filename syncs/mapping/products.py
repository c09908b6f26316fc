"""BC items -> shop products and BC stock -> shop quantities, as pure functions.

No database and no connector here: the services feed in records and settings and get back plain
specs, digests and keys, so every rule below is testable on its own.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

SKU_RULE_ITEM_NUMBER = "item_number"
SKU_RULE_GTIN = "gtin"

# Item number + variant code, as Microsoft's own connector does; the RecordLink, not the SKU
# text, is what resolves a shop variant back to (item, variant) when numbers contain "-".
VARIANT_SKU_SEPARATOR = "-"
VARIANT_CODE_LENGTH = 10  # BC: Item Variant.Code is Code[10]

# BC item variants have a code but no option dimension: the shop option is named this.
VARIANT_OPTION_NAME = "Variant"

STATUS_ACTIVE = "ACTIVE"
STATUS_DRAFT = "DRAFT"
STATUS_ARCHIVED = "ARCHIVED"


class MissingSku(ValueError):
    """The SKU rule yields no SKU for an item (GTIN rule, item without GTIN)."""


@dataclass(frozen=True)
class VariantSpec:
    key: str  # RecordLink source id: the BC item id, or the BC item variant id
    option: str  # the BC variant code; "" for an item without variants
    sku: str
    barcode: str
    price: Decimal
    weight: Decimal | None = None


@dataclass(frozen=True)
class ProductSpec:
    item_id: str
    item_number: str
    title: str
    description: str
    status: str
    variants: tuple[VariantSpec, ...]

    @property
    def has_options(self) -> bool:
        return any(variant.option for variant in self.variants)


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def item_sku(*, item: Any, sku_rule: str) -> str:
    """The SKU the shop shows for a BC item, by the integration's SKU rule."""
    if sku_rule == SKU_RULE_GTIN:
        gtin = _text(getattr(item, "gtin", ""))
        if not gtin:
            raise MissingSku(f"Item {item.number} has no GTIN, and the SKU rule is GTIN.")
        return gtin
    return _text(item.number)


def variant_sku(*, item: Any, variant: Any, sku_rule: str) -> str:
    # BC item variants carry no GTIN of their own, so both rules build on the item's SKU.
    return f"{item_sku(item=item, sku_rule=sku_rule)}{VARIANT_SKU_SEPARATOR}{_text(variant.code)}"


def item_weight(item: Any) -> Decimal | None:
    """Net weight when BC exposes one (API v2.0 items do not; a custom page or extension may)."""
    raw = getattr(item, "raw", None) or {}
    for value in (getattr(item, "net_weight", None), raw.get("netWeight"), raw.get("grossWeight")):
        if value not in (None, "", 0):
            return Decimal(str(value))
    return None


def blocked_status(*, blocked: bool, blocked_item_product_status: str) -> str:
    if not blocked:
        return STATUS_ACTIVE
    return STATUS_ARCHIVED if blocked_item_product_status == "archived" else STATUS_DRAFT


def product_spec(
    *, item: Any, variants: Sequence[Any] = (), sku_rule: str, blocked_item_product_status: str
) -> ProductSpec:
    """What the shop product for one BC item should look like.

    An item without BC variants is a product with one variant; each BC item variant becomes a
    shop variant with the item's price and the variant code as its option value.
    """
    price = Decimal(str(getattr(item, "unit_price", None) or 0))
    weight = item_weight(item)
    barcode = _text(getattr(item, "gtin", ""))
    if variants:
        specs = tuple(
            VariantSpec(
                key=str(variant.id),
                option=_text(variant.code),
                sku=variant_sku(item=item, variant=variant, sku_rule=sku_rule),
                barcode="",
                price=price,
                weight=weight,
            )
            for variant in sorted(variants, key=lambda v: _text(v.code))
        )
    else:
        specs = (
            VariantSpec(
                key=str(item.id),
                option="",
                sku=item_sku(item=item, sku_rule=sku_rule),
                barcode=barcode,
                price=price,
                weight=weight,
            ),
        )
    return ProductSpec(
        item_id=str(item.id),
        item_number=_text(item.number),
        title=_text(getattr(item, "display_name", "")) or _text(item.number),
        description=_text(getattr(item, "display_name2", "")),
        status=blocked_status(
            blocked=bool(getattr(item, "blocked", False)), blocked_item_product_status=blocked_item_product_status
        ),
        variants=specs,
    )


def description_html(text: str) -> str:
    """BC's plain text as the shop's HTML description: escaped, one paragraph, line breaks kept."""
    if not text:
        return ""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 10, 10.0 and 10.00 are the same price: normalise so a reformat costs no write.
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def product_digest(spec: ProductSpec) -> str:
    """Content hash of everything pushed to the shop: equal digest, no write."""
    payload = json.dumps(_canonical(asdict(spec)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Stock ---------------------------------------------------------------------------------------


def shop_quantity(value: Any) -> int:
    """BC inventory (a decimal, maybe negative) -> the whole, non-negative number the shop sells."""
    if value in (None, ""):
        return 0
    quantity = Decimal(str(value)).to_integral_value(rounding=ROUND_FLOOR)
    return max(0, int(quantity))


def stock_link_source_id(*, item_id: str, location_id: str) -> str:
    """RecordLink source id of one (BC item, shop location) quantity."""
    return f"{item_id}@{location_id}"


def stock_batch_key(changes: Iterable[tuple[str, str, int]]) -> str:
    """Idempotency key derived from the batch content (inventory item, location, quantity).

    A retried identical batch gets the same key, so the shop applies it once; any change in the
    content is a different key.
    """
    rows = sorted(f"{item}|{location}|{quantity}" for item, location, quantity in changes)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


# --- Shop -> BC (bidirectional) ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemTemplate:
    """Defaults for BC items created from shop-only products."""

    item_type: str = "Inventory"
    general_product_posting_group: str = ""
    inventory_posting_group: str = ""
    vat_product_posting_group: str = ""
    base_unit_of_measure: str = "PCS"

    @classmethod
    def from_settings(cls, data: dict | None) -> ItemTemplate:
        data = data or {}
        known = {name: str(data[name]) for name in cls.__dataclass_fields__ if data.get(name)}
        return cls(**known)


def item_payload_from_product(*, product: Any, variant: Any, template: ItemTemplate, sku_rule: str) -> dict:
    """BC item fields (API v2.0 names) for a shop-only product. Inventory is never sent on insert.

    Whole values: the writer fits them to BC's field lengths (writes.payload_fit); an SKU longer than
    the item number's 20 characters is refused there, never cut into another item's number."""
    payload: dict[str, Any] = {
        "displayName": _text(product.title),
        "type": template.item_type,
        "unitPrice": variant.price,
    }
    sku = _text(variant.sku)
    barcode = _text(variant.barcode)
    if sku_rule == SKU_RULE_GTIN:
        if sku or barcode:
            payload["gtin"] = sku or barcode
    else:
        if sku:
            payload["number"] = sku
        if barcode:
            payload["gtin"] = barcode
    optional = {
        "generalProductPostingGroupCode": template.general_product_posting_group,
        "inventoryPostingGroupCode": template.inventory_posting_group,
        "taxGroupCode": template.vat_product_posting_group,
        "baseUnitOfMeasureCode": template.base_unit_of_measure,
    }
    payload.update({key: value for key, value in optional.items() if value})
    return payload
