"""Turn vendor failures into catalogue entries, keeping the vendor's own code and words.

BC exceptions are recognised by duck typing (``.code``, ``.message``, ``.status``) so this module
does not depend on the connector's classes. Patterns come from BC's AL labels (bc-api-facts s. 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from integrations.connectors.entra.errors import auth_error_for_aadsts
from syncs.errors.product_error import ProductError
from syncs.errors.registry import find_error, get_error
from syncs.errors.types import ClassifiedError

# BC online appends "  CorrelationId:  <guid>." to every message.
_CORRELATION_RE = re.compile(r"\s*CorrelationId:\s*[0-9a-fA-F-]+\.?\s*$")


def strip_correlation_id(message: str) -> str:
    return _CORRELATION_RE.sub("", message or "").strip()


@dataclass(frozen=True)
class _Rule:
    code: str
    pattern: re.Pattern


def _rule(code: str, pattern: str) -> _Rule:
    return _Rule(code, re.compile(pattern, re.IGNORECASE | re.DOTALL))


# First match wins: specific message patterns before code families.
_BC_MESSAGE_RULES: tuple[_Rule, ...] = (
    _rule(
        "BC-101",
        r"The VAT Posting Setup does not exist\. Identification fields and values: "
        r"VAT Bus\. Posting Group='(?P<vat_bus_group>[^']*)',\s*VAT Prod\. Posting Group='(?P<vat_prod_group>[^']*)'",
    ),
    _rule(
        "BC-102",
        r"Setup is blocked in VAT Posting Setup for VAT Bus\. Posting Group (?P<vat_bus_group>.+?) "
        r"and VAT Prod\. Posting Group (?P<vat_prod_group>.+?)\.?$",
    ),
    _rule(
        "BC-202",
        r"You cannot assign numbers greater than (?P<last_number>\S+) from the number series "
        r"(?P<series_code>.+?)\.(?:\s*No\. assigned: (?P<number>\S+))?$",
    ),
    _rule("BC-201", r"You cannot assign new numbers from the number series (?P<series_code>\S+?)(?:\.| on |$)"),
    _rule("BC-203", r"You may not enter numbers manually\..*Manual Nos\. in No\. Series (?P<series_code>.+?)\.?$"),
    _rule(
        "BC-301",
        r"There is no Currency Exchange Rate within the filter\..*?Currency Code: (?P<currency>[A-Za-z0-9]+)"
        r"(?:.*?Starting Date: (?P<date>[^\s,]+))?",
    ),
    _rule("BC-302", r"The \"currency(?:Code|Id)\" does not match to a Currency"),
    _rule(
        "BC-401",
        r"when Customer (?P<customer_number>\S+) is blocked (?:with type (?P<blocked>\w+)|(?P<privacy>for privacy))",
    ),
    _rule("BC-403", r"You cannot sell Item (?P<item_number>\S+) because the Sales Blocked"),
    _rule("BC-402", r"Blocked must be equal to 'No'\s+in Item: No\.=(?P<item_number>.+?)\. Current value"),
    _rule(
        "BC-404",
        r"(?P<field>[\w.\s/]*?Posting Group) must have a value in (?P<table>[\w\s]+?): No\.=(?P<number>.+?)\. "
        r"It cannot be zero or empty",
    ),
    _rule(
        "BC-405",
        r"Select a Dimension Value Code for the Dimension Code (?P<dimension_code>\S+) for (?P<record>.+?)\.?$",
    ),
    _rule("BC-406", r"\bDimension\b.*\b(?:blocked|not allowed|must be blank|must be|is not valid)\b"),
    _rule(
        "BC-004",
        r"You do not have the following permissions on (?P<object>.+?):\s*(?P<permission>\w+)",
    ),
    # BC 20+ wording: "... prevented the action. (TableData Customer Insert: Base Application)"
    _rule(
        "BC-004",
        r"current permissions prevented the action\.\s*\((?P<object>TableData .+?) "
        r"(?P<permission>Read|Insert|Modify|Delete|Execute)\b",
    ),
    _rule(
        "BC-007",
        r"The field (?P<field>.+?) of table .+? contains a value that cannot be found in the related table "
        r"\((?P<related_table>.+?)\)",
    ),
    _rule("BC-006", r"The (?P<record>.+? does not exist\. Identification fields and values: .+?)\.?$"),
)

_BC_CODE_FAMILIES: tuple[tuple[str, str], ...] = (
    ("Authentication_", "BC-002"),
    ("Authorization_", "BC-004"),
    ("Request_EntityChanged", "BC-005"),
    ("Internal_CompanyNotFound", "BC-003"),
    ("Internal_TenantUnavailable", "BC-009"),
    ("Internal_ServerError", "BC-009"),
    ("Internal_InvalidTableRelation", "BC-007"),
    ("Internal_RecordNotFound", "BC-006"),
    ("BadRequest_ResourceNotFound", "BC-006"),
)


def _classified(code: str, *, details: dict, vendor_code: str, vendor_message: str) -> ClassifiedError:
    entry = get_error(code)
    params = {"vendor_code": vendor_code, "vendor_message": vendor_message, **details}
    return ClassifiedError(
        entry=entry,
        message=entry.render(**params),
        details=details,
        vendor_code=vendor_code,
        vendor_message=vendor_message,
    )


def classify_bc_error(*, code: str, message: str, status: int | None) -> ClassifiedError:
    """Map BC's ``error.code`` + message (+ HTTP status) to our entry; unknown errors keep BC's words."""
    vendor_code = code or ""
    text = strip_correlation_id(message or "")
    for rule in _BC_MESSAGE_RULES:
        match = rule.pattern.search(text)
        if match:
            details = {k: v.strip() for k, v in match.groupdict().items() if v}
            if rule.code == "BC-401":
                details["blocked"] = "privacy" if details.pop("privacy", None) else details.get("blocked", "")
            if rule.code == "BC-006":
                details["record"] = "the " + details["record"]
            return _classified(rule.code, details=details, vendor_code=vendor_code, vendor_message=text)
    details: dict = {"status": status} if status else {}
    if status == 429:
        return _classified("BC-008", details=details, vendor_code=vendor_code, vendor_message=text)
    if status in (408, 502, 503, 504):
        return _classified("BC-009", details=details, vendor_code=vendor_code, vendor_message=text)
    for prefix, our_code in _BC_CODE_FAMILIES:
        if vendor_code.startswith(prefix):
            if our_code == "BC-004":
                details.update(permission="?", object=text or vendor_code)
            if our_code == "BC-006":
                details["record"] = text or vendor_code
            return _classified(our_code, details=details, vendor_code=vendor_code, vendor_message=text)
    if status == 401:
        return _classified("BC-002", details=details, vendor_code=vendor_code, vendor_message=text)
    if status == 403:
        details.update(permission="?", object=text or vendor_code)
        return _classified("BC-004", details=details, vendor_code=vendor_code, vendor_message=text)
    if status == 409:
        return _classified("BC-005", details=details, vendor_code=vendor_code, vendor_message=text)
    if status is not None and status >= 500:
        return _classified("BC-009", details=details, vendor_code=vendor_code, vendor_message=text)
    return _classified("BC-099", details=details, vendor_code=vendor_code or f"HTTP {status}", vendor_message=text)


# OAuth error strings without an AADSTS number the Entra list knows.
_SIGNIN_ERROR_STRINGS: dict[str, str] = {
    "access_denied": "AUTH-002",
    "invalid_grant": "AUTH-005",
    "interaction_required": "AUTH-006",
    "login_required": "AUTH-006",
    "consent_required": "AUTH-006",
    "temporarily_unavailable": "AUTH-010",
    "server_error": "AUTH-010",
}
_AADSTS_RE = re.compile(r"AADSTS(\d+)")


def classify_signin_error(*, error: str, description: str = "", codes: list[int] | None = None) -> ClassifiedError:
    """Map an msal/Entra error (``error``, ``error_description``, ``error_codes``) to an AUTH entry."""
    numbers = [int(n) for n in _AADSTS_RE.findall(description or "")] + [int(c) for c in codes or ()]
    vendor_code = f"AADSTS{numbers[0]}" if numbers else (error or "")
    message = description or error or ""
    for number in numbers:
        auth = auth_error_for_aadsts(number)
        if auth is not None:
            return _classified(auth.code, details={}, vendor_code=vendor_code, vendor_message=message)
    # A known AADSTS number decides; otherwise the OAuth error string, unless an unknown AADSTS was given.
    code = "AUTH-099" if numbers else _SIGNIN_ERROR_STRINGS.get(error or "", "AUTH-099")
    return _classified(code, details={}, vendor_code=vendor_code, vendor_message=message)


def classify_shop_error(
    *, status: int | None, message: str, shop: str = "", code: str = "", vendor_code: str = ""
) -> ClassifiedError:
    """``code`` is the Shopify connector's own classification (each of its exceptions carries one)."""
    details = {"shop": shop, "status": status} if shop else {"status": status}
    if status is None:
        details["status"] = "-"
    vendor_code = vendor_code or (f"HTTP {status}" if status else "")
    text = message or ""
    if code and code != "SHOP-099" and find_error(code) is not None:
        return _classified(code, details=details, vendor_code=vendor_code, vendor_message=text)
    if status in (401, 403) or "invalid api key or access token" in text.lower():
        code = "SHOP-001"
    elif status in (402, 404, 423):
        code = "SHOP-002"
    elif status == 429 or "throttled" in text.lower():
        code = "SHOP-003"
    elif status is not None and status >= 500:
        code = "SHOP-005"
    else:
        code = "SHOP-099"
    return _classified(code, details=details, vendor_code=vendor_code, vendor_message=text)


def _shop_details(exc: BaseException) -> dict:
    """Placeholders some Shopify codes need (SHOP-006: the item and the attempts)."""
    details: dict = {}
    items = getattr(exc, "inventory_item_ids", None)
    if items:
        details["item"] = ", ".join(str(i).rsplit("/", 1)[-1] for i in items[:5])
    if getattr(exc, "attempts", None) is not None:
        details["attempts"] = exc.attempts
    return details


def _is_network_error(exc: BaseException) -> bool:
    # requests/urllib3 connection and timeout errors, without importing requests here.
    names = {cls.__name__ for cls in type(exc).__mro__}
    network = {"ConnectionError", "Timeout", "ConnectTimeout", "ReadTimeout", "TimeoutError", "BCTransportError"}
    return bool(names & network)


def classify_exception(exc: BaseException) -> ClassifiedError:
    """Anything raised inside a flow becomes a ClassifiedError; nothing ends as a bare 500."""
    if isinstance(exc, ProductError):
        return ClassifiedError(entry=exc.entry, message=exc.message, details=dict(exc.params))
    module = type(exc).__module__ or ""
    if "connectors.shopify" in module:
        status = getattr(exc, "status", None)
        classified = classify_shop_error(
            status=status if isinstance(status, int) else None,
            message=str(getattr(exc, "message", "") or exc),
            shop=getattr(exc, "shop", "") or "-",
            code=str(getattr(exc, "code", "") or ""),
            vendor_code=type(exc).__name__ if not isinstance(status, int) else "",
        )
        extra = _shop_details(exc)
        if extra:
            classified = _classified(
                classified.entry.code,
                details={**classified.details, **extra},
                vendor_code=classified.vendor_code,
                vendor_message=classified.vendor_message,
            )
        return classified
    own_code = getattr(exc, "code", None)
    if isinstance(own_code, str) and find_error(own_code) is not None:
        # Exceptions that already carry one of our codes (e.g. the Entra connector's EntraError).
        aadsts = getattr(exc, "aadsts", None)
        return _classified(
            own_code, details={}, vendor_code=f"AADSTS{aadsts}" if aadsts else "", vendor_message=str(exc)
        )
    status = getattr(exc, "status", None)
    if not isinstance(status, int):
        status = getattr(exc, "status_code", None) if isinstance(getattr(exc, "status_code", None), int) else None
    message = str(getattr(exc, "message", "") or exc)
    if "connectors.shopify" in module:
        return classify_shop_error(status=status, message=message, shop=getattr(exc, "shop", "") or "")
    if "connectors.entra" in module or hasattr(exc, "error_description"):
        return classify_signin_error(
            error=str(getattr(exc, "error", "") or getattr(exc, "code", "") or ""),
            description=str(getattr(exc, "error_description", "") or message),
            codes=list(getattr(exc, "error_codes", None) or []),
        )
    vendor_code = getattr(exc, "code", None)
    if _is_network_error(exc) and status is None:
        system = "Business Central" if "businesscentral" in module else "the remote system"
        details = {"system": system}
        return _classified("SYS-002", details=details, vendor_code=type(exc).__name__, vendor_message=message)
    if isinstance(vendor_code, str) and (status is not None or "connectors.businesscentral" in module):
        return classify_bc_error(code=vendor_code, message=message, status=status)
    if _is_network_error(exc):
        system = "Business Central" if "businesscentral" in module else "the remote system"
        details = {"system": system}
        return _classified("SYS-002", details=details, vendor_code=type(exc).__name__, vendor_message=message)
    return _classified("SYS-001", details={}, vendor_code=type(exc).__name__, vendor_message=message)
