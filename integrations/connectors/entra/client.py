"""The only code that speaks to Microsoft Entra ID: a thin wrapper over msal.

One ConfidentialClientApplication per BC connection, each with its own SerializableTokenCache
(persisted, encrypted, by the caller) and one shared http cache, so OpenID discovery runs once per
process rather than once per connection. msal does state, PKCE (S256) and nonce.

The authority is always the organisation that owns Business Central (its tenant id or a verified
domain), never ``organizations``: a guest (external accountant) or a partner with delegated access
(GDAP) then signs in to the merchant's tenant, and the token's ``tid`` is that tenant. msal does not
check the issuer, so ``flow_complete`` compares ``tid`` with the tenant discovery resolved.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import msal
import requests
from django.conf import settings
from django.utils import timezone

from integrations.connectors.entra import exceptions as exc

# Shared by every app instance in this process (discovery results, msal's throttling state).
_HTTP_CACHE: dict = {}
_SESSIONS: dict[str, requests.Session] = {}
_MICROSOFT_HOSTS = {"login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"}
# Used only for connections made before the organisation was named (their tenant is unknown).
AUTHORITY_TENANT = "organizations"
# Aliases that name no organisation: never accepted as the owner of Business Central.
TENANT_ALIASES = frozenset({"organizations", "common", "consumers"})
CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
HTTP_TIMEOUT = 30


@dataclass(frozen=True)
class SignInResult:
    tenant_id: str
    object_id: str
    username: str
    home_account_id: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: dt.datetime


def _session(ca_bundle: str) -> requests.Session:
    session = _SESSIONS.get(ca_bundle)
    if session is None:
        session = requests.Session()
        if ca_bundle:
            # A private CA (simulator, test rig): REQUESTS_CA_BUNDLE in the environment would
            # otherwise override `verify`, so the environment is ignored for this session.
            session.trust_env = False
            session.verify = ca_bundle
        _SESSIONS[ca_bundle] = session
    return session


def admin_consent_url(*, tenant: str, redirect_uri: str = "", state: str = "") -> str:
    """The link an administrator of ``tenant`` opens to approve the app for the whole organisation
    (Microsoft identity platform v2.0 admin consent endpoint, with the app's static permissions)."""
    query = {"client_id": settings.ENTRA_CLIENT_ID, "scope": settings.BC_API_SCOPE}
    if redirect_uri:
        query["redirect_uri"] = redirect_uri
    if state:
        query["state"] = state
    host = settings.ENTRA_AUTHORITY_HOST.rstrip("/")
    return f"{host}/{tenant or AUTHORITY_TENANT}/v2.0/adminconsent?{urlencode(query)}"


def _expires_at(result: dict) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=int(result.get("expires_in") or 0))


class EntraClient:
    """msal for one connection. ``token_cache`` is the serialized cache (plain text, decrypted);
    ``tenant`` the organisation that owns Business Central (tenant id or verified domain)."""

    def __init__(self, *, tenant: str, token_cache: str = "") -> None:
        self.tenant = (tenant or AUTHORITY_TENANT).strip().lower()
        self.cache = msal.SerializableTokenCache()
        if token_cache:
            self.cache.deserialize(token_cache)
        self._app: msal.ConfidentialClientApplication | None = None
        self.scopes = [settings.BC_API_SCOPE]

    @property
    def app(self) -> msal.ConfidentialClientApplication:
        # Built lazily: the constructor already performs OpenID discovery over the network.
        if self._app is None:
            host = settings.ENTRA_AUTHORITY_HOST.rstrip("/")
            try:
                self._app = msal.ConfidentialClientApplication(
                    settings.ENTRA_CLIENT_ID,
                    client_credential=settings.ENTRA_CLIENT_SECRET,
                    authority=f"{host}/{self.tenant}",
                    validate_authority=urlsplit(host).hostname in _MICROSOFT_HOSTS,
                    instance_discovery=False,
                    token_cache=self.cache,
                    http_client=_session(settings.ENTRA_CA_BUNDLE),
                    http_cache=_HTTP_CACHE,
                    timeout=HTTP_TIMEOUT,
                )
            except ValueError as error:
                # msal: a 4xx from OpenID discovery ("Nonexist tenant would hit this path").
                raise exc.OrganisationNotFound(f"No Microsoft organisation '{self.tenant}'.") from error
            except (requests.RequestException, RuntimeError) as error:
                raise exc.IdentityUnavailable(f"OpenID discovery failed: {type(error).__name__}") from error
        return self._app

    @property
    def tenant_id(self) -> str:
        """The tenant id discovery resolved the named organisation to (a domain becomes its GUID)."""
        return str(self.app.authority.tenant).lower()

    # --- cache ----------------------------------------------------------------------------------
    @property
    def cache_changed(self) -> bool:
        return self.cache.has_state_changed

    def cache_serialize(self) -> str:
        return self.cache.serialize()

    # --- interactive sign-in ----------------------------------------------------------------------
    def flow_start(self, *, redirect_uri: str, login_hint: str | None = None) -> dict:
        """The auth-code flow dict (keep it server-side); the browser goes to ``flow["auth_uri"]``."""
        with warnings.catch_warnings():
            # msal recommends form_post; a cross-site POST would not carry the Lax session cookie
            # that holds this flow, so the answer comes back as a query string (state still checked).
            warnings.simplefilter("ignore", UserWarning)
            return self.app.initiate_auth_code_flow(
                self.scopes, redirect_uri=redirect_uri, login_hint=login_hint, prompt="select_account"
            )

    def flow_complete(self, *, flow: dict, params: dict) -> SignInResult:
        if "error" in params:
            raise self._map(params)
        try:
            result = self._call(self.app.acquire_token_by_auth_code_flow, flow, params, scopes=self.scopes)
        except ValueError as error:
            # state missing / mismatched, or an answer without code: a lost or foreign session.
            raise exc.SignInExpired() from error
        except RuntimeError as error:  # nonce mismatch: a replayed answer
            raise exc.SignInExpired() from error
        if "error" in result:
            raise self._map(result)
        claims = result.get("id_token_claims") or {}
        tenant_id, object_id = claims.get("tid", ""), claims.get("oid", "")
        if tenant_id == CONSUMERS_TENANT_ID or not tenant_id:
            raise exc.WrongAccountType()
        if self.tenant not in TENANT_ALIASES and tenant_id.lower() != self.tenant_id:
            raise exc.TenantMismatch(f"The token names tenant {tenant_id}, not {self.tenant_id}.")
        account = next((a for a in self.app.get_accounts() if a.get("local_account_id") == object_id), None)
        return SignInResult(
            tenant_id=tenant_id,
            object_id=object_id,
            username=claims.get("preferred_username", ""),
            home_account_id=(account or {}).get("home_account_id", f"{object_id}.{tenant_id}"),
            expires_at=_expires_at(result),
        )

    # --- background ---------------------------------------------------------------------------------
    def token_acquire(self, *, home_account_id: str, force_refresh: bool = False) -> AccessToken:
        """A valid BC access token from the cache, refreshed (and the refresh token rotated) if due."""
        account = next((a for a in self.app.get_accounts() if a.get("home_account_id") == home_account_id), None)
        if account is None:
            raise exc.ReauthRequired("No signed-in account is stored for this connection.")
        result = self._call(self.app.acquire_token_silent_with_error, self.scopes, account, force_refresh=force_refresh)
        if not result:
            raise exc.ReauthRequired("No usable token is stored for this connection.")
        if "error" in result:
            raise self._map(result, refreshing=True)
        return AccessToken(token=result["access_token"], expires_at=_expires_at(result))

    # --- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _call(func, *args, **kwargs) -> dict:
        try:
            return func(*args, **kwargs)
        except requests.RequestException as error:
            raise exc.IdentityUnavailable(f"Microsoft Entra ID unreachable: {type(error).__name__}") from error

    def _map(self, result: dict, *, refreshing: bool = False) -> exc.EntraError:
        return exc.error_from_response(result, refreshing=refreshing)
