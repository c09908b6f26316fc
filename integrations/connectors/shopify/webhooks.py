"""Shopify webhooks: the signature check, the subscription mutation, and reading topic bodies.

The signature is HMAC-SHA256 of the raw body with the app's secret, base64 (``X-Shopify-Hmac-Sha256``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from integrations.connectors.shopify import queries
from integrations.connectors.shopify import types as t
from integrations.connectors.shopify.exceptions import ShopifyError, ShopifyUserError
from integrations.connectors.shopify.transport import ShopifyTransport

# Shopify's own payloads stay far below this; the cap bounds the work an attacker can cause.
DEFAULT_MAX_BYTES = 1_000_000


def webhook_signature(*, raw_body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_verify(
    *,
    raw_body: bytes,
    hmac_header: str,
    secret: str = "",
    secrets: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bool:
    """True when ``hmac_header`` is the signature of ``raw_body`` with ``secret`` or one of ``secrets``
    (the app's current and previous client secret while it is rotated).

    An oversized body is refused without hashing it (callers that want to answer 413 compare the
    length first). An empty secret never verifies: an unconfigured connection accepts nothing.
    """
    candidates = [s for s in (secret, *secrets) if s]
    if len(raw_body) > max_bytes or not candidates or not hmac_header:
        return False
    given = hmac_header.strip().encode()
    return any(
        hmac.compare_digest(webhook_signature(raw_body=raw_body, secret=candidate).encode(), given)
        for candidate in candidates
    )


def webhook_subscribe(transport: ShopifyTransport, *, topic: str, uri: str) -> t.WebhookSubscription:
    """``topic`` as in the webhook header (``orders/create``) or the enum (``ORDERS_CREATE``)."""
    enum = topic.upper().replace("/", "_")
    data = transport.execute(queries.WEBHOOK_SUBSCRIBE, {"topic": enum, "sub": {"uri": uri, "format": "JSON"}})[
        "webhookSubscriptionCreate"
    ]
    user_errors = data.get("userErrors") or []
    if user_errors:
        message = "; ".join(str(e.get("message", "")) for e in user_errors)
        raise ShopifyUserError(f"webhookSubscriptionCreate refused: {message}", user_errors=user_errors)
    sub = data["webhookSubscription"]
    return t.WebhookSubscription(id=sub["id"], topic=sub["topic"], uri=sub.get("uri") or uri)


def webhook_subscriptions(transport: ShopifyTransport, *, page_size: int = 100) -> list[t.WebhookSubscription]:
    """Every subscription the app holds in this shop (topics in the enum form, ``ORDERS_CREATE``)."""
    found: list[t.WebhookSubscription] = []
    after = None
    while True:
        data = transport.execute(queries.WEBHOOK_SUBSCRIPTIONS_PAGE, {"first": page_size, "after": after})[
            "webhookSubscriptions"
        ]
        found += [t.WebhookSubscription(id=n["id"], topic=n["topic"], uri=n.get("uri") or "") for n in data["nodes"]]
        page = data.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            return found
        after = page.get("endCursor")


def webhook_unsubscribe(transport: ShopifyTransport, *, subscription_id: str) -> None:
    data = transport.execute(queries.WEBHOOK_UNSUBSCRIBE, {"id": subscription_id})["webhookSubscriptionDelete"]
    user_errors = data.get("userErrors") or []
    if user_errors:
        message = "; ".join(str(e.get("message", "")) for e in user_errors)
        raise ShopifyUserError(f"webhookSubscriptionDelete refused: {message}", user_errors=user_errors)


def _gid(kind: str, value) -> str:
    text = str(value or "")
    if not text or text.startswith("gid://"):
        return text
    return f"gid://shopify/{kind}/{text}"


def _edit_lines(rows) -> tuple[t.OrderEditLine, ...]:
    lines = []
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, dict) and row.get("id") is not None:
            delta = row.get("delta")
            lines.append(t.OrderEditLine(line_item_id=_gid("LineItem", row["id"]), delta=int(delta or 0)))
    return tuple(lines)


def order_edit_from_webhook(payload: dict) -> t.OrderEdit:
    """The ``orders/edited`` body: ``{"order_edit": {"id", "order_id", "line_items": {"additions", "removals"}}}``.

    It describes the edit, not the order: the caller re-reads the order by ``order_id``.
    """
    edit = payload.get("order_edit") if isinstance(payload, dict) else None
    if not isinstance(edit, dict) or not edit.get("order_id"):
        raise ShopifyError("The orders/edited webhook body has no order_edit.order_id.")
    line_items = edit.get("line_items")
    if not isinstance(line_items, dict):
        line_items = {}
    return t.OrderEdit(
        id=str(edit.get("id") or ""),
        order_id=_gid("Order", edit["order_id"]),
        created_at=str(edit.get("created_at") or ""),
        additions=_edit_lines(line_items.get("additions")),
        removals=_edit_lines(line_items.get("removals")),
    )
