"""Wizard step 1: which flows sync."""

from __future__ import annotations

from django.utils.translation import gettext as _

from integrations.models import (
    Integration,
)
from integrations.selectors import FLOW_FIELDS
from integrations.services.onboarding.errors import (
    OnboardingError,
)
from integrations.services.shopify_subscriptions import shop_webhooks_reconcile_queue
from integrations.services.woocommerce_webhooks import woo_webhooks_reconcile_queue


def integration_flows_save(*, integration: Integration, flows: dict[str, bool]) -> Integration:
    if not any(flows.get(name) for name in FLOW_FIELDS if name != "products_bidirectional"):
        raise OnboardingError(_("Choose at least one flow to sync."))
    for name in FLOW_FIELDS:
        setattr(integration, name, bool(flows.get(name)))
    if not integration.products_enabled:
        integration.products_bidirectional = False
    integration.save(update_fields=[*FLOW_FIELDS, "updated_at"])
    # The shop's webhook subscriptions follow the flows (a worker reconciles them with the shop).
    shop_webhooks_reconcile_queue(integration_id=integration.pk)
    woo_webhooks_reconcile_queue(integration_id=integration.pk)
    return integration
