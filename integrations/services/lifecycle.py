"""Support operations on an integration's status: pause, resume, ask the merchant to reconnect."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from integrations.models import Integration, TenantMembership

# Merchant page that starts the Business Central sign-in again for one integration. The onboarding
# URLconf provides it; until it exists the link falls back to the merchant home page.
RECONNECT_URL_NAME = "merchant:reconnect"
PAUSABLE = (Integration.Status.TESTING, Integration.Status.LIVE, Integration.Status.NEEDS_REAUTH)


class IntegrationActionError(Exception):
    """A support action that does not apply to this integration; the message says why."""


def integration_pause(*, integration_id: int, reason: str = Integration.PauseReason.SUPPORT) -> bool:
    """Stop scheduled syncs, saying why. False when the integration was not in a pausable state."""
    return bool(
        Integration.objects.filter(pk=integration_id, status__in=PAUSABLE).update(
            status=Integration.Status.PAUSED, pause_reason=reason, paused_at=timezone.now()
        )
    )


def integration_resume(*, integration_id: int) -> bool:
    """Back to live when it had gone live, to testing otherwise. False when it was not paused."""
    integration = Integration.objects.filter(pk=integration_id, status=Integration.Status.PAUSED).first()
    if integration is None:
        return False
    status = Integration.Status.LIVE if integration.went_live_at else Integration.Status.TESTING
    return bool(
        Integration.objects.filter(pk=integration_id, status=Integration.Status.PAUSED).update(
            status=status, pause_reason="", paused_at=None
        )
    )


def _reconnect_url(*, integration_id: int) -> str:
    base = settings.SITE_URL.rstrip("/")
    for name, kwargs in ((RECONNECT_URL_NAME, {"integration_id": integration_id}), ("merchant:home", {})):
        try:
            return base + reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return base + "/"


def integration_reconnect_link_send(*, integration_id: int) -> list[str]:
    """E-mail the tenant's contact and owners a link to sign in to Business Central again."""
    integration = Integration.objects.select_related("tenant").get(pk=integration_id)
    owners = TenantMembership.objects.filter(tenant=integration.tenant, role=TenantMembership.Role.OWNER)
    recipients = sorted({integration.tenant.contact_email, *owners.values_list("user__email", flat=True)} - {""})
    if not recipients:
        raise IntegrationActionError(f"{integration}: the merchant has no contact e-mail or owner to send to.")
    url = _reconnect_url(integration_id=integration_id)
    send_mail(
        subject=f"Reconnect Business Central for {integration.name}",
        message=(
            f"Hello,\n\nThe connection between {integration.name} and Microsoft Dynamics 365 Business Central "
            "needs you to sign in again. Open this link: it takes you straight to Microsoft's sign-in for the "
            "organisation you connected before; then confirm the company, which is already chosen for you:"
            f"\n\n{url}\n\n"
            "Until then, orders and payouts wait and are synced as soon as the connection is back.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return recipients
