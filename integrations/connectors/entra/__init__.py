"""Microsoft Entra ID (sign-in for Business Central) via msal."""

from integrations.connectors.entra.client import AccessToken, EntraClient, SignInResult, admin_consent_url
from integrations.connectors.entra.errors import AUTH_ERRORS, AUTH_ERRORS_BY_CODE, AuthErrorCode
from integrations.connectors.entra.exceptions import EntraError

__all__ = [
    "AUTH_ERRORS",
    "AUTH_ERRORS_BY_CODE",
    "AccessToken",
    "AuthErrorCode",
    "EntraClient",
    "EntraError",
    "SignInResult",
    "admin_consent_url",
]
