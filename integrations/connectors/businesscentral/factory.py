"""Build a client for a stored BusinessCentralConnection."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from integrations.connectors.businesscentral.client import BusinessCentralClient
from integrations.connectors.businesscentral.transport import CredentialsProvider, TokenProvider

ON_PREMISES = "on_premises"  # BusinessCentralConnection.Deployment.ON_PREMISES (no model import)


def client_for_connection(
    connection: Any,
    *,
    token_provider: TokenProvider | None = None,
    credentials: CredentialsProvider | None = None,
    session: requests.Session | None = None,
    **options: Any,
) -> BusinessCentralClient:
    """``connection`` is an integrations.models.BusinessCentralConnection (duck-typed: no model import).

    Online: the API root is ``BC_API_ROOT`` (or the connection's support-only override) with the
    Entra tenant and environment; on-premises: the connection's server instance root.
    """
    on_premises = getattr(connection, "deployment", "") == ON_PREMISES
    return BusinessCentralClient(
        api_root=connection.on_premises_root if on_premises else (connection.api_root_override or settings.BC_API_ROOT),
        tenant_id="" if on_premises else connection.entra_tenant_id,
        environment=connection.environment_name,
        on_premises=on_premises,
        company_id=connection.company_id,
        company_name=connection.company_name,
        token_provider=token_provider,
        credentials=credentials,
        session=session,
        **options,
    )
