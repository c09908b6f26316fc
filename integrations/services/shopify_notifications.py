"""E-mails about the shop connection: reconnect (a refused token refresh), app uninstalled."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from integrations.models import Integration, TenantMembership

logger = logging.getLogger(__name__)


def _recipients(integration: Integration) -> list[str]:
    owners = TenantMembership.objects.filter(tenant=integration.tenant, role=TenantMembership.Role.OWNER)
    return sorted({integration.tenant.contact_email, *owners.values_list("user__email", flat=True)} - {""})


def shop_reconnect_url(*, integration_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("merchant:wizard_connect", kwargs={"integration_id": integration_id})


def shop_reauth_mail_send(*, integration_id: int) -> list[str]:
    """Ask the merchant to reconnect the shop (install the app again). Returns the recipients."""
    integration = Integration.objects.select_related("tenant").get(pk=integration_id)
    recipients = _recipients(integration)
    if not recipients:
        logger.warning("Integration %s has nobody to e-mail about reconnecting the shop", integration_id)
        return []
    send_mail(
        subject=f"Reconnect your Shopify shop for {integration.name}",
        message=(
            f"Hello,\n\nShopify no longer accepts the connection between your shop and {integration.name}. "
            f'Open this link and choose "Connect Shopify" to approve the app again:\n\n'
            f"{shop_reconnect_url(integration_id=integration_id)}\n\n"
            "Until then, syncing waits; every order is picked up as soon as the shop is connected again.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return recipients


def shop_uninstalled_mail_send(*, integration_id: int, shop_domain: str) -> list[str]:
    """Tell the merchant and support that the app was removed from the shop."""
    integration = Integration.objects.select_related("tenant").get(pk=integration_id)
    recipients = _recipients(integration)
    url = shop_reconnect_url(integration_id=integration_id)
    if recipients:
        send_mail(
            subject=f"The app was removed from {shop_domain}",
            message=(
                f"Hello,\n\nThe app was uninstalled from your shop {shop_domain}, so {integration.name} is paused. "
                f"Your settings are kept: to continue, install the app again here:\n\n{url}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    send_mail(
        subject=f"[support] App uninstalled: {shop_domain} ({integration.tenant.name})",
        message=f"The app was uninstalled from {shop_domain}; integration #{integration_id} is paused.\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[settings.SUPPORT_EMAIL],
    )
    return recipients
