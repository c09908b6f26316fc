"""Build a client for a stored BusinessCentralConnection."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from integrations.connectors.businesscentral.client import BusinessCentralClient
from integrations.connectors.businesscentral.transport import TokenProvider


def client_for_connection(
    connection: Any,
    *,
    token_provider: TokenProvider,
    session: requests.Session | None = None,
    **options: Any,
) -> BusinessCentralClient:
    """``connection`` is an integrations.models.BusinessCentralConnection (duck-typed: no model import)."""
    return BusinessCentralClient(
        api_root=connection.api_root_override or settings.BC_API_ROOT,
        tenant_id=connection.entra_tenant_id,
        environment=connection.environment_name,
        company_id=connection.company_id,
        company_name=connection.company_name,
        token_provider=token_provider,
        session=session,
        **options,
    )
