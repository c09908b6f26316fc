"""Stripe connector: the only code that imports the stripe SDK."""

from integrations.connectors.stripe.client import StripeAccount, StripeAuthError, StripeError, account_verify
from integrations.connectors.stripe.payouts import (
    StripeBalanceTransaction,
    StripePayout,
    StripeSource,
    payout_balance_transactions,
    payouts_iter,
)

__all__ = [
    "StripeAccount",
    "StripeAuthError",
    "StripeBalanceTransaction",
    "StripeError",
    "StripePayout",
    "StripeSource",
    "account_verify",
    "payout_balance_transactions",
    "payouts_iter",
]
