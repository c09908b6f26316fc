"""Microsoft Entra ID simulator (authorize, token, OpenID configuration, keys, admin consent)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulators.identity.app import IdentitySimulator
from simulators.identity.directory import (
    ADATUM_TENANT_ID,
    CONSENT_ALLOWED,
    CONSENT_BLOCKED,
    CONSENT_VERIFIED_ONLY,
    CONSENT_WORKFLOW,
    CONSUMERS_TENANT_ID,
    CONTOSO_TENANT_ID,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PASSWORD,
    FABRIKAM_TENANT_ID,
    LEDGER_TENANT_ID,
    NORTHWIND_TENANT_ID,
    PARTNER_TENANT_ID,
    SimClient,
    SimTenant,
    SimUser,
)
from simulators.identity.tokens import Principal
from simulators.server import RunningServer, serve
from simulators.tls import make_loopback_certificate

__all__ = [
    "ADATUM_TENANT_ID",
    "CONSENT_ALLOWED",
    "CONSENT_BLOCKED",
    "CONSENT_VERIFIED_ONLY",
    "CONSENT_WORKFLOW",
    "CONSUMERS_TENANT_ID",
    "FABRIKAM_TENANT_ID",
    "LEDGER_TENANT_ID",
    "NORTHWIND_TENANT_ID",
    "PARTNER_TENANT_ID",
    "SimTenant",
    "CONTOSO_TENANT_ID",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_PASSWORD",
    "IdentityServer",
    "IdentitySimulator",
    "Principal",
    "SimClient",
    "SimUser",
    "serve_identity",
]


@dataclass
class IdentityServer:
    """The simulator served over TLS on loopback (msal accepts only https authorities)."""

    url: str
    sim: IdentitySimulator
    cert_file: Path
    _server: RunningServer

    def stop(self) -> None:
        self._server.stop()


def serve_identity(sim: IdentitySimulator | None = None, *, port: int = 0) -> IdentityServer:
    sim = sim or IdentitySimulator()
    cert = make_loopback_certificate()
    running = serve(sim, port=port, tls=cert.server_context())
    sim.base_url = running.url
    return IdentityServer(url=running.url, sim=sim, cert_file=cert.cert_file, _server=running)
