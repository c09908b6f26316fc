"""A faithful fake of the Microsoft identity platform (Entra ID v2.0 endpoints) as a WSGI app.

Paths under the simulator's root, for ``{tenant}`` = a tenant GUID, ``organizations``, ``common``
or ``consumers``:

    GET  /{tenant}/v2.0/.well-known/openid-configuration
    GET  /{tenant}/discovery/v2.0/keys
    GET  /{tenant}/oauth2/v2.0/authorize      sign-in + consent page
    POST /{tenant}/oauth2/v2.0/authorize      the page's form
    POST /{tenant}/oauth2/v2.0/token          authorization_code (PKCE S256), refresh_token (rotating),
                                              client_credentials
    GET/POST /{tenant}/adminconsent  (and /{tenant}/v2.0/adminconsent)

Errors use Entra's JSON shape (error, error_description "AADSTSnnnn: ...", error_codes).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from simulators.identity.directory import (
    BC_DELEGATED_PERMISSION,
    BC_RESOURCE,
    CONSENT_ALLOWED,
    CONSENT_VERIFIED_ONLY,
    CONSENT_WORKFLOW,
    CONSUMERS_TENANT_ID,
    REFRESH_TOKEN_IDLE_SECONDS,
    Directory,
    SimUser,
)
from simulators.identity.tokens import Principal, SigningKey, client_info

_ALIASES = {"organizations", "common", "consumers"}
_ROUTE = re.compile(
    r"^/(?P<tenant>[^/]+)/(?P<rest>v2\.0/\.well-known/openid-configuration|discovery/v2\.0/keys"
    r"|oauth2/v2\.0/authorize|oauth2/v2\.0/token|adminconsent|v2\.0/adminconsent)/?$"
)
_RESERVED_SCOPES = {"openid", "profile", "offline_access", "email"}
CODE_LIFETIME = 600


class EntraError(Exception):
    def __init__(self, error: str, code: int, description: str, *, status: int = 400, extra: dict | None = None):
        super().__init__(description)
        self.error, self.code, self.description, self.status = error, code, description, status
        self.extra = extra or {}

    def body(self) -> dict:
        trace = str(uuid.uuid4())
        return {
            "error": self.error,
            "error_description": f"AADSTS{self.code}: {self.description}\r\nTrace ID: {trace}",
            "error_codes": [self.code],
            "trace_id": trace,
            "correlation_id": str(uuid.uuid4()),
            "error_uri": f"https://login.microsoftonline.com/error?code={self.code}",
            **self.extra,
        }


class IdentitySimulator(Directory):
    """The directory plus its HTTP face. ``base_url`` is set by whoever serves it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.key = SigningKey()
        self.base_url = "https://localhost"
        self.pending: dict[str, dict] = {}  # sign-ins waiting on the admin consent workflow page

    # === public helpers for tests and the BC simulator ==============================================
    def token_principal(self, token: str) -> Principal | None:
        """The principal of a validly signed, unexpired BC access token (licence not checked)."""
        claims = self.key.decode(token, audience=BC_RESOURCE)
        if not claims or claims.get("exp", 0) <= self.now():
            return None
        return Principal(
            tenant_id=claims["tid"],
            oid=claims["oid"],
            username=claims.get("upn"),
            app_id=claims.get("appid", ""),
            scopes=tuple(claims.get("scp", "").split()),
            roles=tuple(claims.get("roles", ())),
        )

    def validate_access_token(self, token: str) -> Principal | None:
        """The principal of a valid, unexpired BC access token from a user BC knows (else None)."""
        principal = self.token_principal(token)
        user_token = principal is not None and principal.username is not None
        if user_token and not self.bc_entitled(tenant_id=principal.tenant_id, oid=principal.oid):
            return None  # BC answers 401: the user has no Business Central licence in that tenant
        return principal

    def bc_token_validator(self, token: str) -> str | None:
        """``token_validator`` for BusinessCentralSimulator: the principal's name, or None."""
        principal = self.validate_access_token(token)
        return (principal.username or principal.app_id) if principal else None

    def sign_in(
        self,
        auth_uri: str,
        *,
        username: str,
        password: str | None = None,
        action: str = "accept",
        consent_for_organisation: bool = False,
        justification: str = "Needed to connect our shop to Business Central.",
    ) -> str:
        """Do what a person does on the sign-in pages; return the URL the browser is sent back to.

        On Entra's "Need admin approval" page the only way on is "Return to the application"; on the
        admin consent workflow page the person requests approval first (``justification``).
        """
        parts = urlsplit(auth_uri)
        match = _ROUTE.match(parts.path[len(urlsplit(self.base_url).path.rstrip("/")) :] or "/")
        tenant = match["tenant"] if match else "organizations"
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        user = self.user(username)
        secret = password if password is not None else (user.password if user else "")
        outcome = self._authorize_decision(
            tenant, params, username, secret, action, consent_for_organisation=consent_for_organisation
        )
        if outcome[0] == "workflow":
            outcome = self._consent_request(outcome[1]["pending"], justification)
        if outcome[0] in ("blocked", "requested"):
            return outcome[1]["return_url"]
        if outcome[0] != "redirect":
            raise AssertionError(f"sign-in did not redirect: {outcome[1]}")
        return outcome[1]

    # === WSGI ==================================================================================================
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        root = urlsplit(self.base_url).path.rstrip("/")
        if root and path.startswith(root):
            path = path[len(root) :]
        method = environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        match = _ROUTE.match(path)
        try:
            if not match:
                return _json(start_response, 404, {"error": "not_found", "error_description": path})
            tenant, rest = match["tenant"], match["rest"]
            self._check_tenant(tenant)
            if rest.endswith("openid-configuration"):
                return _json(start_response, 200, self._openid_configuration(tenant))
            if rest.endswith("keys"):
                return _json(start_response, 200, self.key.jwks())
            if rest.endswith("authorize"):
                return self._authorize(start_response, tenant, method, query, form)
            if rest.endswith("token"):
                return _json(start_response, 200, self._token(tenant, form, environ))
            return self._admin_consent(start_response, tenant, method, query, form)
        except EntraError as exc:
            with self.lock:
                self.token_requests.append({"grant_type": form.get("grant_type"), "error_code": exc.code})
            return _json(start_response, exc.status, exc.body())

    # === discovery ================================================================================
    def _check_tenant(self, tenant: str) -> None:
        if tenant not in _ALIASES and tenant != CONSUMERS_TENANT_ID and self.tenant(tenant) is None:
            raise EntraError(
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
                "into the correct cloud.",
            )

    def _resolve(self, tenant: str) -> str:
        """A domain in the URL names its tenant: discovery answers with the tenant's id (as Entra does)."""
        if tenant in _ALIASES or tenant == CONSUMERS_TENANT_ID:
            return tenant
        found = self.tenant(tenant)
        return found.tenant_id if found else tenant

    def _openid_configuration(self, tenant: str) -> dict:
        tenant = self._resolve(tenant)
        issuer_tid = "{tenantid}" if tenant in _ALIASES else tenant
        base = f"{self.base_url}/{tenant}"
        return {
            "issuer": f"{self.base_url}/{issuer_tid}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "tenant_region_scope": "EU",
        }

    # === authorize ================================================================================
    def _authorize(self, start_response, tenant, method, query, form):
        params = query if method == "GET" else {k: v for k, v in form.items() if not k.startswith("_")}
        if method == "POST" and form.get("_pending"):
            outcome = self._consent_request(form["_pending"], form.get("_justification", ""))
            return self._render(start_response, outcome, params, "")
        client = self.clients.get(params.get("client_id", ""))
        if client is None:
            return _html(start_response, 400, _error_page(700016, "Application not found in the directory."))
        if method == "GET":
            return _html(start_response, 200, _login_page(params, client.client_id))
        outcome = self._authorize_decision(
            tenant,
            params,
            form.get("_username", ""),
            form.get("_password", ""),
            form.get("_action", ""),
            consent_for_organisation=form.get("_consent_org") == "1",
        )
        return self._render(start_response, outcome, params, client.client_id)

    def _render(self, start_response, outcome, params, client_id):
        kind, payload = outcome
        if kind == "redirect":
            start_response("302 Found", [("Location", payload), ("Content-Length", "0")])
            return [b""]
        if kind in ("blocked", "requested", "workflow"):
            return _html(start_response, 200, _consent_page(kind, payload))
        return _html(start_response, 200, _login_page(params, client_id, error=payload))

    def _authorize_decision(
        self, tenant, params, username, password, action, *, consent_for_organisation: bool = False
    ) -> tuple[str, object]:
        client = self.clients.get(params.get("client_id", ""))
        redirect_uri = params.get("redirect_uri", "")
        if client is None or not redirect_uri or params.get("response_type") != "code":
            return ("page", "AADSTS900144: The request body must contain client_id, redirect_uri, response_type=code.")
        if client.redirect_uris is not None and redirect_uri not in client.redirect_uris:
            return ("page", "AADSTS50011: The redirect URI does not match the redirect URIs configured for the app.")
        state = params.get("state")

        def back(**values) -> tuple[str, str]:
            if state is not None:
                values["state"] = state
            return ("redirect", _with_query(redirect_uri, values))

        def fail_url(error: str, code: int, text: str) -> str:
            # Entra's redirect carries error, error_description and error_uri (with the code), no error_codes.
            return back(
                error=error,
                error_description=f"AADSTS{code}: {text}\r\nTrace ID: {uuid.uuid4()}",
                error_uri=f"https://login.microsoftonline.com/error?code={code}",
            )[1]

        def fail(error: str, code: int, text: str) -> tuple[str, str]:
            return ("redirect", fail_url(error, code, text))

        if action == "cancel" or self.errors.access_denied:
            return fail("access_denied", 65004, "User declined to consent to access the app.")
        user = self.user(username)
        if user is None or not secrets.compare_digest(user.password, password or ""):
            return ("page", "Your account or password is incorrect. (AADSTS50126)")
        with self.lock:
            self.authorize_requests.append({"tenant": tenant, "username": user.username})
        if user.personal and tenant != "common" and tenant != "consumers":
            return fail(
                "invalid_request",
                50020,
                f"User account '{user.username}' from identity provider 'live.com' does not exist in tenant "
                f"'{tenant}' and cannot access the application. The account needs to be added as an "
                "external user in the tenant first.",
            )
        resource = self.tenants.get(user.tenant_id) if tenant in _ALIASES else self.tenant(tenant)
        if resource is None:
            return ("page", f"AADSTS90002: Tenant '{tenant}' not found.")
        if not client.multitenant and resource.tenant_id != self.tenant_id:
            return fail("unauthorized_client", 50194, "Application is not configured as a multi-tenant application.")
        standing = user.standing_in(resource.tenant_id)
        if standing is None:
            return fail(
                "invalid_request",
                50020,
                f"User account '{user.username}' from identity provider 'https://sts.windows.net/{user.tenant_id}/' "
                f"does not exist in tenant '{resource.name}' and cannot access the application '{client.client_id}'"
                " in that tenant. The account needs to be added as an external user in the tenant first.",
            )
        if self.errors.mfa_required:
            return fail(
                "interaction_required",
                50076,
                "Due to a configuration change made by your administrator, "
                "or because you moved to a new location, you must use multi-factor authentication.",
            )
        if not resource.has_bc:
            return fail(
                "invalid_resource",
                500011,
                f"The resource principal named {BC_RESOURCE} was not found in the tenant named {resource.name}. "
                "This can happen if the application has not been installed by the administrator of the tenant "
                "or consented to by any user in the tenant.",
            )
        if BC_DELEGATED_PERMISSION not in client.bc_permissions:
            return fail(
                "invalid_client",
                650057,
                "Invalid resource. The client has requested access to a resource which is not listed in the "
                "requested permissions in the client's application registration.",
            )
        oid = user.oid_in(resource.tenant_id)
        if not self.has_consent(tenant_id=resource.tenant_id, client_id=client.client_id, oid=oid):
            policy = self.consent_policy(resource.tenant_id)
            if standing == "partner":
                return fail(
                    "invalid_request",
                    90099,
                    f"The application '{client.client_id}' has not been authorized in the tenant "
                    f"'{resource.tenant_id}'. Applications must be authorized to access the customer tenant "
                    "before partner delegated administrators can use them.",
                )
            if standing == "member" and user.is_admin:
                if consent_for_organisation:
                    self.grant_admin_consent(tenant_id=resource.tenant_id, client_id=client.client_id)
                else:
                    self.grant_user_consent(tenant_id=resource.tenant_id, client_id=client.client_id, oid=oid)
            elif policy == CONSENT_ALLOWED:
                self.grant_user_consent(tenant_id=resource.tenant_id, client_id=client.client_id, oid=oid)
            elif policy == CONSENT_WORKFLOW:
                token = secrets.token_urlsafe(16)
                return_url = fail_url(
                    "access_denied",
                    90095,
                    "Admin consent is required for the permissions requested by this application. An admin "
                    "consent request may be sent to the admin.",
                )
                with self.lock:
                    self.pending[token] = {
                        "tenant_id": resource.tenant_id,
                        "client_id": client.client_id,
                        "username": user.username,
                        "return_url": return_url,
                    }
                return ("workflow", {"code": 90095, "pending": token, "return_url": return_url})
            else:
                code, text = (
                    (900941, "Admin consent is required. App is considered risky or is from an unverified publisher.")
                    if policy == CONSENT_VERIFIED_ONLY
                    else (
                        90094,
                        "Admin consent is required for the permissions requested by this application.",
                    )
                )
                return ("blocked", {"code": code, "return_url": fail_url("access_denied", code, text)})
        tokens_tenant = user.tenant_id if self.errors.tokens_for_home_tenant else resource.tenant_id
        code = secrets.token_urlsafe(32)
        with self.lock:
            self.codes[code] = {
                "client_id": client.client_id,
                "redirect_uri": redirect_uri,
                "scope": params.get("scope", ""),
                "code_challenge": params.get("code_challenge"),
                "code_challenge_method": params.get("code_challenge_method", "plain"),
                "nonce": params.get("nonce"),
                "username": user.username,
                "tenant_id": tokens_tenant,
                "expires": self.now() + CODE_LIFETIME,
            }
        return back(code=code, session_state=str(uuid.uuid4()))

    def _consent_request(self, pending: str, justification: str) -> tuple[str, dict]:
        """The admin consent workflow: the user's request goes to the tenant's reviewers."""
        with self.lock:
            entry = self.pending.pop(pending, None)
            if entry is None:
                return ("page", "AADSTS90095: The approval request expired. Start the sign-in again.")
            self.consent_requests.append(
                {
                    "tenant_id": entry["tenant_id"],
                    "client_id": entry["client_id"],
                    "username": entry["username"],
                    "justification": justification,
                }
            )
        return ("requested", {"code": 90095, "return_url": entry["return_url"]})

    # === token ====================================================================================
    def _token(self, tenant: str, form: dict, environ) -> dict:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        client = self.clients.get(client_id)
        if client is None:
            raise EntraError("unauthorized_client", 700016, f"Application with identifier '{client_id}' was not found.")
        if not secrets.compare_digest(client.client_secret, secret):
            raise EntraError("invalid_client", 7000215, "Invalid client secret provided.", status=401)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            result = self._grant_code(client.client_id, form)
        elif grant == "refresh_token":
            result = self._grant_refresh(client.client_id, form)
        elif grant == "client_credentials":
            result = self._grant_client_credentials(tenant, client.client_id, form)
        else:
            raise EntraError("unsupported_grant_type", 70003, f"The app requested an unsupported grant type '{grant}'.")
        with self.lock:
            self.token_requests.append({"grant_type": grant, "error_code": None})
        return result

    def _grant_code(self, client_id: str, form: dict) -> dict:
        with self.lock:
            entry = self.codes.pop(form.get("code", ""), None)  # a code is redeemed once
        if entry is None or entry["expires"] < self.now():
            raise EntraError("invalid_grant", 70008, "The provided authorization code has expired or was redeemed.")
        if entry["client_id"] != client_id or entry["redirect_uri"] != form.get("redirect_uri"):
            raise EntraError("invalid_grant", 70002, "The code was issued to another client or redirect URI.")
        if entry["code_challenge"]:
            verifier = form.get("code_verifier", "")
            if entry["code_challenge_method"] == "S256":
                computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            else:
                computed = verifier
            if not secrets.compare_digest(computed, entry["code_challenge"]):
                raise EntraError("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge.")
        if self.errors.mfa_required:
            raise _mfa_error()
        user = self.user(entry["username"])
        scope = form.get("scope") or entry["scope"]
        return self._issue(user, client_id, scope, nonce=entry["nonce"], tenant_id=entry["tenant_id"])

    def _grant_refresh(self, client_id: str, form: dict) -> dict:
        token = form.get("refresh_token", "")
        with self.lock:
            entry = self.refresh_tokens.get(token)
            if entry is None or entry["client_id"] != client_id:
                raise EntraError("invalid_grant", 70000, "The provided value for 'refresh_token' is not valid.")
            idle = self.now() - entry["last_used"]
            if self.errors.refresh_token_expired or idle >= REFRESH_TOKEN_IDLE_SECONDS:
                raise EntraError(
                    "invalid_grant",
                    700082,
                    "The refresh token has expired due to inactivity. The token was issued on "
                    "a date and was inactive for 90.00:00:00.",
                )
            user = self.user(entry["username"])
            tenant_id = entry["tenant_id"]
            if not self.has_consent(tenant_id=tenant_id, client_id=client_id, oid=user.oid_in(tenant_id)):
                raise EntraError(
                    "invalid_grant", 65001, "The user or administrator has not consented to use the application."
                )
            if self.errors.mfa_required:
                raise _mfa_error()
            del self.refresh_tokens[token]  # rotation: the old refresh token is spent
        return self._issue(user, client_id, form.get("scope") or entry["scope"], nonce=None, tenant_id=tenant_id)

    def _grant_client_credentials(self, tenant: str, client_id: str, form: dict) -> dict:
        if tenant in _ALIASES:
            raise EntraError("invalid_request", 90130, "Client credentials need a tenant-specific authority.")
        scope = form.get("scope", "")
        if not scope.endswith("/.default"):
            raise EntraError("invalid_scope", 1002012, "The scope for client credentials must end in /.default.")
        now = int(self.now())
        claims = {
            "aud": BC_RESOURCE,
            "iss": f"https://sts.windows.net/{tenant}/",
            "iat": now,
            "nbf": now,
            "exp": now + self.access_token_lifetime,
            "tid": tenant,
            "oid": client_id,
            "appid": client_id,
            "roles": ["API.ReadWrite.All", "Automation.ReadWrite.All"],
            "idtyp": "app",
        }
        return {"token_type": "Bearer", "expires_in": self.access_token_lifetime, "access_token": self.key.sign(claims)}

    def _issue(self, user: SimUser, client_id: str, scope: str, *, nonce: str | None, tenant_id: str) -> dict:
        """Tokens for ``user`` in the resource tenant ``tenant_id``: a guest gets its guest object id
        there, a GDAP partner keeps its home object id; ``idp`` names the home tenant of both."""
        now = int(self.now())
        oid = user.oid_in(tenant_id)
        home = {} if tenant_id == user.tenant_id else {"idp": f"https://sts.windows.net/{user.tenant_id}/"}
        resource_scopes = [s for s in scope.split() if s not in _RESERVED_SCOPES]
        scp = " ".join(s.rsplit("/", 1)[-1] for s in resource_scopes if s.startswith(BC_RESOURCE))
        access = {
            "aud": BC_RESOURCE,
            "iss": f"https://sts.windows.net/{tenant_id}/",
            "iat": now,
            "nbf": now,
            "exp": now + self.access_token_lifetime,
            "tid": tenant_id,
            "oid": oid,
            "upn": user.username,
            "appid": client_id,
            "uti": secrets.token_urlsafe(16),
            "scp": "Financials.ReadWrite.All user_impersonation" if scp in ("", ".default") else scp,
            **home,
        }
        id_claims = {
            "aud": client_id,
            "iss": f"{self.base_url}/{tenant_id}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "tid": tenant_id,
            "oid": oid,
            "sub": hashlib.sha256(f"{oid}:{client_id}".encode()).hexdigest()[:43],
            "name": user.display_name,
            "preferred_username": user.username,
            "ver": "2.0",
            "uti": secrets.token_urlsafe(16),
            **home,
        }
        if nonce:
            id_claims["nonce"] = nonce
        refresh = secrets.token_urlsafe(48)
        with self.lock:
            self.refresh_tokens[refresh] = {
                "client_id": client_id,
                "username": user.username,
                "tenant_id": tenant_id,
                "scope": scope,
                "last_used": self.now(),
            }
        return {
            "token_type": "Bearer",
            "scope": " ".join(resource_scopes),
            "expires_in": self.access_token_lifetime,
            "ext_expires_in": self.access_token_lifetime,
            "access_token": self.key.sign(access),
            "refresh_token": refresh,
            "id_token": self.key.sign(id_claims),
            "client_info": client_info(uid=user.oid, utid=user.tenant_id),
        }

    # === admin consent ============================================================================
    def _admin_consent(self, start_response, tenant, method, query, form):
        params = query if method == "GET" else {k: v for k, v in form.items() if not k.startswith("_")}
        client = self.clients.get(params.get("client_id", ""))
        if client is None:
            return _html(start_response, 400, _error_page(700016, "Application not found in the directory."))
        if method == "GET":
            return _html(start_response, 200, _login_page(params, client.client_id, admin=True))
        user = self.user(form.get("_username", ""))
        if user is None or not secrets.compare_digest(user.password, form.get("_password", "")):
            page = _login_page(params, client.client_id, admin=True, error="Your account or password is incorrect.")
            return _html(start_response, 200, page)
        target = user.tenant_id if tenant in _ALIASES else self._resolve(tenant)
        if user.standing_in(target) != "member" or not user.is_admin:
            return _html(start_response, 403, _error_page(90094, "Granting tenant-wide consent requires an admin."))
        self.grant_admin_consent(tenant_id=target, client_id=client.client_id)
        if params.get("redirect_uri"):
            values = {"admin_consent": "True", "tenant": target}
            if params.get("scope"):
                values["scope"] = params["scope"]
            if params.get("state"):
                values["state"] = params["state"]
            start_response("302 Found", [("Location", _with_query(params["redirect_uri"], values))])
            return [b""]
        return _html(start_response, 200, "<!doctype html><title>Done</title><h1>Permissions granted</h1>")


# === helpers ======================================================================================
def _mfa_error() -> EntraError:
    return EntraError(
        "interaction_required",
        50076,
        "Due to a configuration change made by your administrator, or because you moved to a new location, "
        "you must use multi-factor authentication to access the resource.",
        extra={"suberror": "basic_action", "claims": json.dumps({"access_token": {"capolids": {"essential": True}}})},
    )


def _with_query(url: str, values: dict) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(values)}" if parts.query else urlencode(values)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _json(start_response, status: int, body: dict):
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


def _html(start_response, status: int, body: str):
    data = body.encode()
    start_response(
        f"{status} {'OK' if status == 200 else 'Error'}",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f2f2f2;display:flex;justify-content:center;padding:3rem}"
    "main{background:#fff;padding:2rem 2.5rem;max-width:26rem;box-shadow:0 2px 6px #0002}"
    "label{display:block;margin-top:1rem}input[type=email],input[type=password]{width:100%;padding:.4rem}"
    "button{margin-top:1.2rem;margin-right:.5rem;padding:.5rem 1.2rem}.error{color:#a4262c}"
)


def _login_page(params: dict, client_id: str, *, error: str = "", admin: bool = False) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items()
    )
    scope = html.escape(params.get("scope", ""))
    heading = "Grant admin consent for your organisation" if admin else "Sign in"
    consent = (
        f"<p>App <code>{html.escape(client_id)}</code> asks for: <code>{scope or 'its configured permissions'}</code>"
        " (read and write your Business Central data, keep access).</p>"
    )
    alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{heading} - Microsoft (simulated)</title>"
        f"<style>{_STYLE}</style></head><body><main><h1>{heading}</h1>{alert}{consent}"
        f"<form method='post'>{hidden}"
        "<label for='u'>Email</label><input id='u' type='email' name='_username' autocomplete='username' required"
        f" value='{html.escape(params.get('login_hint', ''))}'>"
        "<label for='p'>Password</label><input id='p' type='password' name='_password' required>"
        + (
            ""
            if admin
            else "<label><input type='checkbox' name='_consent_org' value='1'> Consent on behalf of your "
            "organisation (administrators)</label>"
        )
        + "<button type='submit' name='_action' value='accept'>Sign in and accept</button>"
        "<button type='submit' name='_action' value='cancel' formnovalidate>Cancel</button>"
        "</form></main></body></html>"
    )


def _consent_page(kind: str, payload: dict) -> str:
    """Entra's own pages when a user may not consent: the user stays at Microsoft until they go back."""
    back = html.escape(payload["return_url"])
    code = payload["code"]
    if kind == "workflow":
        body = (
            "<h1>Approval required</h1><p>This app needs permission to access resources in your organisation that "
            f"only an admin can grant. Request approval from an admin to use this app. (AADSTS{code})</p>"
            "<form method='post'>"
            f"<input type='hidden' name='_pending' value='{html.escape(payload['pending'])}'>"
            "<label for='j'>Justification</label><textarea id='j' name='_justification'></textarea>"
            "<button type='submit'>Request approval</button></form>"
        )
    elif kind == "requested":
        body = (
            "<h1>Request sent</h1><p>Your request for approval has been sent to your administrators. You will "
            f"be notified by e-mail when it is reviewed. (AADSTS{code})</p>"
        )
    else:
        body = (
            "<h1>Need admin approval</h1><p>This app needs permission to access resources in your organisation "
            f"that only an admin can grant. Please ask an admin to grant permission to this app before you can "
            f"use it. (AADSTS{code})</p>"
        )
    link = f"<p><a id='return-to-app' href='{back}'>Return to the application without granting consent</a></p>"
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Microsoft (simulated)</title>"
        f"<style>{_STYLE}</style></head><body><main>{body}{link}</main></body></html>"
    )


def _error_page(code: int, text: str) -> str:
    return (
        f"<!doctype html><title>Sign-in error</title><style>{_STYLE}</style>"
        f"<main><h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS{code}: {html.escape(text)}</p></main>"
    )
