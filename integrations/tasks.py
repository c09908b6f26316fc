"""django-q2 tasks of the integrations app: thin wrappers that call one service."""

from __future__ import annotations

from integrations.services.bc_auth import bc_tokens_refresh_all
from integrations.services.shopify_subscriptions import shop_webhooks_reconcile_for
from integrations.services.shopify_tokens import shop_tokens_refresh_all
from integrations.services.woocommerce_webhooks import woo_webhooks_reconcile_for


def bc_tokens_refresh_task() -> dict:
    """Hourly: refresh Business Central tokens that expire soon or were idle for a week."""

    summary = bc_tokens_refresh_all()
    return {"refreshed": summary.refreshed, "skipped": summary.skipped, "failed": summary.failed}


def shop_tokens_refresh_task() -> dict:
    """Every 15 minutes: refresh expiring Shopify app tokens (and each refresh token weekly)."""

    summary = shop_tokens_refresh_all()
    return {"refreshed": summary.refreshed, "skipped": summary.skipped, "failed": summary.failed}


def shop_webhooks_reconcile_task(integration_id: int) -> dict:
    """After the flows changed: the shop's webhook subscriptions made to match them."""

    result = shop_webhooks_reconcile_for(integration_id=integration_id)
    return {"created": list(result.created), "removed": list(result.removed)} if result else {}


def woo_webhooks_reconcile_task(integration_id: int) -> dict:
    """After the flows changed: the WooCommerce store's webhooks made to match them."""

    topics = woo_webhooks_reconcile_for(integration_id=integration_id)
    return {"topics": topics} if topics is not None else {}
