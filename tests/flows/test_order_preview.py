"""The wizard's "test with a real order": the BC document it would create, or the exact errors."""

from __future__ import annotations

from syncs.mapping import codes
from syncs.models import RecordLink
from syncs.services.orders.preview import order_preview

from . import builders as b


def test_preview_shows_customer_lines_vat_and_totals_and_writes_nothing(bc_integration, fake_shop, sim_bc):
    line = b.line(sku="1000", price="149.00", tax_amount="29.80")
    fake_shop.orders = {"#4001": b.order(name="#4001", lines=[line], total="198.00")}
    before = len(sim_bc.company().rows("salesInvoices"))

    preview = order_preview(integration=bc_integration, order_name="#4001")

    assert preview.ok
    assert preview.customer == {"number": "10000", "strategy": "collective"}
    assert preview.vat_business_group == "DOMESTIC"
    assert [(row["number"], row["vat_product_group"]) for row in preview.lines] == [
        ("1000", "STANDARD"),
        ("3540", "STANDARD"),
    ]
    assert (preview.shop_total, preview.net_total, preview.currency) == ("198.00", "158.40", "SEK")
    assert len(sim_bc.company().rows("salesInvoices")) == before
    assert not RecordLink.objects.exists()


def test_preview_lists_every_error_with_its_remedy(bc_integration, fake_shop):
    line = b.line(sku="NOPE-1")
    fake_shop.orders = {"#4002": b.order(name="#4002", lines=[line], shipping_lines=[b.shipping(code="express")])}

    preview = order_preview(integration=bc_integration, order_name="#4002")

    assert not preview.ok
    assert [error["code"] for error in preview.errors] == [codes.UNMAPPED_SKU, codes.SHIPPING_NOT_MAPPED]
    assert all(error["remedy"] for error in preview.errors)
    assert not order_preview(integration=bc_integration, order_name="#9999").found
