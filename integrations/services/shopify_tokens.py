"""Shopify tokens for the Shopify client: expiring offline tokens refreshed under a row lock.

An installed app's access token lives one hour. ``shop_access_token_acquire`` hands out the stored
token while it has more than REFRESH_AHEAD left; otherwise it refreshes under a row lock on the
ShopConnection, so two workers never spend the same refresh token twice: the second waits and reads
the pair the first stored. The new pair is stored in one UPDATE. When the refresh answer is lost
(no answer, a 5xx), the stored pair stays: Shopify keeps the previous refresh token usable until the
new access token is used, so the next attempt recovers. A refused refresh (the grant is gone)
marks the shop connection needs-reauth, pauses the integration's flows, e-mails the merchant a
Reconnect link and raises: nothing is lost, the sweep picks up every order after the reconnect.

A custom app's token (attached by support) does not expire and is handed out as stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.connectors.shopify import ShopifyPlatform, oauth
from integrations.connectors.shopify.exceptions import (
    ShopifyAuthError,
    ShopifyError,
    ShopifyRefreshRefused,
    ShopifyUnavailable,
)
from integrations.connectors.shopify.factory import client_for_connection
from integrations.crypto import Secret, reveal
from integrations.models import Integration, ShopConnection
from integrations.services.shopify_notifications import shop_reauth_mail_send

logger = logging.getLogger(__name__)

# Refresh this long before expiry, so no request goes out with a token about to die.
REFRESH_AHEAD = dt.timedelta(minutes=5)
# The background job refreshes tokens expiring within this window, and every refresh token at
# least this often (a refresh token that is never used expires after 90 days).
BACKGROUND_AHEAD = dt.timedelta(minutes=15)
REFRESH_AT_LEAST_EVERY = dt.timedelta(days=7)
HOLD_MIN_REMAINING = dt.timedelta(minutes=2)
# Statuses in which the background job keeps the token fresh.
REFRESHABLE = (Integration.Status.DRAFT, Integration.Status.TESTING, Integration.Status.LIVE, Integration.Status.PAUSED)


@dataclass(frozen=True)
class ShopAccessToken:
    token: str
    expires_at: dt.datetime | None  # None: does not expire (a custom app's token)


def _app_secret() -> str:
    return settings.SHOPIFY_CLIENT_SECRET


def shop_access_token_acquire(*, connection_id: int, force_refresh: bool = False) -> ShopAccessToken:
    """A usable access token for the shop; refreshes an expiring one under a row lock.

    Raises ShopifyRefreshRefused (SHOP-021) when only the merchant can fix it (after recording it),
    ShopifyAuthError when no token is stored, ShopifyUnavailable when Shopify could not answer and
    the stored token is no longer usable.
    """
    failure: ShopifyError | None = None
    with transaction.atomic():
        connection = ShopConnection.objects.select_for_update().get(pk=connection_id)
        stored = reveal(connection.access_token)
        now = timezone.now()
        if connection.install_mode != ShopConnection.InstallMode.APP or connection.access_token_expires_at is None:
            if not stored:
                raise ShopifyAuthError("The shop is not connected (no stored token).")
            return ShopAccessToken(stored, None)
        current = ShopAccessToken(stored, connection.access_token_expires_at)
        if stored and not force_refresh and connection.access_token_expires_at - now > REFRESH_AHEAD:
            return current
        refresh_token = reveal(connection.refresh_token)
        if not refresh_token:
            failure = ShopifyRefreshRefused("No refresh token is stored: the app must be installed again.")
        else:
            try:
                fresh = oauth.token_refresh(
                    shop_domain=connection.shop_domain,
                    client_id=settings.SHOPIFY_CLIENT_ID,
                    client_secret=_app_secret(),
                    refresh_token=refresh_token,
                    api_root=settings.SHOPIFY_API_ROOT,
                    timeout=(settings.SHOPIFY_HTTP_CONNECT_TIMEOUT, settings.SHOPIFY_HTTP_READ_TIMEOUT),
                )
            except ShopifyRefreshRefused as error:
                failure = error
            except ShopifyUnavailable:
                # The answer may have been lost: keep the stored pair (its refresh token stays usable
                # until the new access token is used) and try again next time.
                logger.warning(
                    "Shopify token refresh for connection %s got no answer; kept the stored pair.", connection_id
                )
                if stored and connection.access_token_expires_at > now:
                    return current
                raise
            else:
                updates = {
                    "access_token": Secret(fresh.access_token),
                    "access_token_expires_at": fresh.expires_at,
                    "refresh_token": Secret(fresh.refresh_token) if fresh.refresh_token else connection.refresh_token,
                    "refresh_token_expires_at": fresh.refresh_token_expires_at or connection.refresh_token_expires_at,
                    "token_refreshed_at": now,
                    "last_auth_error_code": "",
                }
                if fresh.scopes:
                    updates["scopes"] = sorted(fresh.scopes)
                ShopConnection.objects.filter(pk=connection_id).update(**updates, updated_at=now)
                return ShopAccessToken(fresh.access_token, fresh.expires_at)
    _refresh_refused_record(connection_id=connection_id, error=failure)
    raise failure


def _refresh_refused_record(*, connection_id: int, error: ShopifyError) -> None:
    """needs-reauth: flows pause (runs refuse needs_reauth integrations), the merchant is e-mailed once."""
    connection = ShopConnection.objects.select_related("integration").get(pk=connection_id)
    previous = connection.last_auth_error_code
    ShopConnection.objects.filter(pk=connection_id).update(
        last_auth_error_code=error.code, last_error=f"{error.code}: {error}"[:2000], updated_at=timezone.now()
    )
    changed = (
        Integration.objects.filter(pk=connection.integration_id)
        .exclude(status__in=(Integration.Status.NEEDS_REAUTH, Integration.Status.DISABLED, Integration.Status.PAUSED))
        .update(status=Integration.Status.NEEDS_REAUTH, updated_at=timezone.now())
    )
    logger.warning("Shopify connection %s needs the app installed again: %s", connection_id, error.code)
    if changed or previous != error.code:
        shop_reauth_mail_send(integration_id=connection.integration_id)


def shop_token_provider(*, connection: ShopConnection) -> Callable[[], str]:
    """``token_provider`` for the Shopify client: holds the token until shortly before it expires."""
    connection_id = connection.pk
    held: dict = {}

    def provide() -> str:
        if held and (held["expires_at"] is None or held["expires_at"] - timezone.now() > HOLD_MIN_REMAINING):
            return held["token"]
        token = shop_access_token_acquire(connection_id=connection_id)
        held.update(token=token.token, expires_at=token.expires_at)
        return token.token

    return provide


def shop_client_for(*, connection: ShopConnection, **options) -> ShopifyPlatform:
    """The Shopify client every flow uses: built by the connector's factory with a refreshing token."""
    return client_for_connection(connection, token_provider=shop_token_provider(connection=connection), **options)


@dataclass
class ShopRefreshSummary:
    refreshed: int = 0
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def shop_tokens_refresh_all(*, now: dt.datetime | None = None) -> ShopRefreshSummary:
    """Refresh installed-app tokens that expire soon, and each refresh token at least weekly."""
    now = now or timezone.now()
    summary = ShopRefreshSummary()
    connections = (
        ShopConnection.objects.filter(install_mode=ShopConnection.InstallMode.APP, integration__status__in=REFRESHABLE)
        .exclude(refresh_token="")
        .only("pk", "access_token_expires_at", "token_refreshed_at")
        .order_by("pk")
    )
    for connection in connections.iterator():
        expiring = (
            connection.access_token_expires_at is None or connection.access_token_expires_at - now <= BACKGROUND_AHEAD
        )
        stale = connection.token_refreshed_at is None or now - connection.token_refreshed_at >= REFRESH_AT_LEAST_EVERY
        if not (expiring or stale):
            summary.skipped += 1
            continue
        try:
            shop_access_token_acquire(connection_id=connection.pk, force_refresh=True)
        except ShopifyError as error:
            summary.failed.append((connection.pk, error.code))
        else:
            summary.refreshed += 1
    return summary
