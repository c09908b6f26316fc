"""Connect a Business Central on-premises server instance (wizard step 2, the on-premises choice).

The server is addressed as ``https://server:port/instance`` (endpoints.py builds the API and ODataV4
URLs below it); there are no environments and no admin center, so the environment is "default".
Authentication is the Microsoft sign-in (the usual flow, at the organisation the merchant names) or
HTTP Basic with a BC user name and that user's web service access key, verified here with a real
call before the key is stored (encrypted).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connectors.businesscentral import (
    BCAccessKeyRejected,
    BCError,
    BCNotFound,
    BusinessCentralClient,
    WebServiceAccessKey,
)
from integrations.connectors.businesscentral.endpoints import ON_PREMISES_ENVIRONMENT, on_premises_root_normalise
from integrations.crypto import Secret
from integrations.models import BusinessCentralConnection, Integration
from integrations.outbound import host_is_internal, outbound_url_validate
from integrations.services.onboarding.errors import OnboardingError
from syncs.errors import get_error

AuthMethod = BusinessCentralConnection.AuthMethod
EnvironmentType = BusinessCentralConnection.EnvironmentType


def bc_on_premises_connect(
    *,
    integration: Integration,
    server_url: str,
    auth_method: str,
    environment_type: str = EnvironmentType.PRODUCTION,
    username: str = "",
    access_key: str = "",
) -> BusinessCentralConnection:
    """Record the on-premises server and how to authenticate; with an access key, prove it first.

    Raises OnboardingError with an error code (BC-751 key refused, BC-752 no API at the address,
    BC-753 address not allowed).
    """
    root = on_premises_root_normalise(server_url)
    _address_check(root)
    if auth_method not in AuthMethod.values:
        raise OnboardingError(_("Choose how Junipeer signs in to Business Central."))
    if environment_type not in EnvironmentType.values:
        raise OnboardingError(_("Say whether the server holds your live books or a test copy."))
    username = username.strip()
    access_key = access_key.strip()
    if auth_method == AuthMethod.ACCESS_KEY:
        try:
            credentials = WebServiceAccessKey(username=username, access_key=access_key)
        except ValueError:
            raise OnboardingError(
                _("Enter the Business Central user name and its web service access key (plain letters and digits).")
            ) from None
        client = BusinessCentralClient(api_root=root, on_premises=True, credentials=credentials)
        _api_probe(client, root)
    return _connection_store(
        integration=integration,
        root=root,
        auth_method=auth_method,
        environment_type=environment_type,
        username=username if auth_method == AuthMethod.ACCESS_KEY else "",
        access_key=access_key if auth_method == AuthMethod.ACCESS_KEY else "",
    )


def _address_check(root: str) -> None:
    try:
        outbound_url_validate(root)
    except ValidationError:
        parts = urlsplit(root)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OnboardingError(
                _("Enter the server's full address, for example https://bc.contoso.com:7048/BC.")
            ) from None
        if parts.username or parts.password:
            reason = _("the address contains a user name or password.")
        elif host_is_internal(parts.hostname):
            reason = _("it is a local or private network address.")
        else:
            reason = _("it is plain http, not https.")
        entry = get_error("BC-753")
        raise OnboardingError(f"BC-753: {entry.render(address=root, reason=reason)} {entry.remedy}") from None


def _api_probe(client: BusinessCentralClient, root: str) -> None:
    """One real call (the companies list) proves the address, the API and the key."""
    try:
        client.list_companies()
    except BCAccessKeyRejected as error:
        entry = get_error("BC-751")
        raise OnboardingError(f"BC-751: {entry.render(status=error.status)} {entry.remedy}") from None
    except BCNotFound:
        entry = get_error("BC-752")
        raise OnboardingError(f"BC-752: {entry.render(address=root)} {entry.remedy}") from None
    except BCError as error:
        if error.status is None:  # never answered: DNS, refused connection, TLS, timeout
            raise OnboardingError(
                _(
                    "Business Central could not be reached at %(address)s. Check the address and port, and that "
                    "the server accepts connections from the internet over https."
                )
                % {"address": root}
            ) from None
        raise OnboardingError(_("Business Central answered with an error: %(error)s") % {"error": error}) from None


@transaction.atomic
def _connection_store(
    *, integration: Integration, root: str, auth_method: str, environment_type: str, username: str, access_key: str
) -> BusinessCentralConnection:
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    connection, _created = BusinessCentralConnection.objects.select_for_update().get_or_create(integration=integration)
    same_server = connection.is_on_premises and connection.on_premises_root == root
    if connection.company_id and not same_server and integration.went_live_at:
        raise OnboardingError(_("This integration is live; connect another Business Central as a new integration."))
    if not same_server:
        # Another server (or a switch from online): the company and any sign-in belong to the old one.
        connection.company_id = ""
        connection.company_name = ""
        connection.entra_tenant_id = ""
        connection.token_cache = ""
        connection.home_account_id = ""
        connection.user_principal = ""
        connection.token_expires_at = None
    connection.deployment = BusinessCentralConnection.Deployment.ON_PREMISES
    connection.on_premises_root = root
    connection.api_root_override = ""
    connection.environment_name = ON_PREMISES_ENVIRONMENT
    connection.environment_type = environment_type
    connection.auth_method = auth_method
    connection.access_key_username = username
    connection.web_service_access_key = Secret(access_key) if access_key else ""
    if auth_method == AuthMethod.ACCESS_KEY:
        # The key replaces any Microsoft sign-in: no token is kept (or refreshed) for this connection.
        connection.token_cache = ""
        connection.home_account_id = ""
        connection.token_expires_at = None
    connection.last_auth_error_code = ""
    connection.last_auth_error = ""
    if access_key:
        connection.connected_at = timezone.now()
    connection.save()
    return connection


def bc_online_choose(*, integration: Integration) -> BusinessCentralConnection | None:
    """Back to Business Central online (the default): forgets the on-premises server, its key and company."""
    with transaction.atomic():
        connection = BusinessCentralConnection.objects.select_for_update().filter(integration=integration).first()
        if connection is None or not connection.is_on_premises:
            return connection
        if connection.company_id and integration.went_live_at:
            raise OnboardingError(_("This integration is live; connect another Business Central as a new integration."))
        connection.deployment = BusinessCentralConnection.Deployment.ONLINE
        connection.auth_method = AuthMethod.ENTRA
        connection.on_premises_root = ""
        connection.access_key_username = ""
        connection.web_service_access_key = ""
        connection.environment_name = ""
        connection.environment_type = ""
        connection.company_id = ""
        connection.company_name = ""
        connection.token_cache = ""
        connection.home_account_id = ""
        connection.token_expires_at = None
        connection.save()
        return connection
