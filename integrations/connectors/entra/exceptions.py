"""Typed errors of the Entra connector. Messages carry Entra's description, never a token."""

from __future__ import annotations

import re

from integrations.connectors.entra import errors

_AADSTS = re.compile(r"AADSTS(\d+)")


class EntraError(Exception):
    entry: errors.AuthErrorCode = errors.OTHER
    # True when only the merchant signing in again can fix it (background refresh gives up).
    needs_reauth = False

    def __init__(self, message: str = "", *, aadsts: int | None = None, admin_consent_url: str = "") -> None:
        super().__init__(message or str(self.entry.title))
        self.aadsts = aadsts
        self.admin_consent_url = admin_consent_url

    @property
    def code(self) -> str:
        return self.entry.code


class ConsentRequired(EntraError):
    entry = errors.CONSENT_REQUIRED
    needs_reauth = True


class AccessDenied(EntraError):
    entry = errors.ACCESS_DENIED


class MfaRequired(EntraError):
    entry = errors.MFA_REQUIRED
    needs_reauth = True


class WrongAccountType(EntraError):
    entry = errors.WRONG_ACCOUNT_TYPE
    needs_reauth = True


class ReauthRequired(EntraError):
    entry = errors.REAUTH_REQUIRED
    needs_reauth = True


class InteractionRequired(EntraError):
    entry = errors.INTERACTION_REQUIRED
    needs_reauth = True


class WrongOrganisation(EntraError):
    entry = errors.WRONG_ORGANISATION


class SignInExpired(EntraError):
    """State missing or mismatched: the flow is restarted, never a server error."""

    entry = errors.SIGNIN_EXPIRED


class AppMisconfigured(EntraError):
    entry = errors.APP_MISCONFIGURED


class IdentityUnavailable(EntraError):
    entry = errors.IDENTITY_UNAVAILABLE


_BY_ENTRY = {
    cls.entry.code: cls
    for cls in (ConsentRequired, AccessDenied, MfaRequired, WrongAccountType, ReauthRequired, AppMisconfigured)
}


def error_from_response(result: dict, *, refreshing: bool = False) -> EntraError:
    """Map an Entra error answer (token endpoint JSON or redirect parameters) to a typed error."""
    description = str(result.get("error_description") or "")
    codes = result.get("error_codes") or []
    found = _AADSTS.search(description)
    aadsts = int(codes[0]) if codes else (int(found.group(1)) if found else None)
    first_line = description.splitlines()[0] if description else str(result.get("error", ""))
    entry = errors.auth_error_for_aadsts(aadsts)
    if entry is not None:
        return _BY_ENTRY[entry.code](first_line, aadsts=aadsts)
    error = result.get("error")
    if error == "consent_required":
        return ConsentRequired(first_line, aadsts=aadsts)
    if error == "access_denied":
        return AccessDenied(first_line, aadsts=aadsts)
    if error == "interaction_required":
        return InteractionRequired(first_line, aadsts=aadsts)
    if error == "invalid_client":
        return AppMisconfigured(first_line, aadsts=aadsts)
    if error == "invalid_grant" and refreshing:
        # RFC 6749's catch-all: whatever the reason, the stored grant is dead.
        return ReauthRequired(first_line, aadsts=aadsts)
    return EntraError(first_line, aadsts=aadsts)
