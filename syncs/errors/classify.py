"""Turn vendor failures into catalogue entries, keeping the vendor's own code and words.

BC exceptions are recognised by duck typing (``.code``, ``.message``, ``.status``) so this module
does not depend on the connector's classes. Patterns come from BC's AL labels (docs/vendor-contracts.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from integrations.connectors.entra.errors import aadsts_codes, auth_error_for
from integrations.connectors.woocommerce.exceptions import (
    WooAuthError,
    WooError,
    WooInsecureStoreUrl,
    WooNotFound,
    WooResponseError,
    WooServerError,
    WooThrottled,
    WooTransportError,
    WooValidationError,
    WooWebhookSignatureError,
)
from syncs.errors.known import is_network_error, known_exception_code
from syncs.errors.product_error import ProductError
from syncs.errors.registry import find_error, get_error
from syncs.errors.types import ClassifiedError
from syncs.mapping.types import MappingError, Problem

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
    # A token Entra issued is fine, yet BC knows no such user with access: licence, company permission
    # or an ended trial (BC's 401 "Authentication_InvalidCredentials" with this text, not "rejected the
    # client credentials").
    _rule("BC-011", r"user could not be authenticated or authorized"),
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
    _rule(
        "BC-701",
        r"The length of the string is (?P<length>\d+), but it must be less than or equal to (?P<limit>\d+) characters",
    ),
    _rule("BC-702", r"Control '(?P<field>[^']+)' is read-only"),
    _rule("BC-703", r"Amount must be (?P<sign>negative|positive) in Gen\. Journal Line"),
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


def classify_signin_error(
    *, error: str, description: str = "", codes: list[int] | None = None, error_uri: str = ""
) -> ClassifiedError:
    """Map an msal/Entra error to an AUTH entry through the Entra connector's one map.

    The AADSTS number comes from ``error_codes`` (or the redirect's ``error_uri``), never from the
    description, which is kept only as the vendor message for support.
    """
    numbers = aadsts_codes({"error_codes": codes or [], "error_uri": error_uri})
    entry = auth_error_for(error=error or "", codes=numbers, refreshing=True)
    vendor_code = f"AADSTS{numbers[0]}" if numbers else (error or "")
    return _classified(entry.code, details={}, vendor_code=vendor_code, vendor_message=description or error or "")


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


# WooCommerce connector exceptions -> WOO codes (first match wins; subclasses before their bases).
_WOO_CODES: tuple[tuple[type[WooError], str], ...] = (
    (WooInsecureStoreUrl, "WOO-007"),
    (WooWebhookSignatureError, "WOO-006"),
    (WooAuthError, "WOO-001"),
    (WooNotFound, "WOO-002"),
    (WooThrottled, "WOO-003"),
    (WooTransportError, "WOO-004"),
    (WooServerError, "WOO-004"),
    (WooResponseError, "WOO-008"),
    (WooValidationError, "WOO-005"),
)


def classify_woo_error(exc: WooError) -> ClassifiedError:
    """A WooCommerce connector exception as its WOO entry, keeping WooCommerce's code and words."""
    code = next((our for cls, our in _WOO_CODES if isinstance(exc, cls)), "WOO-009")
    if code == "WOO-009" and exc.status is not None and 300 <= exc.status < 400:
        code = "WOO-008"  # a redirect (login page, http/https switch) instead of the API
    details = {"store": exc.store or "the store", "status": exc.status}
    return _classified(
        code,
        details=details,
        vendor_code=exc.code or (f"HTTP {exc.status}" if exc.status else ""),
        vendor_message=exc.message,
    )


def _known(exc: BaseException) -> ClassifiedError | None:
    code = known_exception_code(exc)
    if code is None:
        return None
    status = getattr(exc, "status", None)
    details = {"status": status} if isinstance(status, int) else {}
    if getattr(exc, "shop", ""):
        details["shop"] = exc.shop
    vendor = f"HTTP {status}" if isinstance(status, int) else type(exc).__name__
    return _classified(code, details=details, vendor_code=vendor, vendor_message=str(exc))


def _shop_details(exc: BaseException) -> dict:
    """Placeholders some Shopify codes need (SHOP-006: the item and the attempts)."""
    details: dict = {}
    items = getattr(exc, "inventory_item_ids", None)
    if items:
        details["item"] = ", ".join(str(i).rsplit("/", 1)[-1] for i in items[:5])
    if getattr(exc, "attempts", None) is not None:
        details["attempts"] = exc.attempts
    return details


def classify_exception(exc: BaseException) -> ClassifiedError:
    """Anything raised inside a flow becomes a ClassifiedError; nothing ends as a bare 500."""
    if isinstance(exc, ProductError):
        return ClassifiedError(entry=exc.entry, message=exc.message, details=dict(exc.params))
    if isinstance(exc, MappingError) and exc.problems:
        problem = exc.problems[0]  # the mapping reports every problem; the first names the run's code
        return classify_exception(ProductError(problem.code, **problem.params))
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
    known = _known(exc)
    if known is not None:
        return known
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
    if isinstance(exc, WooError):
        return classify_woo_error(exc)
    if "connectors.shopify" in module:
        return classify_shop_error(status=status, message=message, shop=getattr(exc, "shop", "") or "")
    if "connectors.entra" in module or hasattr(exc, "error_description"):
        return classify_signin_error(
            error=str(getattr(exc, "error", "") or getattr(exc, "code", "") or ""),
            description=str(getattr(exc, "error_description", "") or message),
            codes=list(getattr(exc, "error_codes", None) or []),
            error_uri=str(getattr(exc, "error_uri", "") or ""),
        )
    vendor_code = getattr(exc, "code", None)
    if is_network_error(exc) and status is None:
        system = "Business Central" if "businesscentral" in module else "the remote system"
        details = {"system": system}
        return _classified("SYS-002", details=details, vendor_code=type(exc).__name__, vendor_message=message)
    if isinstance(vendor_code, str) and (status is not None or "connectors.businesscentral" in module):
        return classify_bc_error(code=vendor_code, message=message, status=status)
    if is_network_error(exc):
        system = "Business Central" if "businesscentral" in module else "the remote system"
        details = {"system": system}
        return _classified("SYS-002", details=details, vendor_code=type(exc).__name__, vendor_message=message)
    return _classified("SYS-001", details={}, vendor_code=type(exc).__name__, vendor_message=message)


def problems_error(problems: list[Problem]) -> ClassifiedError:
    """The first problem is the link's code; the message lists every problem."""
    errors = [classify_exception(ProductError(problem.code, **problem.params)) for problem in problems]
    first = errors[0]
    if len(errors) == 1:
        return first
    message = " ".join(dict.fromkeys(error.message for error in errors))
    return ClassifiedError(entry=first.entry, message=message, details={"problems": [p.code for p in problems]})
