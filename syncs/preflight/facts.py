"""The product's side of the preflight: settings, mappings and what recent orders used (selectors)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from integrations.connectors.shopify import mappers as shop_mappers
from integrations.connectors.woocommerce import woo_order_translate
from integrations.connectors.woocommerce.records import WooOrder
from integrations.models import Integration, ShopConnection
from syncs.models import EntityType, RecordLink
from syncs.preflight.types import IntegrationFacts, PayoutConfig, ProbePlan
from syncs.services.shop_source import shop_source_system

logger = logging.getLogger(__name__)


def preflight_facts_get(*, integration: Integration, now: dt.datetime | None = None) -> IntegrationFacts:
    connection = getattr(integration, "bc_connection", None)
    facts = IntegrationFacts(
        base_currency=integration.base_currency,
        environment_type=connection.environment_type if connection else "",
        sandbox_test_passed_at=integration.sandbox_test_passed_at,
        customer_manual_numbering=integration.customer_numbering == Integration.Numbering.SHOP_NUMBER,
        payment_journal_template=integration.payment_journal_template,
        payment_journal_batch=integration.payment_journal_batch,
        payouts_enabled=integration.payouts_enabled,
        country_vat_groups={m.country_code.upper(): m.vat_business_group for m in integration.country_mappings.all()},
        collective_strategy=integration.customer_strategy == Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY,
        collective_customers={
            m.country_code.upper(): m.collective_customer_number for m in integration.country_mappings.all()
        },
        tax_class_vat_groups={m.vat_product_group for m in integration.tax_class_mappings.all()},
        shipping_vat_groups={m.vat_product_group for m in integration.shipping_method_mappings.all()},
        mapped_payment_methods={m.shop_gateway for m in integration.payment_method_mappings.all()},
        mapped_shipping_methods={m.shop_shipping_code for m in integration.shipping_method_mappings.all()},
        providers={p.provider: {c.upper() for c in p.currencies or []} for p in integration.payment_providers.all()},
        stock_enabled=integration.stock_enabled,
        stock_location_codes=stock_location_codes_get(integration=integration),
    )
    _add_payouts(facts, integration=integration)
    facts.creates_items = integration.products_enabled and integration.products_bidirectional
    facts.probe = _probe_plan(integration=integration, facts=facts)
    facts.matched_customers = _matched_customers(integration=integration)
    facts.mapped_dimension_values = {
        (m.dimension_code.upper(), m.dimension_value_code.upper()) for m in integration.dimension_mappings.all()
    }
    facts.salesperson_code = integration.salesperson_code.upper()
    facts.location_code = integration.location_code.upper()
    facts.document_number_prefix = integration.document_number_prefix
    if connection is not None and connection.company_id:
        facts.prefix_shared_with = [
            other.integration.name
            for other in type(connection)
            .objects.filter(
                integration__tenant_id=integration.tenant_id,
                entra_tenant_id=connection.entra_tenant_id,
                environment_name=connection.environment_name,
                company_id=connection.company_id,
            )
            .exclude(pk=connection.pk)
            .select_related("integration")
            if other.integration.document_number_prefix.upper() == integration.document_number_prefix.upper()
        ]
    shop = getattr(integration, "shop_connection", None)
    if shop and shop.shop_currency:
        facts.shop_currencies.add(shop.shop_currency.upper())
    for currencies in facts.providers.values():
        facts.shop_currencies |= currencies
    _add_recent_orders(facts, integration=integration, now=now or timezone.now())
    return facts


def _add_payouts(facts: IntegrationFacts, *, integration: Integration) -> None:
    facts.payout_configs = [
        PayoutConfig(
            label=str(m),
            provider=m.provider,
            market=m.market.upper(),
            currency=m.currency.upper(),
            journal_template=m.batch_template,
            journal_batch=m.batch_code,
            general_batch=m.general_batch,
            clearing_account=m.clearing_account,
            fee_account=m.fee_account,
            bank_account=m.bank_account if integration.book_payout_transfer else "",
            disputes_account=m.disputes_account,
        )
        for m in integration.payout_account_mappings.order_by("provider", "market", "currency", "pk")
    ]
    facts.provider_connections = [
        (p.provider, (p.market or "").upper(), frozenset(c.upper() for c in p.currencies or []), str(p))
        for p in integration.payment_providers.order_by("provider", "market")
    ]
    facts.rounding_account = integration.rounding_gl_account
    facts.mark_paid = integration.payment_method_mappings.filter(mark_as_paid=True).exists()


def _probe_plan(*, integration: Integration, facts: IntegrationFacts) -> ProbePlan:
    """The writes the enabled flows make (the probe tries each inside its rolled-back batch)."""
    orders = integration.orders_enabled
    document = integration.document_type
    payment_batches = (
        {c.journal_batch for c in facts.payout_configs if c.journal_batch} if facts.payouts_enabled else set()
    )
    if facts.mark_paid and integration.payment_journal_batch:
        payment_batches.add(integration.payment_journal_batch)
    general = {c.general_batch for c in facts.payout_configs if c.general_batch} if facts.payouts_enabled else set()
    return ProbePlan(
        customers=orders and integration.customer_strategy == Integration.CustomerStrategy.MATCH_EMAIL_PHONE,
        items=integration.products_enabled and integration.products_bidirectional,
        sales_invoices=orders and document != Integration.DocumentType.ORDER_SHIP_INVOICE,
        sales_orders=orders and document == Integration.DocumentType.ORDER_SHIP_INVOICE,
        credit_memos=integration.refunds_enabled,
        payment_batches=tuple(sorted(payment_batches)),
        general_batches=tuple(sorted(general)),
    )


def _matched_customers(*, integration: Integration) -> dict[str, str]:
    """BC customers matched (not created) during order sync, with the country of the order they matched."""
    links = RecordLink.objects.filter(
        integration=integration, entity_type=EntityType.CUSTOMER, details__has_key="matched_country"
    ).exclude(target_number="")
    return {number: details["matched_country"] for number, details in links.values_list("target_number", "details")}


def stock_location_codes_get(*, integration: Integration) -> set[str]:
    """BC location codes whose stock goes to a shop location (empty: totals, or stock is off)."""
    if not integration.stock_enabled:
        return set()
    return set(integration.location_mappings.exclude(bc_location_code="").values_list("bc_location_code", flat=True))


def _add_recent_orders(facts: IntegrationFacts, *, integration: Integration, now: dt.datetime) -> None:
    days = getattr(settings, "PREFLIGHT_ORDER_LOOKBACK_DAYS", 90)
    facts.lookback_days = days
    raws = (
        RecordLink.objects.filter(
            integration=integration,
            entity_type=EntityType.ORDER,
            source_system=shop_source_system(integration=integration),
            updated_at__gte=now - dt.timedelta(days=days),
        )
        .exclude(raw_source=None)
        .values_list("raw_source", flat=True)
    )
    shop = getattr(integration, "shop_connection", None)
    woo = shop is not None and shop.platform == ShopConnection.Platform.WOOCOMMERCE
    for raw in raws.iterator(chunk_size=500):
        try:
            if not isinstance(raw, dict):
                raise TypeError("The stored payload is not a JSON object.")
            # The stored payload is the platform's own order (WooCommerce's refunds are not needed here).
            order = woo_order_translate(WooOrder.from_json(raw)) if woo else shop_mappers.order(raw)
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.info("Preflight skipped an order payload it could not read")
            continue
        facts.orders_looked_at += 1
        address = order.shipping_address or order.billing_address
        if address and address.country_code:
            facts.order_countries.add(address.country_code.upper())
        facts.order_currencies |= {c.upper() for c in (order.currency, order.presentment_currency) if c}
        facts.order_payment_methods |= {t.gateway for t in order.transactions if t.gateway}
        facts.order_shipping_methods |= {line.code or line.title for line in order.shipping_lines}
        facts.order_skus |= {line.sku for line in order.line_items if line.sku}
