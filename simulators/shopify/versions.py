"""The Admin API versions the simulator serves, and how it answers others.

Shopify serves each stable version for about twelve months. A request for a version past support
is answered by the oldest supported stable version, and the answer's ``X-Shopify-API-Version``
header names the version that served it (shopify.dev, "About Shopify API versioning"). The
simulator holds one schema (schema.graphql, the 2026-10 subset), so it serves that version; an
older, well-formed version falls forward to it. A version newer than the newest it holds, or one
that is not ``YYYY-MM``/``unstable``, answers 404 (assumption: Shopify's answer to a version that
does not exist yet is not documented).
"""

from __future__ import annotations

SERVED_VERSION = "2026-10"
SUPPORTED_VERSIONS = (SERVED_VERSION,)


def resolve(requested: str) -> str | None:
    """The version that answers a request for ``requested``; None when it is refused (404)."""
    if requested in SUPPORTED_VERSIONS:
        return requested
    if requested != "unstable" and requested < SUPPORTED_VERSIONS[0]:
        return SUPPORTED_VERSIONS[0]  # past support: the oldest supported version answers
    return None
