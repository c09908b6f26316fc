"""The pure item -> product and stock rules (syncs.mapping.products)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from syncs.mapping.products import (
    ItemTemplate,
    MissingSku,
    description_html,
    item_payload_from_product,
    product_digest,
    product_spec,
    shop_quantity,
    stock_batch_key,
)


def _item(**overrides):
    values = {
        "id": "item-1",
        "number": "1928-S",
        "display_name": "AMSTERDAM Lamp",
        "display_name2": "Brass, 40 W",
        "blocked": False,
        "gtin": "7310000000012",
        "unit_price": Decimal("54.90"),
        "raw": {},
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def test_item_without_variants_is_one_variant_with_sku_barcode_and_price():
    spec = product_spec(item=_item(), sku_rule="item_number", blocked_item_product_status="draft")

    assert (spec.title, spec.description, spec.status) == ("AMSTERDAM Lamp", "Brass, 40 W", "ACTIVE")
    (variant,) = spec.variants
    assert (variant.key, variant.sku, variant.barcode, variant.price) == (
        "item-1",
        "1928-S",
        "7310000000012",
        Decimal("54.90"),
    )
    assert variant.weight is None


def test_gtin_rule_uses_the_gtin_as_sku_and_refuses_an_item_without_one():
    spec = product_spec(item=_item(), sku_rule="gtin", blocked_item_product_status="draft")
    assert spec.variants[0].sku == "7310000000012"

    with pytest.raises(MissingSku):
        product_spec(item=_item(gtin=""), sku_rule="gtin", blocked_item_product_status="draft")


@pytest.mark.parametrize(("configured", "expected"), [("draft", "DRAFT"), ("archived", "ARCHIVED")])
def test_blocked_item_takes_the_configured_status(configured, expected):
    spec = product_spec(item=_item(blocked=True), sku_rule="item_number", blocked_item_product_status=configured)
    assert spec.status == expected


def test_item_variants_become_shop_variants_sorted_by_code():
    variants = [SimpleNamespace(id="v-red", code="RED"), SimpleNamespace(id="v-blue", code="BLUE")]
    spec = product_spec(item=_item(), variants=variants, sku_rule="item_number", blocked_item_product_status="draft")

    assert [(v.key, v.option, v.sku) for v in spec.variants] == [
        ("v-blue", "BLUE", "1928-S-BLUE"),
        ("v-red", "RED", "1928-S-RED"),
    ]
    assert spec.has_options


def test_weight_is_taken_when_bc_exposes_it():
    spec = product_spec(
        item=_item(raw={"netWeight": 1.25}), sku_rule="item_number", blocked_item_product_status="draft"
    )
    assert spec.variants[0].weight == Decimal("1.25")


def test_digest_ignores_decimal_formatting_but_sees_every_pushed_field():
    base = product_spec(item=_item(), sku_rule="item_number", blocked_item_product_status="draft")
    same = product_spec(
        item=_item(unit_price=Decimal("54.9")), sku_rule="item_number", blocked_item_product_status="draft"
    )
    renamed = product_spec(item=_item(display_name="Lamp"), sku_rule="item_number", blocked_item_product_status="draft")
    repriced = product_spec(
        item=_item(unit_price=Decimal("60")), sku_rule="item_number", blocked_item_product_status="draft"
    )

    assert product_digest(base) == product_digest(same)
    assert len({product_digest(base), product_digest(renamed), product_digest(repriced)}) == 3


@pytest.mark.parametrize(
    ("bc", "shop"), [(Decimal("12"), 12), (Decimal("-3"), 0), (Decimal("2.75"), 2), (None, 0), (Decimal("0"), 0)]
)
def test_shop_quantity_is_whole_and_never_negative(bc, shop):
    assert shop_quantity(bc) == shop


def test_batch_key_depends_on_content_only():
    a = [("inv/1", "loc/1", 5), ("inv/2", "loc/1", 0)]
    assert stock_batch_key(a) == stock_batch_key(list(reversed(a)))
    assert stock_batch_key(a) != stock_batch_key([("inv/1", "loc/1", 6), ("inv/2", "loc/1", 0)])


def test_item_payload_from_shop_product_uses_template_and_sku_rule():
    product = SimpleNamespace(title="Shop-only mug")
    variant = SimpleNamespace(sku="MUG-1", barcode="7310000000999", price=Decimal("99"))
    template = ItemTemplate.from_settings(
        {"general_product_posting_group": "RETAIL", "vat_product_posting_group": "VAT25", "unknown": "x"}
    )

    payload = item_payload_from_product(product=product, variant=variant, template=template, sku_rule="item_number")

    assert payload == {
        "displayName": "Shop-only mug",
        "type": "Inventory",
        "unitPrice": Decimal("99"),
        "number": "MUG-1",
        "gtin": "7310000000999",
        "generalProductPostingGroupCode": "RETAIL",
        "taxGroupCode": "VAT25",
        "baseUnitOfMeasureCode": "PCS",
    }


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("Brass, 40 W", "<p>Brass, 40 W</p>"),
        ("<b>Oak</b> & steel\nFlat", "<p>&lt;b&gt;Oak&lt;/b&gt; &amp; steel<br>Flat</p>"),
    ],
)
def test_description_is_escaped_plain_text_in_one_paragraph(text, html):
    assert description_html(text) == html
