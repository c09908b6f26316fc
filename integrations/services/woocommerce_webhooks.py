"""The webhooks the product keeps in a WooCommerce store.

They deliver to ``{SITE_URL}/hooks/woocommerce/<integration>/``, signed with the integration's own
secret. Orders and refunds need ``order.created`` and ``order.updated`` (WooCommerce announces a
refund as ``order.updated``, reference: webhooks.topics); products and stock go from Business
Central to the store, so no product topic is needed. Replacing deletes every webhook the product
created before (by id, and any other at the same address) and saves the wanted ones; WooCommerce
pings each new one and the intake answers the ping with 200.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from integrations.connectors.woocommerce import WebhookCreate, WooCommerceClient, WooError, WooNotFound, WooWebhook
from integrations.crypto import reveal
from integrations.models import Integration, ShopConnection
from integrations.services.shop_clients import woo_client_for

logger = logging.getLogger(__name__)

WEBHOOK_SETUP_FAILED = "WOO-012"

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
    keep_matching: bool = False,
) -> list[WooWebhook]:
    """Make the store's webhooks to this integration exactly ``topics``; return the ones it now has.

    With a new secret (connecting) every earlier one is deleted and all are saved again; with the
    same secret (``keep_matching``, the flows changed) an active webhook of a wanted topic is kept.
    Raises the connector's errors (WooAuthError for a key that may only read)."""
    address = woo_webhook_address(integration_id=integration.pk)
    ours = [w for w in client.webhooks_list() if w.id in set(known_ids) or w.delivery_url == address]
    kept: dict[str, WooWebhook] = {}
    for webhook in ours:
        wanted = webhook.topic in topics and webhook.topic not in kept and webhook.status == "active"
        if keep_matching and wanted and webhook.delivery_url == address:
            kept[webhook.topic] = webhook
            continue
        try:
            client.webhook_delete(webhook.id)
        except WooNotFound:  # deleted in the store meanwhile
            continue
    name = f"Junipeer BC ({integration.name})"[:200]
    created = [
        client.webhook_create(WebhookCreate(name=name, topic=topic, delivery_url=address, secret=secret))
        for topic in topics
        if topic not in kept
    ]
    return [*kept.values(), *created]


def woo_webhooks_reconcile_for(*, integration_id: int) -> list[str] | None:
    """After the flows changed: the store's webhooks made to match them with the stored secret.
    None when no WooCommerce store is connected; a failure is recorded as WOO-012 and raised."""
    connection = (
        ShopConnection.objects.select_related("integration")
        .filter(integration_id=integration_id, platform=ShopConnection.Platform.WOOCOMMERCE)
        .exclude(verified_at=None)
        .first()
    )
    if connection is None or connection.integration.status == Integration.Status.DISABLED:
        return None
    try:
        webhooks = woo_webhooks_replace(
            integration=connection.integration,
            client=woo_client_for(connection=connection),
            secret=reveal(connection.webhook_secret),
            known_ids=list(connection.store_webhook_ids or []),
            topics=woo_webhook_topics(integration=connection.integration),
            keep_matching=True,
        )
    except WooError as error:
        ShopConnection.objects.filter(pk=connection.pk).update(
            webhook_error_code=WEBHOOK_SETUP_FAILED,
            last_error=f"{WEBHOOK_SETUP_FAILED}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        logger.warning("WooCommerce webhooks of integration %s failed: %s", integration_id, error.code)
        raise
    ShopConnection.objects.filter(pk=connection.pk).update(
        store_webhook_ids=[webhook.id for webhook in webhooks],
        webhook_error_code="",
        webhooks_checked_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return [webhook.topic for webhook in webhooks]


def woo_webhooks_reconcile_queue(*, integration_id: int) -> bool:
    """After the flows changed (wizard or admin): a worker reconciles the store's webhooks once the
    change is committed. False when no WooCommerce store is connected."""
    connected = ShopConnection.objects.filter(
        integration_id=integration_id, platform=ShopConnection.Platform.WOOCOMMERCE
    ).exclude(verified_at=None)
    if not connected.exists():
        return False
    transaction.on_commit(partial(async_task, "integrations.tasks.woo_webhooks_reconcile_task", integration_id))
    return True
