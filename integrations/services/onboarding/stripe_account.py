"""Wizard step 2: the Stripe account whose payouts are booked."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connectors.stripe import StripeAuthError, StripeError, account_verify
from integrations.crypto import Secret
from integrations.models import (
    Integration,
    PaymentProviderConnection,
)
from integrations.services.onboarding.errors import (
    OnboardingError,
)


def stripe_connect(*, integration: Integration, api_key: str) -> PaymentProviderConnection:
    try:
        account = account_verify(api_key.strip())
    except StripeAuthError:
        raise OnboardingError(_("Stripe refused the key. Use a secret or restricted key with read access.")) from None
    except StripeError as error:
        raise OnboardingError(_("Stripe could not be reached: %(error)s") % {"error": error}) from None
    connection, _created = PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=PaymentProviderConnection.Provider.STRIPE,
        defaults={
            "account_id": account.id,
            "api_key": Secret(api_key.strip()),
            "currencies": list(account.currencies or [account.default_currency]),
            "verified_at": timezone.now(),
            "last_error": "",
        },
    )
    return connection
