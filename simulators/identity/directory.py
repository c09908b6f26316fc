"""The simulated directory: tenants, users, registered apps, consent and the clock.

Tenants (each with its own consent policy; Business Central subscribed or not):

* Contoso (``contoso.example``) - Business Central; users may consent to apps (per user).
* Fabrikam (``fabrikam.example``) - a second organisation with Business Central.
* Northwind (``northwind.example``) - no Business Central subscription.
* Adatum (``adatum.example``) - Business Central; user consent blocked (AADSTS90094), or with the
  admin consent workflow on (``consent_policy = "workflow"``, AADSTS90095).
* Ledger Partners (``ledger.example``) - an accounting firm; its accountant is a guest in Contoso.
* CSP Partner (``csp-partner.example``) - a partner with delegated admin access (GDAP) to Contoso.

Seeded users (password for all: ``Passw0rd!``):

* ``admin@contoso.example`` - global admin of Contoso, licensed for Business Central.
* ``bookkeeper@contoso.example`` - licensed for Business Central, no admin role.
* ``clerk@contoso.example`` - signs in fine, but has no Business Central licence.
* ``accountant@ledger.example`` - home tenant Ledger Partners; guest in Contoso with BC's External
  Accountant licence (an object of its own in Contoso).
* ``consultant@csp-partner.example`` - partner user with GDAP roles in Contoso and Fabrikam (the app
  is authorised in Contoso only).
* ``admin@fabrikam.example``, ``admin@northwind.example``, ``admin@adatum.example`` (admins),
  ``staff@adatum.example`` (licensed, no admin role).
* ``someone@outlook.example`` - a personal Microsoft account (consumers tenant).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

# The Contoso tenant: the same id as the BC simulator's fixed tenant, whose environments belong to it.
CONTOSO_TENANT_ID = "7f3c2d1e-4b5a-4c69-9d8e-0a1b2c3d4e5f"
FABRIKAM_TENANT_ID = "2b8c6e4a-1d3f-4a5b-8c7d-9e0f1a2b3c4d"
NORTHWIND_TENANT_ID = "5c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e60"
ADATUM_TENANT_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
LEDGER_TENANT_ID = "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"
PARTNER_TENANT_ID = "6d7e8f9a-0b1c-4d2e-b3f4-a5b6c7d8e9f0"
# Microsoft's fixed tenant id for personal (consumer) accounts.
CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
DEFAULT_PASSWORD = "Passw0rd!"
DEFAULT_CLIENT_ID = "0f4e5c2a-3b8d-4e0a-9a51-6f7c1d2e3b4c"
DEFAULT_CLIENT_SECRET = "sim-client-secret"
BC_RESOURCE = "https://api.businesscentral.dynamics.com"
BC_DELEGATED_PERMISSION = "Financials.ReadWrite.All"
REFRESH_TOKEN_IDLE_SECONDS = 90 * 24 * 3600  # Entra: 90 days of inactivity

# Consent policies of a tenant (Entra: "User consent settings" and the admin consent workflow).
CONSENT_ALLOWED = "allowed"  # users may consent for themselves
CONSENT_BLOCKED = "blocked"  # only admins: AADSTS90094 on Entra's own page
CONSENT_WORKFLOW = "workflow"  # blocked, with the admin consent workflow: AADSTS90095 (request approval)
CONSENT_VERIFIED_ONLY = "verified_only"  # only apps of verified publishers: AADSTS900941 for this app


@dataclass
class SimTenant:
    tenant_id: str
    name: str
    domains: tuple[str, ...]
    has_bc: bool = True
    consent_policy: str = CONSENT_ALLOWED


@dataclass
class SimUser:
    username: str
    display_name: str
    tenant_id: str  # home tenant
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    password: str = DEFAULT_PASSWORD
    bc_access: bool = True  # a Business Central licence in the home tenant
    personal: bool = False
    is_admin: bool = False
    # Guest objects in other tenants: tenant id -> the guest's object id there (BC licence included).
    guest_in: dict[str, str] = field(default_factory=dict)
    # Tenants this partner user administers through GDAP (delegated admin, no object there).
    gdap_tenants: set[str] = field(default_factory=set)

    def oid_in(self, tenant_id: str) -> str:
        return self.guest_in.get(tenant_id, self.oid)

    def standing_in(self, tenant_id: str) -> str | None:
        """member, guest or partner (GDAP) in ``tenant_id``; None when the user is not known there."""
        if tenant_id == self.tenant_id:
            return "member"
        if tenant_id in self.guest_in:
            return "guest"
        if tenant_id in self.gdap_tenants:
            return "partner"
        return None


@dataclass
class SimClient:
    client_id: str
    client_secret: str
    redirect_uris: list[str] | None = None  # None accepts any redirect URI
    # Delegated permissions on Dynamics 365 Business Central in the app registration.
    bc_permissions: tuple[str, ...] = (BC_DELEGATED_PERMISSION,)
    multitenant: bool = True


@dataclass
class ErrorModes:
    """Switches for the failure cases the product must explain."""

    # Contoso forbids user consent (same as ``tenant.consent_policy = "blocked"``): AADSTS90094.
    consent_blocked: bool = False
    # Conditional access demands MFA the app cannot satisfy: AADSTS50076 on every token request.
    mfa_required: bool = False
    # Every refresh token is treated as idle for 90 days: AADSTS700082.
    refresh_token_expired: bool = False
    # The user presses "Cancel" regardless of the form.
    access_denied: bool = False
    # A broken authority that ignores the tenant in the URL: tokens name the user's home tenant.
    tokens_for_home_tenant: bool = False


class Directory:
    """Thread-safe state shared by the HTTP handlers and the test helpers."""

    def __init__(self, *, tenant_id: str = CONTOSO_TENANT_ID) -> None:
        self.lock = threading.RLock()
        self.tenant_id = tenant_id
        self.clock_offset = 0.0
        self.errors = ErrorModes()
        self.tenants: dict[str, SimTenant] = {}
        self.users: dict[str, SimUser] = {}
        self.clients: dict[str, SimClient] = {}
        self.consents: set[tuple[str, str]] = set()  # tenant-wide (admin) consent: (tenant id, client id)
        self.user_consents: set[tuple[str, str, str]] = set()  # per user: (tenant id, client id, oid there)
        self.consent_requests: list[dict] = []  # the admin consent workflow's pending requests
        self.consent_events: list[dict] = []  # every consent given: who, where, for whom
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self.access_token_lifetime = 3600
        self.token_requests: list[dict] = []  # grant type + outcome, for assertions
        self.authorize_requests: list[dict] = []  # tenant in the URL + who signed in, for assertions
        self._seed(tenant_id)
        self.add_client(SimClient(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))

    def _seed(self, contoso: str) -> None:
        self.add_tenant(SimTenant(contoso, "Contoso", ("contoso.example", "contoso.onmicrosoft.com")))
        self.add_tenant(SimTenant(FABRIKAM_TENANT_ID, "Fabrikam", ("fabrikam.example",)))
        self.add_tenant(SimTenant(NORTHWIND_TENANT_ID, "Northwind", ("northwind.example",), has_bc=False))
        self.add_tenant(SimTenant(ADATUM_TENANT_ID, "Adatum", ("adatum.example",), consent_policy=CONSENT_BLOCKED))
        self.add_tenant(SimTenant(LEDGER_TENANT_ID, "Ledger Partners", ("ledger.example",), has_bc=False))
        self.add_tenant(SimTenant(PARTNER_TENANT_ID, "CSP Partner", ("csp-partner.example",), has_bc=False))
        self.add_user(SimUser("admin@contoso.example", "Contoso Admin", contoso, is_admin=True))
        self.add_user(SimUser("bookkeeper@contoso.example", "Contoso Bookkeeper", contoso))
        self.add_user(SimUser("clerk@contoso.example", "Contoso Clerk", contoso, bc_access=False))
        self.add_user(
            SimUser(
                "accountant@ledger.example",
                "Ledger Accountant",
                LEDGER_TENANT_ID,
                bc_access=False,
                guest_in={contoso: str(uuid.uuid4())},
            )
        )
        self.add_user(
            SimUser(
                "consultant@csp-partner.example",
                "Partner Consultant",
                PARTNER_TENANT_ID,
                bc_access=False,
                is_admin=True,
                gdap_tenants={contoso, FABRIKAM_TENANT_ID},
            )
        )
        self.add_user(SimUser("admin@fabrikam.example", "Fabrikam Admin", FABRIKAM_TENANT_ID, is_admin=True))
        self.add_user(SimUser("admin@northwind.example", "Northwind Admin", NORTHWIND_TENANT_ID, is_admin=True))
        self.add_user(SimUser("admin@adatum.example", "Adatum Admin", ADATUM_TENANT_ID, is_admin=True))
        self.add_user(SimUser("staff@adatum.example", "Adatum Staff", ADATUM_TENANT_ID))
        self.add_user(SimUser("someone@outlook.example", "Someone Personal", CONSUMERS_TENANT_ID, personal=True))

    # --- seeding -------------------------------------------------------------------------------
    def add_tenant(self, tenant: SimTenant) -> SimTenant:
        with self.lock:
            self.tenants[tenant.tenant_id] = tenant
        return tenant

    def add_user(self, user: SimUser) -> SimUser:
        with self.lock:
            self.users[user.username.lower()] = user
        return user

    def add_client(self, client: SimClient) -> SimClient:
        with self.lock:
            self.clients[client.client_id] = client
        return client

    def user(self, username: str) -> SimUser | None:
        return self.users.get((username or "").strip().lower())

    def user_by_oid(self, oid: str) -> SimUser | None:
        return next((u for u in self.users.values() if u.oid == oid or oid in u.guest_in.values()), None)

    def tenant(self, name: str) -> SimTenant | None:
        """A tenant by id or by one of its verified domains."""
        key = (name or "").strip().lower()
        found = self.tenants.get(key)
        return found or next((t for t in self.tenants.values() if key in t.domains), None)

    def consent_policy(self, tenant_id: str) -> str:
        tenant = self.tenants.get(tenant_id)
        if tenant_id == self.tenant_id and self.errors.consent_blocked:
            return CONSENT_BLOCKED
        return tenant.consent_policy if tenant else CONSENT_ALLOWED

    def bc_entitled(self, *, tenant_id: str, oid: str) -> bool:
        """Does Business Central in ``tenant_id`` know this user (licence, guest licence or GDAP)?"""
        tenant = self.tenants.get(tenant_id)
        user = self.user_by_oid(oid)
        if tenant is None or not tenant.has_bc or user is None:
            return False
        standing = user.standing_in(tenant_id)
        return (standing == "member" and user.bc_access) or standing in ("guest", "partner")

    # --- clock -----------------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds

    # --- consent ------------------------------------------------------------------------------------
    def grant_admin_consent(self, *, tenant_id: str, client_id: str) -> None:
        with self.lock:
            self.consents.add((tenant_id, client_id))
            self.consent_events.append({"tenant_id": tenant_id, "client_id": client_id, "scope": "tenant"})

    def grant_user_consent(self, *, tenant_id: str, client_id: str, oid: str) -> None:
        with self.lock:
            self.user_consents.add((tenant_id, client_id, oid))
            self.consent_events.append({"tenant_id": tenant_id, "client_id": client_id, "scope": "user", "oid": oid})

    def revoke_consent(self, *, tenant_id: str, client_id: str) -> None:
        with self.lock:
            self.consents.discard((tenant_id, client_id))
            self.user_consents = {c for c in self.user_consents if c[:2] != (tenant_id, client_id)}

    def has_consent(self, *, tenant_id: str, client_id: str, oid: str | None = None) -> bool:
        """Tenant-wide consent, or (with ``oid``) this user's own consent in that tenant."""
        if (tenant_id, client_id) in self.consents:
            return True
        return oid is not None and (tenant_id, client_id, oid) in self.user_consents

    def consent_request_approve(self, *, tenant_id: str, client_id: str) -> None:
        """An admin approves the pending requests (admin consent workflow): tenant-wide consent."""
        with self.lock:
            self.consent_requests = [
                r for r in self.consent_requests if (r["tenant_id"], r["client_id"]) != (tenant_id, client_id)
            ]
        self.grant_admin_consent(tenant_id=tenant_id, client_id=client_id)

    # --- refresh tokens -----------------------------------------------------------------------------
    def refresh_token_is_valid(self, token: str) -> bool:
        entry = self.refresh_tokens.get(token)
        return bool(entry) and self.now() - entry["last_used"] < REFRESH_TOKEN_IDLE_SECONDS
