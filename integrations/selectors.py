"""Read-side of the integrations app. Every merchant read is scoped to the user's tenant."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from integrations.models import BusinessCentralConnection, Integration, Tenant


def tenant_for_user(*, user) -> Tenant | None:
    if not user.is_authenticated:
        return None
    return Tenant.objects.filter(memberships__user=user).first()


def integration_list_for_user(*, user) -> QuerySet[Integration]:
    if not user.is_authenticated:
        return Integration.objects.none()
    return (
        Integration.objects.filter(tenant__memberships__user=user)
        .select_related("tenant", "bc_connection", "shop_connection")
        .order_by("name", "pk")
    )


def integration_get_for_user(*, user, integration_id: int) -> Integration:
    """The user's integration, or Http404 (never 403: another tenant's ids are not revealed)."""
    integration = integration_list_for_user(user=user).filter(pk=integration_id).first()
    if integration is None:
        raise Http404("No such integration.")
    return integration


def bc_connection_for_integration(*, integration: Integration) -> BusinessCentralConnection | None:
    return BusinessCentralConnection.objects.filter(integration=integration).first()


def integration_for_shop_install(*, user, shop_domain: str) -> Integration | None:
    """The integration an install from Shopify belongs to: the one with that shop, else the user's
    first integration without a connected shop."""
    integrations = integration_list_for_user(user=user)
    return (
        integrations.filter(shop_connection__shop_domain=shop_domain).first()
        or integrations.filter(Q(shop_connection__isnull=True) | Q(shop_connection__verified_at__isnull=True)).first()
    )
