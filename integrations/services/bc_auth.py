"""Business Central sign-in: Microsoft sign-in, tokens for the BC client, refresh, disconnect.

The msal auth-code flow dict lives in the (server-side) session between the redirect to Microsoft
and the callback. The token cache lives encrypted on BusinessCentralConnection and is written
back only when msal changed it, under a row lock, so two workers refreshing at once never lose the
rotated refresh token.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations.connectors.businesscentral.credentials import (
    BearerToken,
    CredentialsProvider,
    WebServiceAccessKey,
)
from integrations.connectors.entra import exceptions as entra_exc
from integrations.connectors.entra.client import (
    AUTHORITY_TENANT,
    TENANT_ALIASES,
    AccessToken,
    EntraClient,
    admin_consent_url,
)
from integrations.connectors.entra.errors import ADMIN_CONSENT_CODES
from integrations.crypto import Secret, reveal
from integrations.models import BusinessCentralConnection, Integration
from integrations.services.lifecycle import IntegrationActionError, integration_reconnect_link_send

logger = logging.getLogger(__name__)

SESSION_KEY = "bc_signin"
SIGNED_IN_KEY = "bc_signin_last_integration"  # the callback again (Back, reload): back to the wizard
# Refresh tokens die after 90 idle days: the schedule uses each one at least weekly.
REFRESH_AT_LEAST_EVERY = dt.timedelta(days=7)
# Refresh ahead of expiry so a scheduled sync never waits for Microsoft.
REFRESH_AHEAD = dt.timedelta(minutes=15)
# A cached token with less than this left is not handed to the BC client.
TOKEN_MIN_REMAINING = dt.timedelta(minutes=5)
# Statuses that keep trying: needs_reauth waits for the merchant, disabled is off.
REFRESHABLE = (Integration.Status.DRAFT, Integration.Status.TESTING, Integration.Status.LIVE, Integration.Status.PAUSED)


# --- interactive sign-in ----------------------------------------------------------------------------


def bc_admin_consent_redirect_uri() -> str:
    """Where Microsoft sends an administrator after approving (registered in the Entra app)."""
    return settings.SITE_URL.rstrip("/") + reverse("merchant:bc_admin_consent")


def bc_signin_start(
    *,
    integration: Integration,
    redirect_uri: str,
    session: MutableMapping,
    organisation: str = "",
    login_hint: str = "",
) -> str:
    """Start Microsoft sign-in for ``integration`` at the organisation that owns Business Central.

    ``organisation`` is its tenant id or a verified domain (default: the tenant already connected).
    Returns the URL to send the browser to. Raises OrganisationNotFound for an unknown organisation
    and WrongOrganisation when a connected company belongs to another one.
    """
    connection = BusinessCentralConnection.objects.filter(integration=integration).first()
    organisation = (organisation or (connection.entra_tenant_id if connection else "")).strip().lower()
    if not organisation or organisation in TENANT_ALIASES:
        raise entra_exc.OrganisationNotFound("Name the organisation that owns Business Central.")
    client = EntraClient(tenant=organisation)
    tenant_id = client.tenant_id
    if connection and connection.company_id and connection.entra_tenant_id not in ("", tenant_id):
        raise entra_exc.WrongOrganisation()
    hint = login_hint or (connection.user_principal if connection else "") or None
    flow = client.flow_start(redirect_uri=redirect_uri, login_hint=hint)
    # One pending sign-in per browser session; a new start replaces an abandoned one.
    session[SESSION_KEY] = {
        "integration_id": integration.pk,
        "flow": flow,
        "tenant_id": tenant_id,
        "organisation": organisation,
        "login_hint": hint or "",
    }
    return flow["auth_uri"]


def bc_signin_pending_integration_id(*, session: MutableMapping) -> int | None:
    pending = session.get(SESSION_KEY)
    return pending.get("integration_id") if isinstance(pending, dict) else None


def bc_signin_last_integration_id(*, session: MutableMapping) -> int | None:
    """The integration the last finished sign-in in this browser was for (Back or a reload of the callback)."""
    value = session.get(SIGNED_IN_KEY)
    return value if isinstance(value, int) else None


def bc_signin_complete(
    *,
    integration: Integration,
    request_params: dict,
    session: MutableMapping,
    admin_consent_redirect_uri: str = "",
) -> BusinessCentralConnection:
    """Finish the sign-in from Microsoft's answer. Raises an EntraError subclass on any failure
    (SignInExpired when the answer does not belong to a sign-in started here).

    When the organisation's administrator must act first (consent blocked, approval requested,
    partner not yet authorised), the error carries the admin-consent link for that organisation,
    and the named organisation and the code are kept on the connection so the merchant (or whoever
    comes back after the approval) continues at the same step.
    """
    pending = session.pop(SESSION_KEY, None)
    if not isinstance(pending, dict) or pending.get("integration_id") != integration.pk:
        raise entra_exc.SignInExpired()
    session[SIGNED_IN_KEY] = integration.pk
    tenant_id = pending.get("tenant_id") or AUTHORITY_TENANT
    client = EntraClient(tenant=tenant_id)
    try:
        result = client.flow_complete(flow=pending["flow"], params=request_params)
    except entra_exc.EntraError as error:
        if error.code in ADMIN_CONSENT_CODES:
            error.admin_consent_url = admin_consent_url(
                tenant=tenant_id,
                redirect_uri=admin_consent_redirect_uri or bc_admin_consent_redirect_uri(),
                state=str(integration.pk),
            )
            _approval_wait_record(
                integration=integration, tenant_id=tenant_id, error=error, login_hint=pending.get("login_hint", "")
            )
        raise
    with transaction.atomic():
        # Fresh, locked rows: a background refresh may have changed the status meanwhile.
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        connection, _ = BusinessCentralConnection.objects.select_for_update().get_or_create(integration=integration)
        if connection.company_id and connection.entra_tenant_id not in ("", result.tenant_id):
            raise entra_exc.WrongOrganisation()
        was_disconnected = connection.pk is not None and not connection.token_cache and connection.company_id
        now = timezone.now()
        connection.entra_tenant_id = result.tenant_id
        connection.user_principal = result.username
        connection.home_account_id = result.home_account_id
        if client.cache_changed:
            connection.token_cache = Secret(client.cache_serialize())
        connection.connected_at = now
        connection.token_refreshed_at = now
        connection.token_expires_at = result.expires_at
        connection.last_auth_error_code = ""
        connection.last_auth_error = ""
        connection.save()
        resumes = integration.status == Integration.Status.NEEDS_REAUTH or (
            was_disconnected and integration.status == Integration.Status.PAUSED
        )
        if resumes:
            integration.status = Integration.Status.LIVE if integration.went_live_at else Integration.Status.TESTING
            integration.pause_reason, integration.paused_at = "", None
            integration.save(update_fields=["status", "pause_reason", "paused_at", "updated_at"])
    return connection


def _approval_wait_record(
    *, integration: Integration, tenant_id: str, error: entra_exc.EntraError, login_hint: str
) -> None:
    """Remember the organisation and why the sign-in waits for its administrator."""
    with transaction.atomic():
        connection, _ = BusinessCentralConnection.objects.select_for_update().get_or_create(integration=integration)
        if connection.company_id and connection.entra_tenant_id not in ("", tenant_id):
            return  # another organisation's company stays connected; nothing to remember here
        connection.entra_tenant_id = tenant_id
        if login_hint and not connection.user_principal:
            connection.user_principal = login_hint
        connection.last_auth_error_code = error.code
        connection.last_auth_error = str(error)[:2000]
        connection.save()


# --- tokens for the BC client -----------------------------------------------------------------------


def bc_access_token_acquire(*, connection_id: int, force_refresh: bool = False) -> AccessToken:
    """A valid BC access token; refreshes under a row lock and persists the rotated cache.

    Raises an EntraError subclass; when only the merchant can fix it, the integration is set to
    needs_reauth, the error stored and the merchant e-mailed first.
    """
    failure: entra_exc.EntraError | None = None
    with transaction.atomic():
        # The lock makes a second worker wait, then read the cache the first one wrote.
        connection = BusinessCentralConnection.objects.select_for_update().get(pk=connection_id)
        if not connection.token_cache:
            failure = entra_exc.ReauthRequired("Business Central is not connected (no stored sign-in).")
        else:
            client = EntraClient(
                tenant=connection.entra_tenant_id or AUTHORITY_TENANT, token_cache=reveal(connection.token_cache)
            )
            try:
                token = client.token_acquire(home_account_id=connection.home_account_id, force_refresh=force_refresh)
            except entra_exc.EntraError as error:
                failure = error
            else:
                updates: dict[str, Any] = {"token_expires_at": token.expires_at}
                if client.cache_changed:
                    updates |= {"token_cache": Secret(client.cache_serialize()), "token_refreshed_at": timezone.now()}
                if connection.last_auth_error_code:
                    updates |= {"last_auth_error_code": "", "last_auth_error": ""}
                for name, value in updates.items():
                    setattr(connection, name, value)
                connection.save(update_fields=[*updates, "updated_at"])
    if failure is not None:
        if failure.code in ADMIN_CONSENT_CODES:
            failure.admin_consent_url = admin_consent_url(
                tenant=connection.entra_tenant_id or AUTHORITY_TENANT,
                redirect_uri=bc_admin_consent_redirect_uri(),
                state=str(connection.integration_id),
            )
        _auth_failure_record(connection_id=connection_id, error=failure)
        raise failure
    return token


def bc_token_provider(*, connection: BusinessCentralConnection) -> Callable[[], str]:
    """``token_provider`` for the BC client: remembers the token until shortly before expiry."""
    connection_id = connection.pk
    held: dict = {}

    def provide() -> str:
        if held and held["expires_at"] - timezone.now() > TOKEN_MIN_REMAINING:
            return held["token"]
        token = bc_access_token_acquire(connection_id=connection_id)
        held.update(token=token.token, expires_at=token.expires_at)
        return token.token

    return provide


def bc_credentials(*, connection: BusinessCentralConnection) -> CredentialsProvider:
    """``credentials`` for the BC client: the Microsoft sign-in's token, or (on-premises with a web
    service access key) HTTP Basic with the stored user name and key, decrypted only here."""
    if connection.uses_access_key:
        return WebServiceAccessKey(
            username=connection.access_key_username, access_key=reveal(connection.web_service_access_key)
        )
    return BearerToken(bc_token_provider(connection=connection))


def _auth_failure_record(*, connection_id: int, error: entra_exc.EntraError) -> None:
    connection = BusinessCentralConnection.objects.select_related("integration").get(pk=connection_id)
    previous_code = connection.last_auth_error_code
    BusinessCentralConnection.objects.filter(pk=connection_id).update(
        last_auth_error_code=error.code, last_auth_error=str(error)[:2000], updated_at=timezone.now()
    )
    if not error.needs_reauth:
        return
    # A pause set by support stays a pause (reconnecting must not silently resume it); the merchant
    # still hears about the sign-in once. Only the transition e-mails, never every attempt.
    changed = (
        Integration.objects.filter(pk=connection.integration_id)
        .exclude(status__in=(Integration.Status.NEEDS_REAUTH, Integration.Status.DISABLED, Integration.Status.PAUSED))
        .update(status=Integration.Status.NEEDS_REAUTH, updated_at=timezone.now())
    )
    paused_and_new = connection.integration.status == Integration.Status.PAUSED and previous_code != error.code
    logger.warning("BC connection %s needs re-authorisation: %s", connection_id, error.code)
    if changed or paused_and_new:
        try:
            integration_reconnect_link_send(integration_id=connection.integration_id)
        except IntegrationActionError:
            logger.warning("Integration %s has nobody to e-mail about re-authorisation", connection.integration_id)


# --- background refresh -----------------------------------------------------------------------------


@dataclass
class RefreshSummary:
    refreshed: int = 0
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)  # (connection id, error code)


def bc_tokens_refresh_all(*, now: dt.datetime | None = None) -> RefreshSummary:
    """Refresh every connection whose token expires soon or was not refreshed for a week."""
    now = now or timezone.now()
    summary = RefreshSummary()
    connections = (
        BusinessCentralConnection.objects.exclude(token_cache="")
        .filter(integration__status__in=REFRESHABLE)
        .only("pk", "token_refreshed_at", "token_expires_at")
        .order_by("pk")
    )
    for connection in connections.iterator():
        stale = connection.token_refreshed_at is None or now - connection.token_refreshed_at >= REFRESH_AT_LEAST_EVERY
        expiring = connection.token_expires_at is not None and connection.token_expires_at - now <= REFRESH_AHEAD
        if not (stale or expiring):
            summary.skipped += 1
            continue
        try:
            bc_access_token_acquire(connection_id=connection.pk, force_refresh=True)
        except entra_exc.EntraError as error:
            summary.failed.append((connection.pk, error.code))
        else:
            summary.refreshed += 1
    return summary


# --- disconnect --------------------------------------------------------------------------------------


@transaction.atomic
def bc_disconnect(*, integration: Integration) -> None:
    """Forget the stored sign-in (nothing is revoked at Microsoft) and pause syncs.

    The company stays recorded: the data already synced belongs to it, and reconnecting resumes it.
    """
    BusinessCentralConnection.objects.filter(integration=integration).update(
        token_cache="", home_account_id="", token_expires_at=None, web_service_access_key="", updated_at=timezone.now()
    )
    if integration.status in (Integration.Status.LIVE, Integration.Status.TESTING, Integration.Status.NEEDS_REAUTH):
        integration.status = Integration.Status.PAUSED
        integration.pause_reason = Integration.PauseReason.BC_DISCONNECTED
        integration.paused_at = timezone.now()
        integration.save(update_fields=["status", "pause_reason", "paused_at", "updated_at"])
