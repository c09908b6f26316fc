"""The webhooks the product keeps in a WooCommerce store.

They deliver to ``{SITE_URL}/hooks/woocommerce/<integration>/``, signed with the integration's own
secret. Orders and refunds need ``order.created`` and ``order.updated`` (WooCommerce announces a
refund as ``order.updated``, reference: webhooks.topics); products and stock go from Business
Central to the store, so no product topic is needed. Replacing deletes every webhook the product
created before (by id, and any other at the same address) and saves the wanted ones; WooCommerce
pings each new one and the intake answers the ping with 200.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from integrations.connectors.woocommerce import WebhookCreate, WooCommerceClient, WooNotFound, WooWebhook
from integrations.models import Integration

ORDER_TOPICS = ("order.created", "order.updated")


def woo_webhook_address(*, integration_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("hooks:woocommerce", kwargs={"integration_id": integration_id})


def woo_webhook_topics(*, integration: Integration) -> tuple[str, ...]:
    if integration.orders_enabled or integration.refunds_enabled:
        return ORDER_TOPICS
    return ()


def woo_webhooks_replace(
    *,
    integration: Integration,
    client: WooCommerceClient,
    secret: str,
    known_ids: list[int],
    topics: tuple[str, ...],
) -> list[WooWebhook]:
    """Make the store's webhooks to this integration exactly ``topics``; return the ones created.

    Raises the connector's errors (WooAuthError for a key that may only read)."""
    address = woo_webhook_address(integration_id=integration.pk)
    stale = {int(i) for i in known_ids}
    stale |= {webhook.id for webhook in client.webhooks_list() if webhook.delivery_url == address}
    for webhook_id in sorted(stale):
        try:
            client.webhook_delete(webhook_id)
        except WooNotFound:  # deleted in the store meanwhile
            continue
    name = f"Junipeer BC ({integration.name})"[:200]
    return [
        client.webhook_create(WebhookCreate(name=name, topic=topic, delivery_url=address, secret=secret))
        for topic in topics
    ]
