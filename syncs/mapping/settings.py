"""A frozen snapshot of the integration's settings and mappings, loaded once per run."""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.models import Integration, ShippingMethodMapping


@dataclass(frozen=True)
class CountryDefaults:
    country_code: str
    vat_business_group: str
    collective_customer_number: str = ""
    currency_code: str = ""
    payment_terms_code: str = ""
    payment_method_code: str = ""


@dataclass(frozen=True)
class ShippingRule:
    shop_shipping_code: str
    line_type: str  # "Item" or "Account"
    line_number: str
    shipment_method_code: str = ""
    vat_product_group: str = ""


@dataclass(frozen=True)
class MappingSettings:
    customer_strategy: str = Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY
    document_type: str = Integration.DocumentType.INVOICE_POSTED
    sku_rule: str = Integration.SkuRule.ITEM_NUMBER
    currency_mode: str = Integration.CurrencyMode.SHOP
    customer_numbering: str = Integration.Numbering.BC_SERIES
    base_currency: str = "SEK"
    fallback_gl_account: str = ""
    gift_card_gl_account: str = ""
    refund_gl_account: str = ""  # non-restock refund lines and amount-only refunds
    countries: dict[str, CountryDefaults] = field(default_factory=dict)
    shipping: dict[str, ShippingRule] = field(default_factory=dict)
    tax_classes: dict[str, str] = field(default_factory=dict)  # shop tax class -> VAT product group
    payment_methods: dict[str, str] = field(default_factory=dict)  # gateway -> BC payment method code
    mark_paid_gateways: frozenset[str] = frozenset()  # gateways whose invoices are paid at sync time

    def country(self, code: str) -> CountryDefaults | None:
        return self.countries.get((code or "").upper())

    def shipping_rule(self, code: str, title: str = "") -> ShippingRule | None:
        # Shopify shipping codes are free text; match the code first, then the title.
        return self.shipping.get(code) or self.shipping.get(title) or self.shipping.get(ShippingMethodMapping.CATCH_ALL)


def mapping_settings_load(*, integration: Integration) -> MappingSettings:
    """Read the integration and its mapping tables (four small queries) into one snapshot."""
    countries = {
        row.country_code.upper(): CountryDefaults(
            country_code=row.country_code.upper(),
            vat_business_group=row.vat_business_group,
            collective_customer_number=row.collective_customer_number,
            currency_code=row.currency_code,
            payment_terms_code=row.payment_terms_code,
            payment_method_code=row.payment_method_code,
        )
        for row in integration.country_mappings.all()
    }
    shipping = {
        row.shop_shipping_code: ShippingRule(
            shop_shipping_code=row.shop_shipping_code,
            line_type=row.line_type,
            line_number=row.line_number,
            shipment_method_code=row.bc_shipment_method_code,
            vat_product_group=row.vat_product_group,
        )
        for row in integration.shipping_method_mappings.all()
    }
    payment_mappings = list(integration.payment_method_mappings.all())
    return MappingSettings(
        customer_strategy=integration.customer_strategy,
        document_type=integration.document_type,
        sku_rule=integration.sku_rule,
        currency_mode=integration.currency_mode,
        customer_numbering=integration.customer_numbering,
        base_currency=integration.base_currency,
        fallback_gl_account=integration.fallback_gl_account,
        gift_card_gl_account=integration.gift_card_gl_account,
        refund_gl_account=integration.refund_gl_account,
        countries=countries,
        shipping=shipping,
        tax_classes={row.shop_tax_class: row.vat_product_group for row in integration.tax_class_mappings.all()},
        payment_methods={row.shop_gateway: row.bc_payment_method_code for row in payment_mappings},
        mark_paid_gateways=frozenset(row.shop_gateway for row in payment_mappings if row.mark_as_paid),
    )
