"""The demo's people and the merchant's (not yet connected) integration. Idempotent for ``--keep``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from integrations.models import Integration, TenantMembership
from syncs.demo.config import (
    DEMO_INTERVAL_MINUTES,
    INTEGRATION_NAME,
    MERCHANT_ORGANISATION,
    MERCHANT_PASSWORD,
    MERCHANT_USERNAME,
    SUPPORT_PASSWORD,
    SUPPORT_USERNAME,
)

INTERVAL_FIELDS = (
    "orders_interval_minutes",
    "stock_interval_minutes",
    "products_interval_minutes",
    "payouts_interval_minutes",
)


@dataclass(frozen=True)
class DemoSeed:
    integration_id: int
    created: bool


@transaction.atomic
def demo_seed() -> DemoSeed:
    from integrations.services.onboarding.signup import integration_create, merchant_signup

    user_model = get_user_model()
    if not user_model.objects.filter(username=SUPPORT_USERNAME).exists():
        user_model.objects.create_superuser(
            username=SUPPORT_USERNAME, email="support@localhost", password=SUPPORT_PASSWORD
        )
    membership = TenantMembership.objects.filter(user__username=MERCHANT_USERNAME).select_related("tenant").first()
    if membership is None:
        user = merchant_signup(
            email=MERCHANT_USERNAME, password=MERCHANT_PASSWORD, organisation_name=MERCHANT_ORGANISATION
        )
        membership = TenantMembership.objects.select_related("tenant").get(user=user)
    integration = membership.tenant.integrations.order_by("pk").first()
    created = integration is None
    if created:
        integration = integration_create(tenant=membership.tenant, name=INTEGRATION_NAME)
        # Short schedules so a newcomer sees documents within a minute or two of going live.
        Integration.objects.filter(pk=integration.pk).update(
            **{name: DEMO_INTERVAL_MINUTES for name in INTERVAL_FIELDS}
        )
    return DemoSeed(integration_id=integration.pk, created=created)
