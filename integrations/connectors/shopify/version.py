"""The one Shopify Admin API version the product speaks.

Upgrading is this one line: tests/contracts/test_shopify_contract.py then validates every document
the connector can send against the reference schema of the new version, and the simulator serves
only this version. Shopify supports a stable version for about twelve months; a request for a
version past support is answered by the oldest supported one (``X-Shopify-API-Version`` names it),
which the transport logs and counts as drift.
"""

SHOPIFY_API_VERSION = "2026-10"
