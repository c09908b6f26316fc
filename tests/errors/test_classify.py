import pytest
import requests

import integrations.connectors.shopify.exceptions as shopify_exceptions
from syncs.errors import ProductError, classify_bc_error, classify_exception, classify_signin_error

CID = "  CorrelationId:  1822e662-966b-4153-bd3c-f9bb8bfea1bf."


@pytest.mark.parametrize(
    ("code", "message", "status", "expected", "details"),
    [
        (
            "Internal_RecordNotFound",
            "The VAT Posting Setup does not exist. Identification fields and values: "
            "VAT Bus. Posting Group='EXPORT',VAT Prod. Posting Group='STANDARD'",
            404,
            "BC-101",
            {"vat_bus_group": "EXPORT", "vat_prod_group": "STANDARD"},
        ),
        (
            "Application_DialogException",
            "Setup is blocked in VAT Posting Setup for VAT Bus. Posting Group EU and VAT Prod. Posting Group STANDARD.",
            400,
            "BC-102",
            {"vat_bus_group": "EU", "vat_prod_group": "STANDARD"},
        ),
        (
            "Application_DialogException",
            "You cannot assign new numbers from the number series S-INV.",
            400,
            "BC-201",
            {"series_code": "S-INV"},
        ),
        (
            "Application_DialogException",
            "You cannot assign new numbers from the number series S-INV on 01/15/25.",
            400,
            "BC-201",
            {"series_code": "S-INV"},
        ),
        (
            "Application_DialogException",
            "You cannot assign numbers greater than S-INV-999 from the number series S-INV. No. assigned: S-INV-1000",
            400,
            "BC-202",
            {"series_code": "S-INV", "last_number": "S-INV-999", "number": "S-INV-1000"},
        ),
        (
            "Application_DialogException",
            "You may not enter numbers manually. If you want to enter numbers manually, "
            "please activate Manual Nos. in No. Series CUST.",
            400,
            "BC-203",
            {"series_code": "CUST"},
        ),
        (
            "Internal_DataNotFoundFilter",
            "There is no Currency Exchange Rate within the filter.  Filters: Currency Code: EUR, "
            "Starting Date: ''..01/15/25",
            400,
            "BC-301",
            {"currency": "EUR"},
        ),
        ("Application_DialogException", 'The "currencyCode" does not match to a Currency.', 400, "BC-302", {}),
        (
            "Application_DialogException",
            "You cannot create this type of document when Customer 10000 is blocked with type All",
            400,
            "BC-401",
            {"customer_number": "10000", "blocked": "All"},
        ),
        (
            "Application_DialogException",
            "You cannot post this type of document when Customer 20000 is blocked for privacy.",
            400,
            "BC-401",
            {"customer_number": "20000", "blocked": "privacy"},
        ),
        (
            "Application_FieldValidationException",
            "Blocked must be equal to 'No'  in Item: No.=1900-S. Current value is 'Yes'.",
            400,
            "BC-402",
            {"item_number": "1900-S"},
        ),
        (
            "Application_DialogException",
            "You cannot sell Item 1900-S because the Sales Blocked check box is selected on the Item card.",
            400,
            "BC-403",
            {"item_number": "1900-S"},
        ),
        (
            "Application_FieldValidationException",
            "Gen. Prod. Posting Group must have a value in Item: No.=X1. It cannot be zero or empty.",
            400,
            "BC-404",
            {"field": "Gen. Prod. Posting Group", "table": "Item", "number": "X1"},
        ),
        (
            "Application_DialogException",
            "Select a Dimension Value Code for the Dimension Code AREA for Customer 10000.",
            400,
            "BC-405",
            {"dimension_code": "AREA", "record": "Customer 10000"},
        ),
        (
            "Authorization_NotAuthorized",
            "You do not have the following permissions on TableData Sales Header: Insert",
            403,
            "BC-004",
            {"object": "TableData Sales Header", "permission": "Insert"},
        ),
        ("Request_EntityChanged", "Another user has already changed the record.", 409, "BC-005", {}),
        (
            "Internal_RecordNotFound",
            "The Salesperson/Purchaser does not exist. Identification fields and values: Code='BC2'",
            404,
            "BC-006",
            {},
        ),
        ("", "Too many requests", 429, "BC-008", {"status": 429}),
        ("Internal_TenantUnavailable", "The tenant is not available", 503, "BC-009", {"status": 503}),
        ("Authentication_InvalidCredentials", "The server has rejected the client credentials.", 401, "BC-002", {}),
        ("Internal_CompanyNotFound", "Company not found", 404, "BC-003", {}),
    ],
)
def test_bc_errors_are_recognised(code, message, status, expected, details):
    result = classify_bc_error(code=code, message=message + CID, status=status)
    assert result.entry.code == expected
    for key, value in details.items():
        assert result.details[key] == value
    assert result.vendor_code == code
    assert "CorrelationId" not in result.vendor_message


def test_vat_message_names_the_combination():
    result = classify_bc_error(
        code="Internal_RecordNotFound",
        message="The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EU',VAT Prod. Posting Group='REDUCED'",
        status=404,
    )
    assert "EU" in result.message and "REDUCED" in result.message


def test_unknown_bc_error_keeps_bc_code_and_message():
    result = classify_bc_error(code="Application_StringExceededLength", message="The length is 57." + CID, status=400)
    assert result.entry.code == "BC-099"
    assert result.vendor_code == "Application_StringExceededLength"
    assert result.vendor_message == "The length is 57."
    assert "Application_StringExceededLength" in result.message and "The length is 57." in result.message


class FakeBCError(Exception):
    """Shaped like the BC connector's exceptions (duck typing)."""

    def __init__(self, code, message, status):
        super().__init__(message)
        self.code, self.message, self.status, self.correlation_id = code, message, status, "x"


def test_classify_exception_duck_types_bc_errors():
    exc = FakeBCError("Application_DialogException", "You cannot assign new numbers from the number series C.", 400)
    assert classify_exception(exc).entry.code == "BC-201"


def test_classify_exception_product_error():
    result = classify_exception(ProductError("PAY-001", reference="#1001", field="order name"))
    assert result.entry.code == "PAY-001"
    assert result.message == "No invoice found for reference #1001 (searched order name)."
    assert result.details == {"reference": "#1001", "field": "order name"}


def test_classify_exception_network_error_is_retryable():
    result = classify_exception(requests.ConnectionError("refused"))
    assert result.entry.code == "SYS-002"
    assert result.retryable


def test_anything_else_is_a_generic_internal_error():
    result = classify_exception(ValueError("boom"))
    assert result.entry.code == "SYS-001"
    assert result.vendor_message == "boom"


@pytest.mark.parametrize(
    ("error", "codes", "error_uri", "expected"),
    [
        ("invalid_grant", [65001], "", "AUTH-001"),
        ("consent_required", [], "", "AUTH-001"),
        ("access_denied", [], "", "AUTH-002"),
        ("invalid_grant", [50076], "", "AUTH-003"),
        ("invalid_request", [50020], "", "AUTH-025"),
        ("invalid_grant", [700082], "", "AUTH-005"),
        ("interaction_required", [], "", "AUTH-006"),
        ("invalid_client", [7000215], "", "AUTH-009"),
        ("invalid_request", [90002], "", "AUTH-012"),
        ("access_denied", [], "https://login.microsoftonline.com/error?code=90094", "AUTH-013"),
        ("temporarily_unavailable", [], "", "AUTH-010"),
        ("invalid_grant", [], "", "AUTH-005"),
    ],
)
def test_signin_errors(error, codes, error_uri, expected):
    result = classify_signin_error(error=error, codes=codes, error_uri=error_uri)
    assert result.entry.code == expected


def test_signin_description_text_is_never_read():
    # Microsoft: the description's wording changes at any time; only error_codes / error_uri count.
    result = classify_signin_error(error="server_error", description="AADSTS65001: not consented")
    assert result.entry.code == "AUTH-010"
    assert result.vendor_message == "AADSTS65001: not consented"


def test_bc_refusing_a_valid_user_is_bc_user_setup_not_reconnect():
    refused = classify_bc_error(
        code="Authentication_InvalidCredentials",
        message="Web service call failed because user could not be authenticated or authorized.  "
        "CorrelationId:  0e82377d-b2af-437d-be1d-71c99ea29421.",
        status=401,
    )
    bad_token = classify_bc_error(
        code="Authentication_InvalidCredentials", message="The server has rejected the client credentials.", status=401
    )
    assert refused.entry.code == "BC-011" and "Users" in str(refused.entry.remedy)
    assert bad_token.entry.code == "BC-002"


def test_exception_carrying_our_code_keeps_it():
    from integrations.connectors.entra import exceptions as entra

    exc = entra.ConsentRequired("Need admin approval", aadsts=65001)
    result = classify_exception(exc)
    assert result.entry.code == "AUTH-001"
    assert result.vendor_code == "AADSTS65001"


def test_bc_client_exceptions_are_classified():
    from integrations.connectors.businesscentral import BCThrottled, BCTimeout, BCValidationError

    timeout = classify_exception(BCTimeout("read timed out"))
    assert (timeout.entry.code, timeout.details["system"]) == ("SYS-002", "Business Central")
    assert classify_exception(BCThrottled("slow down", status=429)).entry.code == "BC-008"
    vat = BCValidationError(
        "The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EU',VAT Prod. Posting Group='LOW'",
        code="Internal_RecordNotFound",
        status=404,
    )
    assert classify_exception(vat).details == {"vat_bus_group": "EU", "vat_prod_group": "LOW"}


def _shopify_exception_classes():
    classes = [
        obj
        for obj in vars(shopify_exceptions).values()
        if isinstance(obj, type) and issubclass(obj, shopify_exceptions.ShopifyError)
    ]
    assert len(classes) >= 11
    return classes


def _instance(cls):
    if cls.__name__ == "ShopifyStockConflict":
        return cls("conflict", inventory_item_ids=["gid://shopify/InventoryItem/47"], attempts=4)
    if cls.__name__ == "ShopifyUserError":
        return cls("refused", user_errors=[{"field": ["x"], "message": "bad"}])
    return cls("failed")


@pytest.mark.parametrize("cls", _shopify_exception_classes(), ids=lambda cls: cls.__name__)
def test_no_shopify_exception_reaches_sys_001(cls):
    result = classify_exception(_instance(cls))

    assert result.entry.code.startswith("SHOP-")
    assert result.entry.code == cls.code
    assert "{" not in result.message  # every placeholder of the entry is filled


def test_shopify_unavailable_without_a_status_is_shop_005():
    result = classify_exception(
        shopify_exceptions.ShopifyUnavailable("Shopify could not be reached (ConnectionError).")
    )

    assert result.entry.code == "SHOP-005" and result.retryable
