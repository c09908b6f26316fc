"""Which payout configuration books a payout: its provider, market and currency."""

from __future__ import annotations

from integrations.models import PaymentProviderConnection, PayoutAccountMapping
from syncs.errors import ProductError
from syncs.models import Payout


def payout_configuration_find(*, payout: Payout) -> PayoutAccountMapping | None:
    """The configuration of the payout's provider and currency naming the payout's market, else the
    one for every market of the provider (empty market); None when neither exists."""
    candidates = [
        config
        for config in PayoutAccountMapping.objects.filter(
            integration_id=payout.integration_id, provider=payout.provider
        )
        if config.currency.upper() == payout.currency.upper()
        and config.market.upper() in ("", (payout.market or "").upper())
    ]
    candidates.sort(key=lambda config: (config.market == "", config.pk))
    return candidates[0] if candidates else None


def payout_configuration_get(*, payout: Payout) -> PayoutAccountMapping:
    """As ``payout_configuration_find``; no configuration is PAY-013 (the payout is not booked)."""
    config = payout_configuration_find(payout=payout)
    if config is None:
        label = dict(PaymentProviderConnection.Provider.choices).get(payout.provider, payout.provider)
        raise ProductError("PAY-013", provider=label, market=payout.market or "", currency=payout.currency)
    return config
