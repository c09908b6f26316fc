"""Registry of payout providers: provider name -> class. Adding Klarna or Adyen is one module here.

provider = provider_build(connection=connection)
for payout in provider.payouts_since(since): ...
"""

from __future__ import annotations

import importlib
from typing import Any

from syncs.payouts.providers.base import PayoutProvider, ProviderPayout, ProviderTransaction

PROVIDERS: dict[str, type[PayoutProvider]] = {}
_MODULES = ("shopify_payments", "stripe", "klarna", "adyen")


def register_provider(cls: type[PayoutProvider]) -> type[PayoutProvider]:
    PROVIDERS[cls.name] = cls
    return cls


def provider_class(name: str) -> type[PayoutProvider] | None:
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return PROVIDERS.get(name)


def provider_build(*, connection, client: Any = None) -> PayoutProvider:
    """The provider for a PaymentProviderConnection; ``client`` overrides the vendor client."""
    cls = provider_class(connection.provider)
    if cls is None:
        raise LookupError(f"No payout provider named {connection.provider!r}.")
    provider = cls.for_connection(connection, client=client)
    provider.market = (getattr(connection, "market", "") or "").upper()  # picks the payout configuration
    return provider


__all__ = [
    "PROVIDERS",
    "PayoutProvider",
    "ProviderPayout",
    "ProviderTransaction",
    "provider_build",
    "register_provider",
]
