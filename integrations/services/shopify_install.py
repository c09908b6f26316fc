"""Connecting a shop the way a Shopify app does: install (authorization code grant), reinstall,
uninstall, disconnect, and support's custom-app token.

The merchant names the shop (or arrives from Shopify's install link); the browser goes to Shopify's
authorization page with the scopes below and a single-use ``state`` kept in the session. Shopify's
callback is checked (state, ``hmac`` with the client secret, shop domain, timestamp age) and its
code exchanged for an expiring offline token (shopify_tokens refreshes it). The webhook
subscriptions are then created (shopify_subscriptions).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.connectors.shopify import ShopifyClient, oauth
from integrations.connectors.shopify.exceptions import ShopifyAuthError, ShopifyError, ShopifyOAuthError
from integrations.crypto import Secret
from integrations.models import Integration, PaymentProviderConnection, ShopConnection
from integrations.services.shopify_notifications import shop_uninstalled_mail_send
from integrations.services.shopify_subscriptions import (
    ShopWebhookSetupError,
    shop_webhooks_reconcile,
    shop_webhooks_remove,
)
from integrations.services.shopify_tokens import shop_client_for

logger = logging.getLogger(__name__)

SESSION_KEY = "shopify_install"
INSTALL_FAILED = "SHOP-020"
APP_NOT_CONFIGURED = "SHOP-023"

# Every scope the product asks for, with the reason (docs/onboarding.md lists the same).
SCOPES: dict[str, str | Promise] = {  # lazy translations
    "read_orders": gettext_lazy("read orders and refunds to create invoices and credit memos"),
    "read_all_orders": gettext_lazy("read orders older than 60 days (backfills and the first sync)"),
    "write_orders": gettext_lazy("mark orders as synced with tags and metafields"),
    "read_products": gettext_lazy("match shop products to Business Central items"),
    "write_products": gettext_lazy("create and update products from Business Central"),
    "read_inventory": gettext_lazy("read stock levels before changing them"),
    "write_inventory": gettext_lazy("set stock levels from Business Central"),
    "read_locations": gettext_lazy("map shop locations to Business Central locations"),
    "read_customers": gettext_lazy("create Business Central customers from shop customers"),
    "read_shopify_payments_payouts": gettext_lazy("book Shopify Payments payouts and fees"),
    "read_merchant_managed_fulfillment_orders": gettext_lazy("read fulfilment orders to report shipments"),
    "write_merchant_managed_fulfillment_orders": gettext_lazy("report Business Central shipments as fulfilments"),
}


class ShopInstallError(Exception):
    """The shop cannot be connected; the message tells the merchant what to do."""

    def __init__(self, message: str, *, code: str = INSTALL_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class InstallResult:
    connection: ShopConnection
    missing_scopes: tuple[str, ...]
    webhook_error_code: str = ""
    payments_error_code: str = ""  # Shopify could not say whether the shop uses Shopify Payments


def shop_install_redirect_uri() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("merchant:shop_callback")


def _app_secrets() -> tuple[str, ...]:
    return tuple(s for s in (settings.SHOPIFY_CLIENT_SECRET, settings.SHOPIFY_CLIENT_SECRET_PREVIOUS) if s)


def _configured() -> None:
    if not settings.SHOPIFY_CLIENT_ID or not settings.SHOPIFY_CLIENT_SECRET:
        raise ShopInstallError(
            _("Connecting Shopify is not available right now. Contact support (error %(code)s).")
            % {"code": APP_NOT_CONFIGURED},
            code=APP_NOT_CONFIGURED,
        )


def shop_install_start(*, integration: Integration, shop_domain: str, session: MutableMapping) -> str:
    """Validate the domain and return Shopify's authorization URL (a single-use state in the session)."""
    domain = oauth.shop_domain_clean(shop_domain)
    if domain is None:
        raise ShopInstallError(_("Enter the shop's myshopify.com domain, for example my-shop.myshopify.com."))
    _configured()
    other = ShopConnection.objects.filter(shop_domain=domain).exclude(integration=integration).first()
    if other is not None and other.uninstalled_at is None:
        raise ShopInstallError(
            _("This shop is already connected to another integration. One shop belongs to one integration.")
        )
    state = secrets.token_urlsafe(24)
    session[SESSION_KEY] = {"state": state, "integration_id": integration.pk, "shop": domain}
    return oauth.authorize_url(
        shop_domain=domain,
        client_id=settings.SHOPIFY_CLIENT_ID,
        scopes=SCOPES,
        redirect_uri=shop_install_redirect_uri(),
        state=state,
        api_root=settings.SHOPIFY_API_ROOT,
    )


def shop_install_pending_integration_id(*, session: MutableMapping) -> int | None:
    pending = session.get(SESSION_KEY)
    return pending.get("integration_id") if isinstance(pending, dict) else None


def shop_install_link_verify(*, params: dict) -> str:
    """Shopify's install link (``?shop&timestamp&hmac``): the verified shop domain."""
    _configured()
    domain = oauth.shop_domain_clean(params.get("shop", ""))
    if domain is None or not oauth.query_verify(params=params, secrets=_app_secrets()):
        raise ShopInstallError(_("This install link is not valid. Start again from your Shopify admin."))
    if not oauth.callback_timestamp_fresh(params=params, now=timezone.now()):
        raise ShopInstallError(_("This install link has expired. Start again from your Shopify admin."))
    return domain


def shop_install_complete(
    *, integration: Integration, params: dict, session: MutableMapping, client: ShopifyClient | None = None
) -> InstallResult:
    """Check Shopify's callback, exchange the code, store the token and set up webhooks."""
    _configured()
    pending = session.pop(SESSION_KEY, None)
    expired = _("The connection to Shopify expired or was started elsewhere. Connect Shopify again.")
    if not isinstance(pending, dict) or pending.get("integration_id") != integration.pk:
        raise ShopInstallError(expired)
    if not secrets.compare_digest(str(params.get("state") or ""), str(pending.get("state") or "")):
        raise ShopInstallError(expired)
    if not oauth.query_verify(params=params, secrets=_app_secrets()):
        raise ShopInstallError(_("Shopify's answer could not be verified. Connect Shopify again."))
    domain = oauth.shop_domain_clean(params.get("shop", ""))
    if domain is None or domain != pending.get("shop"):
        raise ShopInstallError(_("Shopify answered for another shop. Connect Shopify again."))
    if not oauth.callback_timestamp_fresh(params=params, now=timezone.now()):
        raise ShopInstallError(expired)
    if params.get("error") or not params.get("code"):
        raise ShopInstallError(_("The app was not installed in Shopify. Connect Shopify again to approve it."))
    try:
        token = oauth.code_exchange(
            shop_domain=domain,
            client_id=settings.SHOPIFY_CLIENT_ID,
            client_secret=settings.SHOPIFY_CLIENT_SECRET,
            code=params["code"],
            api_root=settings.SHOPIFY_API_ROOT,
        )
        probe = client or ShopifyClient(shop_domain=domain, access_token=token.access_token)
        shop = probe.shop_get()
    except ShopifyOAuthError:
        raise ShopInstallError(_("Shopify did not accept the installation. Connect Shopify again.")) from None
    except ShopifyError as error:
        raise ShopInstallError(
            _("Shopify could not be reached (error %(code)s). Try again in a moment.") % {"code": error.code},
            code=error.code,
        ) from None
    now = timezone.now()
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        connection, _created = ShopConnection.objects.select_for_update().get_or_create(
            integration=integration, defaults={"shop_domain": domain}
        )
        was_uninstalled = connection.uninstalled_at is not None
        connection.shop_domain = domain
        connection.platform = ShopConnection.Platform.SHOPIFY
        connection.install_mode = ShopConnection.InstallMode.APP
        connection.access_token = Secret(token.access_token)
        connection.access_token_expires_at = token.expires_at
        connection.refresh_token = Secret(token.refresh_token) if token.refresh_token else ""
        connection.refresh_token_expires_at = token.refresh_token_expires_at
        connection.token_refreshed_at = now
        connection.scopes = sorted(token.scopes)
        connection.webhook_secret = ""
        connection.shop_currency = shop.currency_code
        connection.verified_at = now
        connection.installed_at = now
        connection.uninstalled_at = None
        connection.last_auth_error_code = ""
        connection.last_error = ""
        connection.save()
        bc = getattr(integration, "bc_connection", None)
        bc_ok = bc is None or not bc.last_auth_error_code
        resumes = (integration.status == Integration.Status.NEEDS_REAUTH and bc_ok) or (
            was_uninstalled and integration.status == Integration.Status.PAUSED
        )
        if resumes:
            integration.status = Integration.Status.LIVE if integration.went_live_at else Integration.Status.TESTING
            integration.save(update_fields=["status", "updated_at"])
    flows_client = client or shop_client_for(connection=connection)
    payments_error = ""
    try:
        _shopify_payments_connect(integration=integration, client=flows_client)
    except ShopifyError as error:
        # Unknown is not "none": the merchant is told, with the code, and can connect again.
        payments_error = error.code
        ShopConnection.objects.filter(pk=connection.pk).update(last_error=f"{error.code}: {error}"[:2000])
    webhook_error = ""
    try:
        shop_webhooks_reconcile(integration=integration, client=flows_client)
    except ShopWebhookSetupError as error:
        webhook_error = error.code
    connection.refresh_from_db()
    missing = tuple(
        scope for scope in SCOPES if scope not in set(connection.scopes) and not _implied(scope, connection.scopes)
    )
    return InstallResult(
        connection=connection,
        missing_scopes=missing,
        webhook_error_code=webhook_error,
        payments_error_code=payments_error,
    )


def _implied(scope: str, granted) -> bool:
    """Shopify grants ``write_x`` instead of ``read_x`` (a write scope includes reading)."""
    return scope.startswith("read_") and f"write_{scope.removeprefix('read_')}" in set(granted)


def _shopify_payments_connect(*, integration: Integration, client: ShopifyClient) -> None:
    account = client.shopify_payments_account()
    if account is None or not account.activated:
        return
    PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS,
        defaults={
            "account_id": account.id,
            "currencies": [account.default_currency],
            "verified_at": timezone.now(),
            "last_error": "",
        },
    )


def scope_reasons(scopes) -> list[tuple[str, str]]:
    return [(scope, str(SCOPES.get(scope, ""))) for scope in scopes]


# --- uninstall, disconnect, custom app --------------------------------------------------------------


def shop_app_uninstalled(*, integration_id: int) -> bool:
    """app/uninstalled: pause, discard the token, tell merchant and support. Settings stay, so
    installing again resumes. False when it was already recorded."""
    with transaction.atomic():
        connection = ShopConnection.objects.select_for_update().filter(integration_id=integration_id).first()
        if connection is None or connection.uninstalled_at is not None:
            return False
        ShopConnection.objects.filter(pk=connection.pk).update(
            access_token="",
            refresh_token="",
            access_token_expires_at=None,
            refresh_token_expires_at=None,
            uninstalled_at=timezone.now(),
            last_auth_error_code="SHOP-001",
            last_error="SHOP-001: the app was uninstalled from the shop.",
            updated_at=timezone.now(),
        )
        Integration.objects.filter(
            pk=integration_id,
            status__in=(Integration.Status.LIVE, Integration.Status.TESTING, Integration.Status.NEEDS_REAUTH),
        ).update(status=Integration.Status.PAUSED, updated_at=timezone.now())
    logger.warning("The app was uninstalled from %s (integration %s)", connection.shop_domain, integration_id)
    shop_uninstalled_mail_send(integration_id=integration_id, shop_domain=connection.shop_domain)
    return True


def shop_disconnect(*, integration: Integration, client: ShopifyClient | None = None) -> None:
    """Remove the product's webhook subscriptions, forget the token, pause syncs (settings stay)."""
    connection = ShopConnection.objects.filter(integration=integration).first()
    if connection is None:
        return
    try:
        shop_webhooks_remove(client=client or shop_client_for(connection=connection))
    except ShopifyError as error:
        logger.warning("Could not remove the webhook subscriptions of integration %s: %s", integration.pk, error.code)
    ShopConnection.objects.filter(pk=connection.pk).update(
        access_token="", refresh_token="", access_token_expires_at=None, updated_at=timezone.now()
    )
    Integration.objects.filter(
        pk=integration.pk,
        status__in=(Integration.Status.LIVE, Integration.Status.TESTING, Integration.Status.NEEDS_REAUTH),
    ).update(status=Integration.Status.PAUSED, updated_at=timezone.now())


def shop_custom_app_attach(
    *,
    integration: Integration,
    shop_domain: str,
    access_token: str,
    webhook_secret: str,
    client: ShopifyClient | None = None,
) -> ShopConnection:
    """Support: attach a custom app's Admin API token (and its webhook secret) for a shop that cannot
    install apps. The token is verified with a real call; it does not expire."""
    domain = oauth.shop_domain_clean(shop_domain)
    if domain is None:
        raise ShopInstallError(_("Enter the shop's myshopify.com domain, for example my-shop.myshopify.com."))
    if not access_token or not access_token.isascii() or not access_token.isprintable() or " " in access_token:
        raise ShopInstallError(
            _("Shopify refused the access token. Copy the custom app's Admin API access token again.")
        )
    try:
        shop = (client or ShopifyClient(shop_domain=domain, access_token=access_token)).shop_get()
    except ShopifyAuthError:
        raise ShopInstallError(
            _("Shopify refused the access token. Copy the custom app's Admin API access token again.")
        ) from None
    except ShopifyError as error:
        raise ShopInstallError(_("Shopify could not be reached (error %(code)s).") % {"code": error.code}) from None
    connection, _created = ShopConnection.objects.update_or_create(
        integration=integration,
        defaults={
            "shop_domain": domain,
            "platform": ShopConnection.Platform.SHOPIFY,
            "install_mode": ShopConnection.InstallMode.CUSTOM_APP,
            "access_token": Secret(access_token),
            "access_token_expires_at": None,
            "refresh_token": "",
            "refresh_token_expires_at": None,
            "webhook_secret": Secret(webhook_secret.strip()) if webhook_secret.strip() else "",
            "shop_currency": shop.currency_code,
            "verified_at": timezone.now(),
            "uninstalled_at": None,
            "last_auth_error_code": "",
            "last_error": "",
        },
    )
    return connection
