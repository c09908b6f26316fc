"""Stripe API simulator (account and balance; payouts come later)."""

from simulators.stripe.app import StripeSimulator

__all__ = ["StripeSimulator"]
