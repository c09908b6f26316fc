"""Links from a merchant page to a document in Business Central online (none on-premises)."""

from __future__ import annotations

from integrations.connectors.businesscentral.endpoints import web_client_document_url
from integrations.models import BusinessCentralConnection


def bc_document_url(*, connection: BusinessCentralConnection | None, kind: str, posted: bool, number: str) -> str:
    """BC online's page of the document; "" on-premises or for a support-set API root (no known web client)."""
    if connection is None or connection.is_on_premises or connection.api_root_override:
        return ""
    return web_client_document_url(
        tenant_id=connection.entra_tenant_id,
        environment=connection.environment_name,
        company_name=connection.company_name,
        kind=kind,
        posted=posted,
        number=number,
    )
