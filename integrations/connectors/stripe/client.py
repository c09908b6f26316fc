"""Stripe through its official SDK, pointed at settings.STRIPE_API_BASE (Stripe, or a simulator)."""

from __future__ import annotations

from dataclasses import dataclass

import stripe
from django.conf import settings


class StripeError(Exception):
    """Stripe could not be reached or answered with an error (message without the key)."""


class StripeAuthError(StripeError):
    """The API key was refused (invalid, revoked or lacking permissions)."""


@dataclass(frozen=True)
class StripeAccount:
    id: str
    country: str
    default_currency: str
    currencies: tuple[str, ...]  # currencies the balance holds money in


def stripe_client(api_key: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key, base_addresses={"api": settings.STRIPE_API_BASE.rstrip("/")}, max_network_retries=1
    )


def account_verify(api_key: str) -> StripeAccount:
    """Check the key with two read calls (account, balance): what payout syncs will need."""
    client = stripe_client(api_key)
    try:
        account = client.v1.accounts.retrieve_current()
        balance = client.v1.balance.retrieve()
    except stripe.AuthenticationError as error:
        raise StripeAuthError(error.user_message or "Invalid API key.") from None
    except stripe.PermissionError as error:
        raise StripeAuthError(error.user_message or "The key lacks read permissions.") from None
    except stripe.StripeError as error:
        raise StripeError(error.user_message or type(error).__name__) from None
    currencies = sorted({entry.currency.upper() for entry in (balance.available or [])})
    return StripeAccount(
        id=account.id,
        country=getattr(account, "country", None) or "",
        default_currency=(getattr(account, "default_currency", None) or "").upper(),
        currencies=tuple(currencies),
    )
