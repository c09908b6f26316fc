"""Product error codes for Microsoft sign-in (Entra ID), as data.

Each entry names the AADSTS codes it covers. The global error-code catalogue imports
``AUTH_ERRORS``; the merchant pages show ``title`` and ``remedy``; support reads ``cause``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuthErrorCode:
    code: str
    title: str
    cause: str
    remedy: str
    aadsts: tuple[int, ...] = ()
    severity: str = "error"
    retryable: bool = False


CONSENT_REQUIRED = AuthErrorCode(
    "AUTH-001",
    _("Your IT administrator must approve Junipeer"),
    _(
        "Microsoft Entra ID has no consent for Junipeer in your organisation (AADSTS65001): the tenant does not "
        "allow users to consent to third-party applications."
    ),
    _(
        "Ask your IT administrator to open the admin-consent link and approve Junipeer for the organisation, "
        "or to allow user consent for third-party apps. Then sign in again."
    ),
    (65001,),
)
ACCESS_DENIED = AuthErrorCode(
    "AUTH-002",
    _("Sign-in was cancelled"),
    _("The Microsoft sign-in was cancelled or the requested permissions were declined (AADSTS65004)."),
    _("Sign in again and accept the requested permissions to connect Business Central."),
    (65004,),
    severity="warning",
)
MFA_REQUIRED = AuthErrorCode(
    "AUTH-003",
    _("Multi-factor authentication or conditional access blocked the sign-in"),
    _(
        "A conditional access policy in your organisation requires multi-factor authentication or blocks this "
        "sign-in (AADSTS50076, 50079 or 53003)."
    ),
    _(
        "Sign in again interactively and complete multi-factor authentication. If it is still blocked, ask your IT "
        "administrator to allow Junipeer in the conditional access policy."
    ),
    (50076, 50079, 53003, 50158),
)
WRONG_ACCOUNT_TYPE = AuthErrorCode(
    "AUTH-004",
    _("A personal Microsoft account cannot connect Business Central"),
    _(
        "The account used is a personal Microsoft account (Outlook, Hotmail, Live), or does not belong to a work "
        "organisation (AADSTS50020 or 9002331). Business Central needs a work or school account."
    ),
    _("Sign in with the work account you use for Business Central."),
    (50020, 9002331, 500200),
)
REAUTH_REQUIRED = AuthErrorCode(
    "AUTH-005",
    _("The connection to Business Central has expired"),
    _(
        "Microsoft no longer accepts the stored refresh token: it expired after 90 days without use, was revoked, "
        "or was replaced (AADSTS700082, 70008, 70043 or another invalid_grant). Syncs are paused."
    ),
    _("Reconnect Business Central: sign in with Microsoft again from the integration page."),
    (700082, 70008, 70043, 70000, 50173),
)
INTERACTION_REQUIRED = AuthErrorCode(
    "AUTH-006",
    _("Microsoft needs you to sign in again"),
    _("Microsoft Entra ID requires an interactive sign-in (interaction_required) that a background job cannot do."),
    _("Reconnect Business Central: sign in with Microsoft again from the integration page."),
)
WRONG_ORGANISATION = AuthErrorCode(
    "AUTH-007",
    _("Signed in to another organisation"),
    _(
        "The account belongs to a different Microsoft organisation than the Business Central company this "
        "integration is connected to."
    ),
    _(
        "Sign in with an account of the organisation that owns the connected company, or connect the other "
        "company as a new integration."
    ),
)
SIGNIN_EXPIRED = AuthErrorCode(
    "AUTH-008",
    _("The sign-in session expired"),
    _(
        "The answer from Microsoft did not match a sign-in started in this browser (state missing or different), "
        "for example after a long pause, a second tab or a browser restart."
    ),
    _("Start the Microsoft sign-in again."),
    severity="warning",
)
APP_MISCONFIGURED = AuthErrorCode(
    "AUTH-009",
    _("Junipeer's Microsoft app registration is misconfigured"),
    _("Microsoft rejected Junipeer's own credentials or redirect URI (AADSTS7000215, 700016, 50011)."),
    _("Nothing to do on your side: Junipeer support has been told. Try again later."),
    (7000215, 7000222, 700016, 50011),
)
IDENTITY_UNAVAILABLE = AuthErrorCode(
    "AUTH-010",
    _("Microsoft sign-in is unavailable"),
    _("The Microsoft identity platform could not be reached or answered with a server error."),
    _("Try again in a few minutes. Background jobs retry on their own."),
    severity="warning",
    retryable=True,
)
OTHER = AuthErrorCode(
    "AUTH-099",
    _("Microsoft sign-in failed"),
    _("Microsoft Entra ID answered with an error this product does not know; the AADSTS code is shown."),
    _("Try again. If it happens again, contact support with the AADSTS code."),
)

AUTH_ERRORS: tuple[AuthErrorCode, ...] = (
    CONSENT_REQUIRED,
    ACCESS_DENIED,
    MFA_REQUIRED,
    WRONG_ACCOUNT_TYPE,
    REAUTH_REQUIRED,
    INTERACTION_REQUIRED,
    WRONG_ORGANISATION,
    SIGNIN_EXPIRED,
    APP_MISCONFIGURED,
    IDENTITY_UNAVAILABLE,
    OTHER,
)
AUTH_ERRORS_BY_CODE = {entry.code: entry for entry in AUTH_ERRORS}
_BY_AADSTS = {aadsts: entry for entry in AUTH_ERRORS for aadsts in entry.aadsts}


def auth_error_for_aadsts(aadsts: int | None) -> AuthErrorCode | None:
    return _BY_AADSTS.get(aadsts) if aadsts is not None else None
