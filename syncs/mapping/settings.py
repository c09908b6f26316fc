"""A frozen snapshot of the integration's settings and mappings, loaded once per run."""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.models import DimensionMapping, Integration, ShippingMethodMapping


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
class DimensionRule:
    """Dimension ``dimension_code`` = ``value_code`` on documents of orders matching (source, source_value)."""

    source: str  # DimensionMapping.Source
    source_value: str  # sales channel name or country code (upper case); "" for the shop
    dimension_code: str
    value_code: str


def split_list(raw: str) -> tuple[str, ...]:
    """A comma-separated setting -> its trimmed, non-empty values."""
    return tuple(part.strip() for part in (raw or "").split(",") if part.strip())


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
    document_number_prefix: str = ""  # starts every external document number (several shops, one company)
    salesperson_code: str = ""
    location_code: str = ""
    dimensions: tuple[DimensionRule, ...] = ()

    def external_number(self, reference: str) -> str:
        """The external document number of a shop reference (#1001 -> SE-#1001 with the prefix SE-)."""
        return f"{self.document_number_prefix}{reference}"

    def dimensions_for(self, *, sales_channel: str, country: str) -> dict[str, str]:
        """Dimension code -> value code for an order: the shop's rules, then country, then channel
        (the more specific rule wins for the same dimension)."""
        chosen: dict[str, str] = {}
        order: dict[str, int] = {
            DimensionMapping.Source.SHOP: 0,
            DimensionMapping.Source.COUNTRY: 1,
            DimensionMapping.Source.SALES_CHANNEL: 2,
        }
        for rule in sorted(self.dimensions, key=lambda r: order.get(r.source, 0)):
            if rule.source == DimensionMapping.Source.SHOP:
                matches = True
            elif rule.source == DimensionMapping.Source.COUNTRY:
                matches = rule.source_value.upper() == (country or "").upper()
            else:
                matches = rule.source_value.casefold() == (sales_channel or "").casefold()
            if matches:
                chosen[rule.dimension_code.upper()] = rule.value_code.upper()
        return chosen

    def country(self, code: str) -> CountryDefaults | None:
        return self.countries.get((code or "").upper())

    def shipping_rule(self, code: str, title: str = "") -> ShippingRule | None:
        # Shopify shipping codes are free text; match the code first, then the title.
        return self.shipping.get(code) or self.shipping.get(title) or self.shipping.get(ShippingMethodMapping.CATCH_ALL)


def mapping_settings_load(*, integration: Integration) -> MappingSettings:
    """Read the integration and its mapping tables (five small queries) into one snapshot."""
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
        document_number_prefix=integration.document_number_prefix,
        salesperson_code=integration.salesperson_code.upper(),
        location_code=integration.location_code.upper(),
        dimensions=tuple(
            DimensionRule(
                source=row.source,
                source_value=row.source_value,
                dimension_code=row.dimension_code,
                value_code=row.dimension_value_code,
            )
            for row in integration.dimension_mappings.all()
        ),
    )
