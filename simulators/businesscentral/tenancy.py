"""Business Central online in front of several Microsoft Entra tenants, one simulator per tenant.

BC serves every tenant from one API root: ``/v2.0/{tenant}/{environment}/api/v2.0/...`` and the
admin center (``/admin/v2.x/...``, which answers for the token's tenant). An access token belongs
to one tenant (its ``tid``). This front refuses, before the tenant's simulator sees the request:

* a token that is not valid (signature, audience, expiry): 401 "rejected the client credentials";
* a token whose ``tid`` is not the tenant in the URL: the same 401 (assumption: BC online does not
  document this answer; a token is only good for its own tenant);
* a valid token of a user Business Central does not let in (no licence in that tenant, not a
  guest with a licence, no GDAP role): 401 "Web service call failed because user could not be
  authenticated or authorized." (the generic entitlement refusal BC online answers).

``identity`` is anything with ``token_principal(token)`` and ``bc_entitled(tenant_id=, oid=)``
(the identity simulator).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from .app import BusinessCentralSimulator
from .errors import INVALID_CREDENTIALS, envelope

_TENANT_IN_PATH = re.compile(r"^/v2\.0/(?P<tenant>[^/]+)/[^/]+/(?:api/v2\.0|ODataV4)(?:/|$)")
USER_NOT_AUTHORIZED = "Web service call failed because user could not be authenticated or authorized."


class BusinessCentralTenants:
    """A WSGI app: the tenant's BusinessCentralSimulator behind a token/tenant check."""

    def __init__(self, *, identity, tenants: dict[str, BusinessCentralSimulator]) -> None:
        self.identity = identity
        self.tenants = {tenant_id.lower(): sim for tenant_id, sim in tenants.items()}
        self.refusals: list[dict] = []  # why each request was refused, for assertions

    def __getitem__(self, tenant_id: str) -> BusinessCentralSimulator:
        return self.tenants[tenant_id.lower()]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            return next(iter(self.tenants.values()))(environ, start_response)
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        principal = self.identity.token_principal(token.strip()) if scheme.lower() == "bearer" else None
        if principal is None:
            return self._refuse(start_response, "invalid token", path, INVALID_CREDENTIALS)
        tenant_id = principal.tenant_id.lower()
        match = _TENANT_IN_PATH.match(path)
        if match and match["tenant"].lower() != tenant_id:
            return self._refuse(start_response, "token for another tenant", path, INVALID_CREDENTIALS)
        sim = self.tenants.get(tenant_id)
        if sim is None:
            return self._refuse(start_response, "no Business Central in the tenant", path, INVALID_CREDENTIALS)
        if principal.username is not None and not self.identity.bc_entitled(tenant_id=tenant_id, oid=principal.oid):
            return self._refuse(start_response, "user not entitled", path, USER_NOT_AUTHORIZED)
        return sim(environ, start_response)

    def _refuse(self, start_response, reason: str, path: str, message: str):
        self.refusals.append({"reason": reason, "path": path})
        body = json.dumps(envelope("Authentication_InvalidCredentials", message)).encode()
        start_response(
            "401 Unauthorized",
            [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]


def bc_tenants_build(*, identity, tenant_ids: Iterable[str], **kwargs) -> BusinessCentralTenants:
    """One seeded simulator per tenant, each accepting the identity simulator's tokens."""
    sims = {
        tenant_id: BusinessCentralSimulator(
            accepted_tokens={}, token_validator=identity.bc_token_validator, tenant_id=tenant_id.lower(), **kwargs
        )
        for tenant_id in tenant_ids
    }
    return BusinessCentralTenants(identity=identity, tenants=sims)
