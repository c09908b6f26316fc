"""The merchant's order filters and the dimension rules (pure: no network, no database)."""

from __future__ import annotations

import pytest

from integrations.connectors.shopify.mappers import risk_level
from integrations.models import DimensionMapping, Integration
from syncs.mapping.orders import order_dimensions
from syncs.mapping.settings import DimensionRule, MappingSettings
from syncs.services.orders.filters import order_filter_reason, order_skip_reason
from tests.flows.builders import order


def integration(**settings) -> Integration:
    return Integration(**settings)


@pytest.mark.parametrize(
    ("settings", "values", "reason"),
    [
        ({}, {"test": True}, "test order"),
        ({"sync_test_orders": True}, {"test": True}, ""),
        ({"order_tags_required": "B2C, web"}, {"tags": ("wholesale",)}, "has none of the tags B2C, web"),
        ({"order_tags_required": "B2C, web"}, {"tags": (" WEB ",)}, ""),
        ({"order_tags_excluded": "wholesale"}, {"tags": ("Wholesale", "x")}, "tagged wholesale"),
        (
            {"order_sales_channels": "Online Store"},
            {"app_name": "Point of Sale"},
            "sales channel Point of Sale is not synced",
        ),
        ({"order_sales_channels": "pos"}, {"app_name": "Point of Sale", "source_name": "pos"}, ""),
        ({"order_sales_channels": "Online Store"}, {}, ""),  # no channel at all (WooCommerce): not filtered
        ({"order_max_risk": "LOW"}, {"risk_level": "MEDIUM"}, "medium risk"),
        ({"order_max_risk": "LOW"}, {"risk_level": "PENDING"}, "pending risk"),
        ({"order_max_risk": "MEDIUM"}, {"risk_level": "PENDING"}, ""),
        ({"order_max_risk": "MEDIUM"}, {"risk_level": "HIGH"}, "high risk"),
        ({"order_max_risk": "MEDIUM"}, {"risk_level": ""}, ""),  # not assessed
    ],
)
def test_filters(settings, values, reason):
    assert order_filter_reason(order=order(**values), integration=integration(**settings)) == reason


def test_cancelled_comes_before_the_filters_and_unpaid_after():
    assert (
        order_skip_reason(order=order(test=True, cancelled_at=order().created_at), integration=integration())
        == "cancelled"
    )
    unpaid = order(financial_status="PENDING", tags=("wholesale",))
    assert (
        order_skip_reason(order=unpaid, integration=integration(order_tags_excluded="wholesale")) == "tagged wholesale"
    )


def test_the_highest_risk_assessment_counts():
    risk = {"assessments": [{"riskLevel": "LOW"}, {"riskLevel": "HIGH"}, {"riskLevel": "NEW_LEVEL"}]}
    assert risk_level(risk) == "HIGH"
    assert risk_level({"assessments": []}) == "" and risk_level(None) == ""


def test_dimensions_the_most_specific_rule_wins_per_dimension():
    settings = MappingSettings(
        dimensions=(
            DimensionRule(DimensionMapping.Source.SHOP, "", "AREA", "EU"),
            DimensionRule(DimensionMapping.Source.SHOP, "", "DEPT", "SHOP"),
            DimensionRule(DimensionMapping.Source.COUNTRY, "SE", "AREA", "SE"),
            DimensionRule(DimensionMapping.Source.SALES_CHANNEL, "online store", "DEPT", "web"),
        )
    )

    assert order_dimensions(order=order(country="SE", app_name="Online Store"), settings=settings) == (
        ("AREA", "SE"),
        ("DEPT", "WEB"),
    )
    assert order_dimensions(order=order(country="DE", app_name="Point of Sale"), settings=settings) == (
        ("AREA", "EU"),
        ("DEPT", "SHOP"),
    )


def test_the_prefix_starts_every_external_document_number():
    assert MappingSettings(document_number_prefix="DE-").external_number("#1001") == "DE-#1001"
    assert MappingSettings().external_number("#1001") == "#1001"
