"""Typed errors of the Entra connector. Messages carry Entra's description, never a token."""

from __future__ import annotations

from integrations.connectors.entra import errors


class EntraError(Exception):
    entry: errors.AuthErrorCode = errors.OTHER

    def __init__(
        self,
        message: str = "",
        *,
        aadsts: int | None = None,
        admin_consent_url: str = "",
        entry: errors.AuthErrorCode | None = None,
    ) -> None:
        if entry is not None:
            self.entry = entry
        super().__init__(message or str(self.entry.title))
        self.aadsts = aadsts
        self.admin_consent_url = admin_consent_url

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def needs_reauth(self) -> bool:
        """True when only the merchant signing in again can fix it (background refresh gives up)."""
        return self.entry.needs_reauth


class ConsentRequired(EntraError):
    entry = errors.CONSENT_REQUIRED


class AccessDenied(EntraError):
    entry = errors.ACCESS_DENIED


class MfaRequired(EntraError):
    entry = errors.MFA_REQUIRED


class WrongAccountType(EntraError):
    entry = errors.WRONG_ACCOUNT_TYPE


class ReauthRequired(EntraError):
    entry = errors.REAUTH_REQUIRED


class InteractionRequired(EntraError):
    entry = errors.INTERACTION_REQUIRED


class WrongOrganisation(EntraError):
    entry = errors.WRONG_ORGANISATION


class TenantMismatch(EntraError):
    """The token's tenant is not the organisation the merchant named."""

    entry = errors.TENANT_MISMATCH


class OrganisationNotFound(EntraError):
    entry = errors.ORGANISATION_NOT_FOUND


class SignInExpired(EntraError):
    """State missing or mismatched: the flow is restarted, never a server error."""

    entry = errors.SIGNIN_EXPIRED


class AppMisconfigured(EntraError):
    entry = errors.APP_MISCONFIGURED


class IdentityUnavailable(EntraError):
    entry = errors.IDENTITY_UNAVAILABLE


_CLASS_BY_CODE = {cls.entry.code: cls for cls in EntraError.__subclasses__()}


def error_from_response(result: dict, *, refreshing: bool = False) -> EntraError:
    """Map an Entra error answer (token endpoint JSON or redirect parameters) to a typed error.

    The product code comes from ``errors.auth_error_for`` (AADSTS numbers, then the OAuth error);
    the description's first line is kept as the message for support, never interpreted.
    """
    description = str(result.get("error_description") or "")
    codes = errors.aadsts_codes(result)
    entry = errors.auth_error_for(error=str(result.get("error") or ""), codes=codes, refreshing=refreshing)
    first_line = description.splitlines()[0] if description else str(result.get("error", ""))
    error_class = _CLASS_BY_CODE.get(entry.code, EntraError)
    return error_class(first_line, aadsts=codes[0] if codes else None, entry=entry)
