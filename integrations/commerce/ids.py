"""Record ids in the commerce model: platform record URIs such as ``gid://shopify/Order/1001``."""

from __future__ import annotations


def id_tail(record_id: str) -> str:
    """``gid://shopify/Order/1001`` -> ``1001``: the platform's own number (Shopify's REST / legacy id)."""
    return record_id.rsplit("/", 1)[-1] if record_id else ""
