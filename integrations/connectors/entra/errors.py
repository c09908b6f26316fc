"""Product error codes for Microsoft sign-in (Entra ID), as data, and the one map onto them.

Each entry names the AADSTS codes it covers. The global error-code catalogue imports
``AUTH_ERRORS``; the merchant pages show ``title`` and ``remedy``; support reads ``cause``.
``auth_error_for`` is the only place an Entra answer becomes a product code: by the numbers in
``error_codes`` (the token endpoint) or in ``error_uri`` (the authorize redirect), then by the OAuth
``error`` string. ``error_description`` is never read: Microsoft says its text changes at any time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuthErrorCode:
    code: str
    title: str | Promise  # lazy translations
    cause: str | Promise
    remedy: str | Promise
    aadsts: tuple[int, ...] = ()
    severity: str = "error"
    retryable: bool = False
    # True when only a person can fix it: a background refresh gives up and asks for a new sign-in.
    needs_reauth: bool = False


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
    needs_reauth=True,
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
    (50076, 50079, 53003, 50158, 50078),
    needs_reauth=True,
)
WRONG_ACCOUNT_TYPE = AuthErrorCode(
    "AUTH-004",
    _("A personal Microsoft account cannot connect Business Central"),
    _(
        "The account used is a personal Microsoft account (Outlook, Hotmail, Live; AADSTS500200 or the "
        "consumer tenant in the token). Business Central needs a work or school account."
    ),
    _("Sign in with the work account you use for Business Central."),
    (500200,),
    needs_reauth=True,
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
    needs_reauth=True,
)
INTERACTION_REQUIRED = AuthErrorCode(
    "AUTH-006",
    _("Microsoft needs you to sign in again"),
    _("Microsoft Entra ID requires an interactive sign-in (interaction_required) that a background job cannot do."),
    _("Reconnect Business Central: sign in with Microsoft again from the integration page."),
    needs_reauth=True,
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
    (54005,),
    severity="warning",
)
APP_MISCONFIGURED = AuthErrorCode(
    "AUTH-009",
    _("Junipeer's Microsoft app registration is misconfigured"),
    _(
        "Microsoft rejected Junipeer's own app registration: its credentials or redirect URI (AADSTS7000215, "
        "700016, 50011), it is not registered for other organisations (AADSTS50194, single tenant) or only for "
        "personal accounts (AADSTS9002331)."
    ),
    _("Nothing to do on your side: Junipeer support has been told. Try again later."),
    (7000215, 7000222, 700016, 50011, 50194, 9002331),
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

TENANT_MISMATCH = AuthErrorCode(
    "AUTH-011",
    _("Signed in to a different organisation than the one named"),
    _(
        "Microsoft issued the sign-in for another organisation (tenant) than the one you named as the owner of "
        "Business Central, so Junipeer did not connect."
    ),
    _(
        "Check the organisation (domain or tenant id) you entered, then sign in again. An external accountant or "
        "partner names the merchant's organisation, not their own."
    ),
)
ORGANISATION_NOT_FOUND = AuthErrorCode(
    "AUTH-012",
    _("Microsoft does not know this organisation"),
    _("No Microsoft Entra organisation has the domain or tenant id you entered (AADSTS90002)."),
    _(
        "Enter the organisation's Microsoft domain (for example contoso.onmicrosoft.com or the company's own "
        "domain) or its tenant id, as shown in Business Central under Help & Support."
    ),
    (90002,),
)
ADMIN_APPROVAL_REQUIRED = AuthErrorCode(
    "AUTH-013",
    _("An administrator of the organisation must approve Junipeer"),
    _(
        "The organisation does not let users consent to apps such as Junipeer, so Microsoft stopped the sign-in "
        "with 'Need admin approval' (AADSTS90093 or 90094)."
    ),
    _(
        "Send the admin-consent link below to an administrator of the organisation that owns Business Central "
        "(Global, Application or Cloud Application Administrator). After they approve Junipeer, continue the "
        "sign-in here."
    ),
    (90093, 90094),
    needs_reauth=True,
)
ADMIN_APPROVAL_REQUESTED = AuthErrorCode(
    "AUTH-014",
    _("Waiting for an administrator to approve Junipeer"),
    _(
        "The organisation uses Microsoft's admin consent workflow: your request to use Junipeer was sent to its "
        "reviewers (AADSTS90095)."
    ),
    _(
        "Wait for the e-mail from Microsoft saying the request was approved (a reviewer approves it in the "
        "Microsoft Entra admin center under Enterprise applications, Admin consent requests), then continue "
        "the sign-in here."
    ),
    (90095,),
    severity="warning",
    needs_reauth=True,
)
UNVERIFIED_APP_BLOCKED = AuthErrorCode(
    "AUTH-015",
    _("The organisation only allows apps approved by an administrator"),
    _(
        "The organisation's consent policy lets users consent only to apps from verified publishers or with "
        "low-risk permissions; Junipeer's Business Central permission needs an administrator (AADSTS900941)."
    ),
    _(
        "Send the admin-consent link below to an administrator of the organisation. After they approve Junipeer, "
        "continue the sign-in here."
    ),
    (900941,),
    needs_reauth=True,
)
BC_NOT_IN_TENANT = AuthErrorCode(
    "AUTH-016",
    _("Business Central is not available in this organisation"),
    _(
        "The organisation has no Dynamics 365 Business Central subscription (or trial), so Microsoft cannot issue "
        "access to it (AADSTS500011, 650052 or 65005)."
    ),
    _(
        "Check that you named the organisation that owns Business Central. If it is the right one, sign in to "
        "Business Central once in the browser (or start a trial), then sign in here again."
    ),
    (500011, 650052, 65005),
    needs_reauth=True,
)
APP_LACKS_BC_PERMISSION = AuthErrorCode(
    "AUTH-017",
    _("Junipeer's app registration lacks the Business Central permission"),
    _(
        "Junipeer's app registration in Microsoft Entra ID does not list the delegated permission "
        "Financials.ReadWrite.All on Dynamics 365 Business Central (AADSTS650057)."
    ),
    _("Nothing to do on your side: Junipeer support has been told. Try again later."),
    (650057,),
)
USER_NOT_ASSIGNED = AuthErrorCode(
    "AUTH-018",
    _("Your account is not assigned to Junipeer"),
    _(
        "The organisation requires users to be assigned to Junipeer before they can sign in to it, and your "
        "account is not (AADSTS50105)."
    ),
    _(
        "Ask an administrator to assign your account (or a group you are in) to Junipeer in the Microsoft Entra "
        "admin center under Enterprise applications, Users and groups. Then sign in again."
    ),
    (50105,),
    needs_reauth=True,
)
ACCOUNT_DISABLED = AuthErrorCode(
    "AUTH-019",
    _("Your Microsoft account is disabled"),
    _("An administrator disabled the account used to sign in (AADSTS50057)."),
    _("Ask your administrator to enable the account, or sign in with another account that has Business Central."),
    (50057,),
    needs_reauth=True,
)
ACCOUNT_LOCKED = AuthErrorCode(
    "AUTH-020",
    _("Your Microsoft account is locked"),
    _("Microsoft locked the account after too many failed sign-ins or from a blocked location (AADSTS50053)."),
    _("Wait a few minutes and sign in again, or ask your administrator to unlock the account."),
    (50053,),
    needs_reauth=True,
)
PASSWORD_EXPIRED = AuthErrorCode(
    "AUTH-021",
    _("Your password has expired"),
    _("The account's password has expired (AADSTS50055)."),
    _("Change the password at Microsoft (for example by signing in to office.com), then sign in here again."),
    (50055,),
    needs_reauth=True,
)
DEVICE_POLICY = AuthErrorCode(
    "AUTH-022",
    _("Your organisation only allows sign-in from managed devices"),
    _(
        "A conditional access policy requires a compliant or domain-joined device, and this device is not "
        "(AADSTS53000 or 53001)."
    ),
    _(
        "Sign in from a device your organisation manages, or ask your administrator to exclude Junipeer from "
        "the device policy."
    ),
    (53000, 53001),
    needs_reauth=True,
)
SECURITY_POLICY = AuthErrorCode(
    "AUTH-023",
    _("Your organisation's security policy blocked the sign-in"),
    _(
        "The sign-in was blocked by the organisation's security policy or by Microsoft's security defaults "
        "(AADSTS530032 or 530035)."
    ),
    _("Ask your administrator to check the sign-in logs in Microsoft Entra ID and allow this sign-in."),
    (530032, 530035),
    needs_reauth=True,
)
PARTNER_NOT_AUTHORISED = AuthErrorCode(
    "AUTH-024",
    _("Junipeer is not yet approved in the customer's organisation"),
    _(
        "You signed in as a partner with delegated administration (GDAP), and Junipeer has not been approved in "
        "the customer's organisation; a partner cannot approve it on the customer's behalf (AADSTS90099)."
    ),
    _(
        "Ask an administrator of the customer's organisation to open the admin-consent link below and approve "
        "Junipeer, then sign in again. Your GDAP relationship also needs a role that gives access to Business "
        "Central (for example Dynamics 365 Business Central Administrator)."
    ),
    (90099,),
    needs_reauth=True,
)
NOT_IN_ORGANISATION = AuthErrorCode(
    "AUTH-025",
    _("Your account is not part of the organisation you named"),
    _(
        "The account is neither a member nor a guest of the organisation that owns Business Central (AADSTS50020 "
        "or 90072), or it is a personal Microsoft account."
    ),
    _(
        "Sign in with a work account of that organisation. An external accountant asks the organisation's "
        "administrator to invite them as a guest user (and assign the External Accountant licence in Business "
        "Central); a partner needs a GDAP relationship with the customer."
    ),
    (50020, 90072),
    needs_reauth=True,
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
    TENANT_MISMATCH,
    ORGANISATION_NOT_FOUND,
    ADMIN_APPROVAL_REQUIRED,
    ADMIN_APPROVAL_REQUESTED,
    UNVERIFIED_APP_BLOCKED,
    BC_NOT_IN_TENANT,
    APP_LACKS_BC_PERMISSION,
    USER_NOT_ASSIGNED,
    ACCOUNT_DISABLED,
    ACCOUNT_LOCKED,
    PASSWORD_EXPIRED,
    DEVICE_POLICY,
    SECURITY_POLICY,
    PARTNER_NOT_AUTHORISED,
    NOT_IN_ORGANISATION,
    OTHER,
)
AUTH_ERRORS_BY_CODE = {entry.code: entry for entry in AUTH_ERRORS}
_BY_AADSTS = {aadsts: entry for entry in AUTH_ERRORS for aadsts in entry.aadsts}
# The OAuth 2.0 / OpenID Connect ``error`` strings, for answers without a known AADSTS number.
_BY_ERROR = {
    "access_denied": ACCESS_DENIED,
    "consent_required": CONSENT_REQUIRED,
    "interaction_required": INTERACTION_REQUIRED,
    "login_required": INTERACTION_REQUIRED,
    "invalid_client": APP_MISCONFIGURED,
    "unauthorized_client": APP_MISCONFIGURED,
    "invalid_tenant": ORGANISATION_NOT_FOUND,
    "temporarily_unavailable": IDENTITY_UNAVAILABLE,
    "server_error": IDENTITY_UNAVAILABLE,
}
# The codes whose page offers the admin-consent link for the merchant's organisation.
ADMIN_CONSENT_CODES = frozenset(
    {CONSENT_REQUIRED.code, ADMIN_APPROVAL_REQUIRED.code, UNVERIFIED_APP_BLOCKED.code, PARTNER_NOT_AUTHORISED.code}
)


def auth_error_for_aadsts(aadsts: int | None) -> AuthErrorCode | None:
    return _BY_AADSTS.get(aadsts) if aadsts is not None else None


def aadsts_codes(answer: Mapping) -> tuple[int, ...]:
    """The AADSTS numbers of an Entra error answer: ``error_codes`` (token endpoint JSON) or the
    ``code`` of ``error_uri`` (authorize redirect, which has no ``error_codes``)."""
    raw = answer.get("error_codes") or ()
    if isinstance(raw, (str, int)):
        raw = [raw]
    codes = [int(c) for c in raw if str(c).strip().isdigit()]
    if not codes and answer.get("error_uri"):
        codes = [int(c) for c in parse_qs(urlsplit(str(answer["error_uri"])).query).get("code", []) if c.isdigit()]
    return tuple(codes)


def auth_error_for(*, error: str = "", codes: Iterable[int] = (), refreshing: bool = False) -> AuthErrorCode:
    """The product code for an Entra error: a known AADSTS number decides, then the OAuth error string."""
    for number in codes:
        entry = _BY_AADSTS.get(int(number))
        if entry is not None:
            return entry
    if error == "invalid_grant" and refreshing:
        return REAUTH_REQUIRED  # RFC 6749's catch-all: whatever the reason, the stored grant is dead
    return _BY_ERROR.get(error or "", OTHER)
