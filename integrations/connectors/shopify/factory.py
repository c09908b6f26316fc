"""Build a client for a stored ShopConnection."""

from __future__ import annotations

from typing import Any

import requests

from integrations.connectors.shopify.platform import ShopifyPlatform
from integrations.connectors.shopify.transport import TokenProvider


def stored_token_provider(connection: Any) -> TokenProvider:
    """The connection's stored access token, read (and decrypted) at each request."""

    def provide() -> str:
        token = connection.access_token
        return token.reveal() if hasattr(token, "reveal") else str(token or "")

    return provide


def client_for_connection(
    connection: Any,
    *,
    token_provider: TokenProvider | None = None,
    session: requests.Session | None = None,
    **options: Any,
) -> ShopifyPlatform:
    """``connection`` is an integrations.models.ShopConnection (duck-typed: no model import).

    ``token_provider`` returns the current access token for every request (e.g. one that refreshes
    an expiring token); by default the connection's stored token is used.
    """
    return ShopifyPlatform(
        shop_domain=connection.shop_domain,
        token_provider=token_provider or stored_token_provider(connection),
        session=session,
        **options,
    )
