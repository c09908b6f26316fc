import pytest

from integrations.connectors.businesscentral import (
    BCAuthError,
    BCConflict,
    BCError,
    BCNotFound,
    BCServerError,
    BCThrottled,
    BCValidationError,
)
from integrations.connectors.businesscentral.exceptions import error_from_envelope, split_correlation_id
from tests.connectors.businesscentral.fakes import envelope


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, "Authentication_InvalidCredentials", BCAuthError),
        (403, "Authorization_Forbidden", BCAuthError),
        (401, "", BCAuthError),
        (404, "Internal_RecordNotFound", BCNotFound),
        (404, "BadRequest_NotFound", BCNotFound),
        (404, "BadRequest_ResourceNotFound", BCNotFound),
        (409, "Request_EntityChanged", BCConflict),
        (400, "Application_DialogException", BCValidationError),
        (400, "Application_FieldValidationException", BCValidationError),
        (400, "Internal_DataNotFoundFilter", BCValidationError),
        (400, "Internal_InvalidTableRelation", BCValidationError),
        (400, "BadRequest_InvalidToken", BCValidationError),
        (400, "Unknown", BCValidationError),
        (429, "", BCThrottled),
        (503, "Internal_TenantUnavailable", BCServerError),
        (500, "Internal_ServerError", BCServerError),
        (302, "", BCError),
    ],
)
def test_error_class_by_code_and_status(status, code, cls):
    error = error_from_envelope(status=status, body=envelope(code, "Something.") if code else None)
    assert type(error) is cls
    assert error.status == status
    assert error.code == code


def test_envelope_keeps_code_message_and_correlation_id_separately():
    body = envelope(
        "Internal_RecordNotFound",
        "The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EXPORT',VAT Prod. Posting Group='STANDARD'",
        correlation="0a1b2c3d-0000-4000-8000-123456789abc",
    )
    error = error_from_envelope(status=404, body=body)
    assert error.message == (
        "The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EXPORT',VAT Prod. Posting Group='STANDARD'"
    )
    assert error.correlation_id == "0a1b2c3d-0000-4000-8000-123456789abc"
    assert error.raw_message == body["error"]["message"]
    assert str(error).startswith("Internal_RecordNotFound: The VAT Posting Setup does not exist.")


def test_message_without_correlation_suffix_is_kept_whole():
    assert split_correlation_id("Another user has already changed the record.") == (
        "Another user has already changed the record.",
        "",
    )


def test_non_json_error_body_uses_the_http_reason():
    error = error_from_envelope(status=502, body=None, fallback_message="Bad Gateway")
    assert isinstance(error, BCServerError)
    assert error.message == "Bad Gateway"
    assert error.code == ""


def test_admin_center_error_without_the_error_wrapper():
    body = {"code": "applicationTypeDoesNotExist", "message": "Application type 'X' does not exist."}
    error = error_from_envelope(status=404, body=body)
    assert isinstance(error, BCNotFound)
    assert (error.code, error.message) == ("applicationTypeDoesNotExist", "Application type 'X' does not exist.")
