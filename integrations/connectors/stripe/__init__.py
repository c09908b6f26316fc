"""Stripe connector: the only code that imports the stripe SDK."""

from integrations.connectors.stripe.client import StripeAccount, StripeAuthError, StripeError, account_verify

__all__ = ["StripeAccount", "StripeAuthError", "StripeError", "account_verify"]
