"""The webhook subscriptions the product holds in each shop: created on connect, reconciled daily
and after settings change, removed on disconnect.

Shopify keeps an app's subscriptions per shop; every one found there is the product's own. The
wanted set follows the enabled flows, always with app/uninstalled, at
``{SITE_URL}/hooks/shopify/<integration>/``. Missing ones are created, others (a flow switched off,
an old address) deleted. A failure is recorded on the connection as SHOP-022 (the sweep keeps
syncing meanwhile) and raised for the caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_q.tasks import async_task

from integrations.connectors.shopify import ShopifyClient
from integrations.connectors.shopify.exceptions import ShopifyError
from integrations.models import Integration, ShopConnection
from integrations.services.shopify_tokens import shop_client_for

logger = logging.getLogger(__name__)

WEBHOOK_SETUP_FAILED = "SHOP-022"
ALWAYS = ("APP_UNINSTALLED",)
# integration switch -> topics (Shopify's enum form)
TOPICS_BY_SWITCH: dict[str, tuple[str, ...]] = {
    "orders_enabled": ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED", "ORDERS_EDITED"),
    "refunds_enabled": ("REFUNDS_CREATE",),
    "products_enabled": ("PRODUCTS_UPDATE",),
    "stock_enabled": ("INVENTORY_LEVELS_UPDATE",),
}


class ShopWebhookSetupError(Exception):
    code = WEBHOOK_SETUP_FAILED

    def __init__(self, message: str, *, cause_code: str = "") -> None:
        super().__init__(message)
        self.cause_code = cause_code


@dataclass(frozen=True)
class ReconcileResult:
    created: tuple[str, ...]
    removed: tuple[str, ...]
    kept: int


def shop_webhook_address(*, integration_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("hooks:shopify", kwargs={"integration_id": integration_id})


def shop_webhook_topics(*, integration: Integration) -> set[str]:
    topics = set(ALWAYS)
    for switch, names in TOPICS_BY_SWITCH.items():
        if getattr(integration, switch, False):
            topics.update(names)
    return topics


def shop_webhooks_reconcile(*, integration: Integration, client: ShopifyClient) -> ReconcileResult:
    """Make the shop's subscriptions exactly the wanted ones. Raises ShopWebhookSetupError (recorded)."""
    address = shop_webhook_address(integration_id=integration.pk)
    wanted = {(topic, address) for topic in shop_webhook_topics(integration=integration)}
    created: list[str] = []
    removed: list[str] = []
    try:
        existing = client.webhook_subscriptions()
        have = set()
        for subscription in existing:
            key = (subscription.topic, subscription.uri)
            if key in wanted and key not in have:
                have.add(key)
                continue
            client.webhook_unsubscribe(subscription.id)
            removed.append(subscription.topic)
        for topic, uri in sorted(wanted - have):
            client.webhook_subscribe(topic, uri)
            created.append(topic)
    except ShopifyError as error:
        ShopConnection.objects.filter(integration=integration).update(
            webhook_error_code=WEBHOOK_SETUP_FAILED,
            last_error=f"{WEBHOOK_SETUP_FAILED}: {error.code}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        logger.warning("Webhook subscriptions of integration %s failed: %s", integration.pk, error.code)
        raise ShopWebhookSetupError(str(error), cause_code=error.code) from error
    ShopConnection.objects.filter(integration=integration).update(
        webhook_error_code="", webhooks_checked_at=timezone.now(), updated_at=timezone.now()
    )
    return ReconcileResult(created=tuple(created), removed=tuple(removed), kept=len(wanted) - len(created))


def shop_webhooks_remove(*, client: ShopifyClient) -> int:
    """Delete every subscription the product holds in the shop (disconnect)."""
    subscriptions = client.webhook_subscriptions()
    for subscription in subscriptions:
        client.webhook_unsubscribe(subscription.id)
    return len(subscriptions)


def shop_webhooks_reconcile_for(*, integration_id: int) -> ReconcileResult | None:
    """Reconcile one integration's subscriptions with its own client; None when there is nothing
    to do (no shop, app uninstalled). Failures are recorded (SHOP-022) and raised."""
    from_connection = (
        ShopConnection.objects.select_related("integration")
        .filter(integration_id=integration_id, uninstalled_at__isnull=True)
        .exclude(access_token="")
        .first()
    )
    if from_connection is None or from_connection.integration.status == Integration.Status.DISABLED:
        return None
    client = shop_client_for(connection=from_connection)
    return shop_webhooks_reconcile(integration=from_connection.integration, client=client)


def shop_webhooks_reconcile_queue(*, integration_id: int) -> bool:
    """After the flows changed (wizard or admin): a worker reconciles the subscriptions once the
    change is committed. False when no shop is connected."""
    connected = ShopConnection.objects.filter(integration_id=integration_id, uninstalled_at__isnull=True)
    if not connected.exclude(access_token="").exists():
        return False
    transaction.on_commit(partial(async_task, "integrations.tasks.shop_webhooks_reconcile_task", integration_id))
    return True


def shop_webhooks_reconcile_all() -> dict:
    """Daily: every connected shop's subscriptions made right; failures counted, not raised."""
    reconciled, failed = 0, []
    ids = (
        ShopConnection.objects.filter(uninstalled_at__isnull=True)
        .exclude(access_token="")
        .values_list("integration_id", flat=True)
    )
    for integration_id in ids:
        try:
            if shop_webhooks_reconcile_for(integration_id=integration_id) is not None:
                reconciled += 1
        except (ShopWebhookSetupError, ShopifyError) as error:
            failed.append((integration_id, getattr(error, "code", WEBHOOK_SETUP_FAILED)))
    return {"reconciled": reconciled, "failed": failed}
