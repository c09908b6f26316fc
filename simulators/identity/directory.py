"""The simulated directory: tenants, users, registered apps, consent and the clock.

Seeded users (password for all: ``Passw0rd!``):

* ``admin@contoso.example`` - global admin of the Contoso tenant, licensed for Business Central.
* ``clerk@contoso.example`` - same tenant, signs in fine, but has no Business Central licence.
* ``someone@outlook.example`` - a personal Microsoft account (consumers tenant).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

# The Contoso tenant: the same id as the BC simulator's fixed tenant, whose environments belong to it.
CONTOSO_TENANT_ID = "7f3c2d1e-4b5a-4c69-9d8e-0a1b2c3d4e5f"
# Microsoft's fixed tenant id for personal (consumer) accounts.
CONSUMERS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
DEFAULT_PASSWORD = "Passw0rd!"
DEFAULT_CLIENT_ID = "0f4e5c2a-3b8d-4e0a-9a51-6f7c1d2e3b4c"
DEFAULT_CLIENT_SECRET = "sim-client-secret"
BC_RESOURCE = "https://api.businesscentral.dynamics.com"
REFRESH_TOKEN_IDLE_SECONDS = 90 * 24 * 3600  # Entra: 90 days of inactivity


@dataclass
class SimUser:
    username: str
    display_name: str
    tenant_id: str
    oid: str = field(default_factory=lambda: str(uuid.uuid4()))
    password: str = DEFAULT_PASSWORD
    bc_access: bool = True
    personal: bool = False
    is_admin: bool = False


@dataclass
class SimClient:
    client_id: str
    client_secret: str
    redirect_uris: list[str] | None = None  # None accepts any redirect URI


@dataclass
class ErrorModes:
    """Switches for the failure cases the product must explain."""

    # The tenant forbids user consent: AADSTS65001 until an admin consents.
    consent_blocked: bool = False
    # Conditional access demands MFA the app cannot satisfy: AADSTS50076 on every token request.
    mfa_required: bool = False
    # Every refresh token is treated as idle for 90 days: AADSTS700082.
    refresh_token_expired: bool = False
    # The user presses "Cancel" regardless of the form.
    access_denied: bool = False


class Directory:
    """Thread-safe state shared by the HTTP handlers and the test helpers."""

    def __init__(self, *, tenant_id: str = CONTOSO_TENANT_ID) -> None:
        self.lock = threading.RLock()
        self.tenant_id = tenant_id
        self.clock_offset = 0.0
        self.errors = ErrorModes()
        self.users: dict[str, SimUser] = {}
        self.clients: dict[str, SimClient] = {}
        self.consents: set[tuple[str, str]] = set()  # (tenant id, client id)
        self.codes: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self.access_token_lifetime = 3600
        self.token_requests: list[dict] = []  # grant type + outcome, for assertions
        self.add_user(SimUser("admin@contoso.example", "Contoso Admin", tenant_id, is_admin=True))
        self.add_user(SimUser("clerk@contoso.example", "Contoso Clerk", tenant_id, bc_access=False))
        self.add_user(SimUser("someone@outlook.example", "Someone Personal", CONSUMERS_TENANT_ID, personal=True))
        self.add_client(SimClient(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))

    # --- seeding -------------------------------------------------------------------------------
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
        return next((u for u in self.users.values() if u.oid == oid), None)

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

    def revoke_consent(self, *, tenant_id: str, client_id: str) -> None:
        with self.lock:
            self.consents.discard((tenant_id, client_id))

    def has_consent(self, *, tenant_id: str, client_id: str) -> bool:
        return (tenant_id, client_id) in self.consents

    # --- refresh tokens -----------------------------------------------------------------------------
    def refresh_token_is_valid(self, token: str) -> bool:
        entry = self.refresh_tokens.get(token)
        return bool(entry) and self.now() - entry["last_used"] < REFRESH_TOKEN_IDLE_SECONDS
