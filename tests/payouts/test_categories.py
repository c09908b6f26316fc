"""Every transaction type the providers define has a booking category (Shopify Payments from the
Admin schema in the reference facts, Stripe from its documented types and reporting categories)."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import pytest
from graphql import build_schema

from simulators.shopify.schema import SDL
from syncs.models import PayoutTransaction
from syncs.payouts.categories import posting_type
from syncs.payouts.providers import shopify_payments, stripe
from tests.contracts.reference import shopify_schema_text

Category = PayoutTransaction.Category
MappedType = PayoutTransaction.MappedType


@functools.cache
def _schema(sdl: str):
    return build_schema(sdl, assume_valid=True)


def _enum(sdl: str, name: str) -> set[str]:
    return set(_schema(sdl).type_map[name].values)


@pytest.fixture(scope="module")
def shopify_types() -> set[str]:
    return _enum(shopify_schema_text("2026-10"), "ShopifyPaymentsTransactionType")


def test_the_shopify_simulator_emits_exactly_the_types_shopify_defines(shopify_types):
    assert _enum(SDL, "ShopifyPaymentsTransactionType") == shopify_types
    assert "PAYOUT" not in shopify_types and "TRANSFER" in shopify_types
    reference_sources = _enum(shopify_schema_text("2026-10"), "ShopifyPaymentsSourceType")
    assert _enum(SDL, "ShopifyPaymentsSourceType") == reference_sources
    assert re.search(r"balanceTransactions\([^)]*hideTransfers: Boolean = false", SDL)


def test_every_shopify_payments_type_has_a_booking_category(shopify_types):
    unclassified = sorted(kind for kind in shopify_types if shopify_payments.category_of(kind) == Category.UNKNOWN)
    assert unclassified == []
    assert shopify_payments.category_of("NOT_A_TYPE") == Category.UNKNOWN


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        ("CHARGE", Category.CHARGE),
        ("REFUND", Category.REFUND),
        ("REFUND_FAILURE", Category.REFUND_FAILURE),
        ("CHARGEBACK_FEE", Category.FEE),
        ("CHARGEBACK_FEE_REFUND", Category.FEE_REFUND),
        ("DISPUTE_WITHDRAWAL", Category.DISPUTE),
        ("DISPUTE_REVERSAL", Category.DISPUTE_REVERSAL),
        ("RESERVED_FUNDS", Category.RESERVE),
        ("CHARGEBACK_HOLD_RELEASE", Category.RESERVE),
        ("TRANSFER", Category.TRANSFER),
        ("TRANSFER_FAILURE", Category.PAYOUT_REVERSAL),
        ("LENDING_CREDIT", Category.ADJUSTMENT),
    ],
)
def test_shopify_payments_categories(kind, category):
    assert shopify_payments.category_of(kind) == category


@pytest.mark.parametrize(
    ("kind", "reporting", "amount", "category"),
    [
        ("charge", "charge", "10", Category.CHARGE),
        ("payment", "charge", "10", Category.CHARGE),
        ("refund", "refund", "-10", Category.REFUND),
        ("adjustment", "dispute", "-10", Category.DISPUTE),
        ("adjustment", "dispute_reversal", "10", Category.DISPUTE_REVERSAL),
        ("adjustment", "refund_failure", "10", Category.REFUND_FAILURE),
        ("adjustment", "fee", "-1", Category.FEE),
        ("adjustment", "fee", "1", Category.FEE_REFUND),
        ("adjustment", "other_adjustment", "-1", Category.ADJUSTMENT),
        ("stripe_fee", "fee", "-1", Category.FEE),
        ("stripe_fx_fee", "fee", "-1", Category.FX_FEE),
        ("application_fee_refund", "fee", "1", Category.FEE_REFUND),
        ("payout_minimum_balance_hold", "payout_minimum_balance_hold", "-5", Category.RESERVE),
        ("payout_minimum_balance_release", "payout_minimum_balance_release", "5", Category.RESERVE),
        ("payout", "payout", "-50", Category.TRANSFER),
        ("payout_failure", "payout_reversal", "50", Category.PAYOUT_REVERSAL),
        ("refund_failure", "refund_failure", "10", Category.REFUND_FAILURE),
        ("not_a_stripe_type", "", "1", Category.UNKNOWN),
    ],
)
def test_stripe_categories(kind, reporting, amount, category):
    assert stripe.category_of(kind, reporting, Decimal(amount)) == category


def test_every_category_has_a_posting_type():
    assert {posting_type(category) for category in Category.values} <= set(MappedType.values)
    assert posting_type(Category.TRANSFER) == MappedType.PAYOUT
    assert posting_type(Category.UNKNOWN) == MappedType.UNKNOWN
    assert posting_type(Category.DISPUTE) == MappedType.ADJUSTMENT  # booked, never PAY-004
    assert posting_type(Category.FX_FEE) == MappedType.FEE
