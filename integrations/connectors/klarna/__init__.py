"""Klarna Settlements API v1 connector: payouts and their transactions (HTTP Basic, regional hosts)."""

from integrations.connectors.klarna.client import HOSTS, KlarnaClient, base_url
from integrations.connectors.klarna.exceptions import (
    KlarnaAuthError,
    KlarnaBadRequest,
    KlarnaError,
    KlarnaNotFound,
    KlarnaServerError,
    KlarnaTransportError,
)
from integrations.connectors.klarna.records import SIGN, KlarnaPayout, KlarnaTransaction
from integrations.connectors.klarna.transport import Transport


def klarna_client(*, username: str, password: str, region: str, environment: str, api_root: str = "") -> KlarnaClient:
    return KlarnaClient(
        transport=Transport(username=username, password=password),
        region=region,
        environment=environment,
        api_root=api_root,
    )


__all__ = [
    "HOSTS",
    "SIGN",
    "KlarnaAuthError",
    "KlarnaBadRequest",
    "KlarnaClient",
    "KlarnaError",
    "KlarnaNotFound",
    "KlarnaPayout",
    "KlarnaServerError",
    "KlarnaTransaction",
    "KlarnaTransportError",
    "Transport",
    "base_url",
    "klarna_client",
]
