"""Exception types the product knows, and the catalogue code each one means.

Anything raised inside a flow that is listed here is an expected condition with its own code;
SYS-001 ("Unexpected internal error") is left for real bugs. tests/errors/test_known_exceptions.py
fails when a known type would still end as SYS-001.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from integrations.connectors.businesscentral.exceptions import BCAccessKeyRejected
from integrations.connectors.businesscentral.writes import FieldTooLong
from integrations.connectors.stripe.client import StripeAuthError, StripeError
from integrations.crypto import SecretDecryptionError
from integrations.models import BusinessCentralConnection, PaymentProviderConnection, ShopConnection
from syncs.services.locks import FlowLeaseLost

# The Shopify connector's exceptions carry their own code (syncs/errors/classify.py reads it).
# First match wins: subclasses before their bases. A missing one-to-one connection raises
# ``Integration.<name>.RelatedObjectDoesNotExist``, a subclass of the connection's DoesNotExist.
KNOWN_EXCEPTION_CODES: tuple[tuple[type[BaseException], str], ...] = (
    (BusinessCentralConnection.DoesNotExist, "BC-010"),
    (BCAccessKeyRejected, "BC-751"),
    (ShopConnection.DoesNotExist, "SHOP-010"),
    (PaymentProviderConnection.DoesNotExist, "PAY-010"),
    (StripeAuthError, "PAY-011"),
    (StripeError, "PAY-012"),
    (FieldTooLong, "MAP-018"),
    (FlowLeaseLost, "SYS-003"),
    (SecretDecryptionError, "SYS-004"),
    (ImproperlyConfigured, "SYS-005"),
)

# Class names a transport failure has, whichever client raised it (requests, urllib3, connectors).
NETWORK_NAMES = frozenset(
    {"ConnectionError", "Timeout", "ConnectTimeout", "ReadTimeout", "TimeoutError", "BCTransportError"}
)


def is_network_error(exc: BaseException | None) -> bool:
    if exc is None:
        return False
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & NETWORK_NAMES) or any(("Transport" in n or "Timeout" in n) for n in names)


def known_exception_code(exc: BaseException) -> str | None:
    """The catalogue code of a known exception type; None for anything else."""
    for exc_type, code in KNOWN_EXCEPTION_CODES:
        if isinstance(exc, exc_type):
            return code
    return None
