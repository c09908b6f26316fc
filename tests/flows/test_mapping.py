"""The pure mapping layer: Shopify order + settings -> BC document draft or error codes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from integrations.models import Integration
from syncs.mapping import codes
from syncs.mapping.currency import total_tolerance
from syncs.mapping.customers import customer_plan, phone_normalize
from syncs.mapping.digest import fingerprint_diff, fingerprint_digest, order_fingerprint
from syncs.mapping.lines import ItemRef
from syncs.mapping.orders import order_document_build
from syncs.mapping.refunds import InvoiceSnapshot, refund_document_build
from syncs.mapping.settings import CountryDefaults, MappingSettings, ShippingRule
from syncs.mapping.types import CustomerPlan, DocumentKind, MappingError, Problem

from . import builders as b

ITEMS = {"1896-S": ItemRef(number="1896-S"), "1900-S": ItemRef(number="1900-S")}


def settings(**overrides) -> MappingSettings:
    values = dict(
        base_currency="SEK",
        countries={
            "SE": CountryDefaults("SE", "DOMESTIC", collective_customer_number="WEB-SE", payment_terms_code="14D"),
            "DE": CountryDefaults("DE", "EU-DE", collective_customer_number="WEB-EU", currency_code="EUR"),
        },
        shipping={"standard": ShippingRule("standard", "Account", "3050", vat_product_group="STANDARD")},
    )
    values.update(overrides)
    return MappingSettings(**values)


def codes_of(exc: pytest.ExceptionInfo) -> list[str]:
    return [problem.code for problem in exc.value.problems]


class TestOrderDocument:
    def test_domestic_order_becomes_invoice_with_net_prices(self):
        draft = order_document_build(order=b.order(), settings=settings(), items=ITEMS, customer_number="WEB-SE")

        assert draft.kind == DocumentKind.INVOICE
        assert draft.external_document_number == "#1001"
        assert draft.currency_code == ""  # SEK is BC's local currency
        item, freight = draft.lines
        assert (item.line_type, item.number, item.unit_price) == ("Item", "1896-S", Decimal("200.00000"))
        assert (freight.line_type, freight.number, freight.tax_code) == ("Account", "3050", "STANDARD")
        assert freight.unit_price == Decimal("39.20000")
        assert draft.expected_total == Decimal("299.00")
        assert draft.expected_net == Decimal("239.20")
        payload = draft.to_payload()
        assert payload["customerNumber"] == "WEB-SE"
        assert payload["salesInvoiceLines"][0] == {
            "lineType": "Item",
            "lineObjectNumber": "1896-S",
            "description": "Product 1896-S",
            "quantity": 1.0,
            "unitPrice": 200.0,
        }
        assert "number" not in payload

    def test_discount_keeps_the_shops_net_amount(self):
        # 2 x 249 incl. 25% VAT, 49.80 discount: the shop's net is (498 - 49.80) / 1.25 = 358.56.
        order = b.order(lines=[b.line(price="249.00", quantity=2, discount="49.80", tax_amount="89.64")])
        draft = order_document_build(order=order, settings=settings(), items=ITEMS)

        item = draft.lines[0]
        assert item.discount_amount > 0
        assert item.net_amount == Decimal("358.56")

    def test_unmapped_sku_is_an_error_listing_every_sku(self):
        order = b.order(lines=[b.line(sku="NOPE-1"), b.line(sku="NOPE-2")])
        with pytest.raises(MappingError) as exc:
            order_document_build(order=order, settings=settings(), items=ITEMS)

        assert codes_of(exc) == [codes.UNMAPPED_SKU, codes.UNMAPPED_SKU]
        assert [p.params["sku"] for p in exc.value.problems] == ["NOPE-1", "NOPE-2"]

    def test_unmapped_sku_goes_to_the_fallback_account_when_configured(self):
        order = b.order(lines=[b.line(sku="NOPE-1")])
        draft = order_document_build(order=order, settings=settings(fallback_gl_account="3090"), items=ITEMS)

        assert (draft.lines[0].line_type, draft.lines[0].number) == ("Account", "3090")
        assert "NOPE-1" in draft.lines[0].description

    def test_gtin_rule_looks_up_the_barcode(self):
        order = b.order(lines=[b.line(sku="shop-sku", barcode="7350000000017")])
        items = {"7350000000017": ItemRef(number="1896-S")}
        draft = order_document_build(order=order, settings=settings(sku_rule=Integration.SkuRule.GTIN), items=items)

        assert draft.lines[0].number == "1896-S"

    def test_shipping_without_mapping_is_an_error_and_free_shipping_has_no_line(self):
        with pytest.raises(MappingError) as exc:
            order_document_build(
                order=b.order(shipping_lines=[b.shipping(code="express")]), settings=settings(), items=ITEMS
            )
        assert codes_of(exc) == [codes.SHIPPING_NOT_MAPPED]

        free = b.order(shipping_lines=[b.shipping(price="0", tax_amount=None, code="express")], total="250.00")
        assert len(order_document_build(order=free, settings=settings(), items=ITEMS).lines) == 1

    def test_shipping_as_item(self):
        rule = ShippingRule("standard", "Item", "FREIGHT", vat_product_group="STANDARD")
        draft = order_document_build(order=b.order(), settings=settings(shipping={"standard": rule}), items=ITEMS)

        assert (draft.lines[1].line_type, draft.lines[1].number) == ("Item", "FREIGHT")

    def test_gift_card_purchase_is_a_gl_line_without_vat(self):
        order = b.order(lines=[b.line(), b.line(sku="", gift=True, price="500.00", tax_amount=None)], total="799.00")
        with pytest.raises(MappingError) as exc:
            order_document_build(order=order, settings=settings(), items=ITEMS)
        assert codes_of(exc) == [codes.GIFT_CARD_ACCOUNT_MISSING]

        draft = order_document_build(order=order, settings=settings(gift_card_gl_account="2420"), items=ITEMS)
        gift = draft.lines[1]
        assert (gift.line_type, gift.number, gift.unit_price, gift.tax_code) == ("Account", "2420", Decimal("500"), "")

    def test_presentment_currency_uses_the_buyers_amounts(self):
        kw = {"currency": "SEK", "presentment": "22.00", "presentment_currency": "EUR"}
        order = b.order(
            lines=[b.line(price="250.00", tax_amount="50.00", **kw)],
            shipping_lines=[],
            total="250.00",
            presentment_total="22.00",
            presentment_currency="EUR",
            country="DE",
        )
        # Tax lines presentment: 50 SEK -> 22 EUR would be wrong; use a realistic 4.40 EUR.
        order = replace(
            order,
            line_items=(
                replace(
                    order.line_items[0], tax_lines=(b.tax("50.00", presentment="4.40", presentment_currency="EUR"),)
                ),
            ),
        )
        shop = order_document_build(order=order, settings=settings(), items=ITEMS)
        buyer = order_document_build(
            order=order, settings=settings(currency_mode=Integration.CurrencyMode.PRESENTMENT), items=ITEMS
        )

        assert (shop.currency_code, shop.expected_total) == ("", Decimal("250.00"))
        assert (buyer.currency_code, buyer.expected_total) == ("EUR", Decimal("22.00"))
        assert buyer.lines[0].unit_price == Decimal("17.60000")
        assert buyer.to_payload()["currencyCode"] == "EUR"

    @pytest.mark.parametrize("document_type", list(Integration.DocumentType))
    def test_sales_documents_never_send_a_number(self, document_type):
        """`number` is read-only on salesInvoices/salesOrders (BC refuses it): BC's series numbers them."""
        draft = order_document_build(order=b.order(), settings=settings(document_type=document_type), items=ITEMS)
        assert "number" not in draft.to_payload()
        assert [choice.value for choice in Integration.InvoiceNumbering] == ["bc_series"]

    @pytest.mark.parametrize(
        ("document_type", "kind", "post"),
        [
            (Integration.DocumentType.INVOICE_DRAFT, DocumentKind.INVOICE, False),
            (Integration.DocumentType.INVOICE_POSTED, DocumentKind.INVOICE, True),
        ],
    )
    def test_invoice_draft_or_posted(self, document_type, kind, post):
        draft = order_document_build(order=b.order(), settings=settings(document_type=document_type), items=ITEMS)
        assert (draft.kind, draft.post) == (kind, post)

    def test_sales_order_is_shipped_and_invoiced_only_when_fulfilled(self):
        s = settings(document_type=Integration.DocumentType.ORDER_SHIP_INVOICE)
        open_order = order_document_build(order=b.order(), settings=s, items=ITEMS)
        fulfilled = order_document_build(order=b.order(fulfillment_status="FULFILLED"), settings=s, items=ITEMS)

        assert open_order.kind == DocumentKind.ORDER
        assert "salesOrderLines" in open_order.to_payload()
        assert "orderDate" in open_order.to_payload()
        assert (open_order.ship_and_invoice, fulfilled.ship_and_invoice) == (False, True)


class TestCustomerPlan:
    def test_collective_customer_per_country(self):
        assert customer_plan(order=b.order(), settings=settings()) == CustomerPlan(number="WEB-SE")
        assert customer_plan(order=b.order(country="DE"), settings=settings()).number == "WEB-EU"

    def test_unmapped_country_and_missing_collective_customer_are_errors(self):
        assert customer_plan(order=b.order(country="US"), settings=settings()) == Problem(
            codes.COUNTRY_NOT_MAPPED, {"country": "US"}
        )
        s = settings(countries={"SE": CountryDefaults("SE", "DOMESTIC")})
        assert customer_plan(order=b.order(), settings=s).code == codes.NO_COLLECTIVE_CUSTOMER

    def test_match_strategy_builds_a_customer_from_country_defaults(self):
        s = settings(customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE)
        plan = customer_plan(order=b.order(country="DE", phone="+49 (30) 123-45"), settings=s)

        assert (plan.email, plan.phone) == ("anna@example.com", "+493012345")
        assert plan.source_id == "gid://shopify/Customer/7"
        assert plan.draft.vat_business_group == "EU-DE"
        assert plan.draft.currency_code == "EUR"
        assert plan.draft.to_payload(ids={"taxAreaId": "tax-id"})["taxAreaId"] == "tax-id"

    def test_guest_checkout_is_keyed_by_email(self):
        s = settings(customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE)
        plan = customer_plan(order=b.order(customer_id=None), settings=s)
        assert plan.source_id == "email:anna@example.com"

    def test_phone_normalisation(self):
        assert phone_normalize("+46 (0)70-123 45 67") == "+460701234567"
        assert phone_normalize("070 123") == "070123"


class TestDigest:
    def test_accounting_edits_change_the_digest_and_tags_do_not(self):
        original = b.order()
        tagged = replace(original, tags=("vip",), note="call first")
        edited = replace(original, line_items=(b.line(quantity=2),))

        before = order_fingerprint(original)
        assert fingerprint_digest(before) == fingerprint_digest(order_fingerprint(tagged))
        assert fingerprint_digest(before) != fingerprint_digest(order_fingerprint(edited))
        diff = fingerprint_diff(before, order_fingerprint(edited))
        assert [change["field"] for change in diff] == ["line 1896-S"]
        assert diff[0]["before"].startswith("1 x") and diff[0]["after"].startswith("2 x")


class TestRefund:
    snapshot = InvoiceSnapshot(invoice_id="inv-guid", customer_number="WEB-SE", currency_mode="shop", currency="SEK")

    def test_credit_memo_with_restock_shipping_and_non_restock_lines(self):
        order = b.order(lines=[b.line(), b.line(sku="1900-S")], total="549.00")
        refund = b.refund(
            line_items=[b.refund_line(), b.refund_line(sku="1900-S", restock="NO_RESTOCK")],
            shipping_lines=[b.refund_shipping()],
            total="549.00",
        )
        draft = refund_document_build(
            order=order, refund=refund, settings=settings(refund_gl_account="3095"), items=ITEMS, snapshot=self.snapshot
        )

        assert draft.kind == DocumentKind.CREDIT_MEMO
        assert draft.external_document_number == "#1001-R501"
        assert [(line.line_type, line.number) for line in draft.lines] == [
            ("Item", "1896-S"),
            ("Account", "3095"),
            ("Account", "3050"),
        ]
        assert [line.unit_price for line in draft.lines] == [Decimal("200"), Decimal("200"), Decimal("39.2")]
        payload = draft.to_payload()
        assert payload["invoiceId"] == "inv-guid"
        assert payload["customerNumber"] == "WEB-SE"
        assert "salesCreditMemoLines" in payload

    def test_refund_follows_the_invoice_currency_snapshot_not_todays_setting(self):
        snapshot = replace(self.snapshot, currency_mode="presentment", currency="EUR")
        refund = b.refund(line_items=[b.refund_line()])
        draft = refund_document_build(
            order=b.order(), refund=refund, settings=settings(currency_mode="shop"), items=ITEMS, snapshot=snapshot
        )
        assert (draft.currency_code, draft.currency_mode) == ("EUR", "presentment")

    def test_refund_without_a_date_is_dated_by_the_orders_last_change(self):
        # Shopify's Refund.createdAt is nullable; a credit memo still needs a document date.
        order = b.order()
        refund = replace(b.refund(line_items=[b.refund_line()]), created_at=None)
        draft = refund_document_build(
            order=order, refund=refund, settings=settings(), items=ITEMS, snapshot=self.snapshot
        )
        assert draft.document_date == order.updated_at.date()

    def test_refund_before_the_invoice_is_synced_is_an_error(self):
        with pytest.raises(MappingError) as exc:
            refund_document_build(
                order=b.order(),
                refund=b.refund(line_items=[b.refund_line()]),
                settings=settings(),
                items=ITEMS,
                snapshot=None,
            )
        assert codes_of(exc) == [codes.REFUND_INVOICE_MISSING]


def test_total_tolerance_is_one_rounding_unit_per_line():
    assert total_tolerance(currency="SEK", line_count=3) == Decimal("0.03")
    assert total_tolerance(currency="JPY", line_count=1) == Decimal("1")


def test_settings_nothing_reads_are_gone():
    """BC API v2.0 has no customer templates, and Shopify allocates every discount to lines."""
    from django.core.exceptions import FieldDoesNotExist

    from integrations.models import CountryMapping, Integration

    for model, name in ((CountryMapping, "customer_template"), (Integration, "discount_gl_account")):
        with pytest.raises(FieldDoesNotExist):
            model._meta.get_field(name)
