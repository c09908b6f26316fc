"""Stripe API simulator (account, balance, payouts and balance transactions)."""

from simulators.stripe.app import SimAccount, StripeSimulator

__all__ = ["SimAccount", "StripeSimulator"]
