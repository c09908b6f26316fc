"""Shopify Payments through the Shopify connector (payouts + balance transactions).

The order reference is the balance transaction's associated order name (``#1001``), the same
value the orders flow writes to the BC invoice's externalDocumentNumber.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from integrations.services.shopify_tokens import shop_client_for
from syncs.payouts.categories import Category, posting_type
from syncs.payouts.providers import register_provider
from syncs.payouts.providers.base import PayoutProvider, PayoutStatus, ProviderPayout, ProviderTransaction

# ShopifyPaymentsTransactionType (Admin API 2026-10): every member has a booking category. There is
# no PAYOUT type: a payout's own row is TRANSFER (listed unless ``hideTransfers`` is set).
CATEGORY_BY_TYPE: dict[str, str] = {
    "CHARGE": Category.CHARGE,
    "REFUND": Category.REFUND,
    "REFUND_FAILURE": Category.REFUND_FAILURE,
    "CHARGEBACK_FEE": Category.FEE,
    "ACH_BANK_FAILURE_DEBIT_FEE": Category.FEE,
    "BILLING_DEBIT": Category.FEE,
    "REFERRAL_FEE": Category.FEE,
    "REFERRAL_FEE_TAX": Category.FEE,
    "SHIPPING_LABEL": Category.FEE,
    "STRIPE_FEE": Category.FEE,
    "SHOP_CASH_BILLING_DEBIT": Category.FEE,
    "CHARGEBACK_FEE_REFUND": Category.FEE_REFUND,
    "APPLICATION_FEE_REFUND": Category.FEE_REFUND,
    "ACH_BANK_FAILURE_DEBIT_REVERSAL_FEE": Category.FEE_REFUND,
    "BILLING_DEBIT_REVERSAL": Category.FEE_REFUND,
    "SHOP_CASH_BILLING_DEBIT_REVERSAL": Category.FEE_REFUND,
    "DISPUTE_WITHDRAWAL": Category.DISPUTE,
    "RISK_WITHDRAWAL": Category.DISPUTE,
    "DISPUTE_REVERSAL": Category.DISPUTE_REVERSAL,
    "RISK_REVERSAL": Category.DISPUTE_REVERSAL,
    "RESERVED_FUNDS": Category.RESERVE,
    "RESERVED_FUNDS_WITHDRAWAL": Category.RESERVE,
    "RESERVED_FUNDS_REVERSAL": Category.RESERVE,
    "CHARGEBACK_HOLD": Category.RESERVE,
    "CHARGEBACK_HOLD_RELEASE": Category.RESERVE,
    "TRANSFER": Category.TRANSFER,
    "TRANSFER_FAILURE": Category.PAYOUT_REVERSAL,
    "TRANSFER_CANCEL": Category.PAYOUT_REVERSAL,
    "TRANSFER_REFUND": Category.PAYOUT_REVERSAL,
}
# Families of credits, debits and their reversals (lending, channels, Shop Cash, taxes, shipping
# adjustments, ...): money Shopify moves in or out of the balance that is neither a sale nor a fee.
ADJUSTMENT_PREFIXES = (
    "ADJUSTMENT",
    "ADS_PUBLISHER_",
    "ADVANCE",
    "ANOMALY_",
    "BALANCE_TRANSFER_",
    "CHANNEL_",
    "CHARGEBACK_PROTECTION_",
    "CHARGE_ADJUSTMENT",
    "COLLECTIONS_",
    "CUSTOMS_DUTY",
    "IMPORT_TAX",
    "LENDING_",
    "MARKETPLACE_FEE_",
    "MARKETS_PRO_",
    "MERCHANT_",
    "PROMOTION_",
    "REFUND_ADJUSTMENT",
    "SELLER_PROTECTION_",
    "SHIPPING_",
    "SHOPIFY_",
    "SHOP_CASH_",
    "TAX_ADJUSTMENT_",
    "VAT_REFUND_",
)


def category_of(transaction_type: str) -> str:
    """The booking category of a Shopify Payments balance transaction type."""
    kind = transaction_type.upper()
    if kind in CATEGORY_BY_TYPE:
        return CATEGORY_BY_TYPE[kind]
    if kind.startswith(ADJUSTMENT_PREFIXES):
        return Category.ADJUSTMENT
    return Category.UNKNOWN


STATUS_MAP = {
    "PAID": PayoutStatus.PAID,
    "SCHEDULED": PayoutStatus.PENDING,
    "IN_TRANSIT": PayoutStatus.PENDING,
    "FAILED": PayoutStatus.FAILED,
    "CANCELED": PayoutStatus.CANCELED,
}


@register_provider
class ShopifyPaymentsProvider(PayoutProvider):
    name = "shopify_payments"

    def __init__(self, client: Any, *, currency: str) -> None:
        self.client = client
        self.currency = currency

    @classmethod
    def for_connection(cls, connection: Any, *, client: Any = None) -> ShopifyPaymentsProvider:
        shop = connection.integration.shop_connection
        if client is None:
            client = shop_client_for(connection=shop)
        return cls(client, currency=shop.shop_currency or connection.integration.base_currency)

    def payouts_since(self, since: dt.datetime | None) -> Iterator[ProviderPayout]:
        for payout in self.client.payouts_iter(since=since):
            yield ProviderPayout(
                id=payout.id,
                status=STATUS_MAP.get(payout.status.upper(), PayoutStatus.PENDING),
                currency=(payout.net.currency or self.currency).upper(),
                amount=payout.net.amount,
                arrival_date=payout.issued_at.date() if payout.issued_at else None,
                gross=payout.gross.amount if payout.gross else None,
                fees=payout.fees.amount if payout.fees else None,
                raw=payout.raw,
            )

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        return [
            ProviderTransaction(
                id=bt.id,
                raw_type=bt.type,
                category=category_of(bt.type),
                mapped_type=posting_type(category_of(bt.type)),
                amount=bt.amount.amount,
                fee=bt.fee.amount if bt.fee else Decimal("0"),
                net=bt.net.amount,
                currency=(bt.amount.currency or payout.currency).upper(),
                order_reference=self.order_reference(bt),
                source_reference=bt.source_order_transaction_id or bt.source_id,
                raw=bt.raw,
            )
            for bt in self.client.payout_balance_transactions(payout.id)
        ]

    def order_reference(self, raw_transaction: Any) -> str:
        return raw_transaction.order_name or ""
