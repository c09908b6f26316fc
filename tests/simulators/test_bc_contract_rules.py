"""The BC simulator enforces BC's field contract: lengths, read-only fields, enum wire values."""

from __future__ import annotations

from tests.simulators.conftest import error_of


def test_a_value_longer_than_the_field_is_refused_with_bcs_error(bc):
    too_long = bc.post("customers", json={"displayName": "N" * 101})
    assert too_long.status_code == 400
    assert error_of(too_long) == (
        "Application_StringExceededLength",
        f"The length of the string is 101, but it must be less than or equal to 100 characters. Value: {'N' * 101}",
    )
    line = bc.post("salesInvoices", json={"customerNumber": "10000", "externalDocumentNumber": "E" * 36})
    assert error_of(line)[0] == "Application_StringExceededLength"
    assert bc.post("customers", json={"displayName": "N" * 100}).status_code == 201


def test_deep_insert_lines_are_checked_too(bc):
    response = bc.post("salesInvoices", json={"customerNumber": "10000", "salesInvoiceLines": [
        {"lineObjectNumber": "1000", "description": "D" * 101}]})  # fmt: skip
    assert error_of(response)[0] == "Application_StringExceededLength"


def test_read_only_fields_are_refused(bc):
    for entity_set in ("salesInvoices", "salesOrders", "salesCreditMemos"):
        response = bc.post(entity_set, json={"customerNumber": "10000", "number": "SHOP-1"})
        assert error_of(response) == ("BadRequest_InvalidOperation", "Control 'number' is read-only.")


def test_enum_values_go_out_and_come_in_in_wire_form(bc):
    customer = bc.get("customers?$filter=number eq '10000'").json()["value"][0]
    assert customer["blocked"] == "_x0020_"
    assert bc.get("customers?$filter=blocked eq '_x0020_'&$select=number").json()["value"]
    blocked = bc.patch(f"customers({customer['id']})", json={"blocked": "All"}, headers={"If-Match": "*"})
    assert blocked.json()["blocked"] == "All"
    unblock_raw = bc.patch(f"customers({customer['id']})", json={"blocked": " "}, headers={"If-Match": "*"})
    assert error_of(unblock_raw)[0] == "BadRequest"
    unblocked = bc.patch(f"customers({customer['id']})", json={"blocked": "_x0020_"}, headers={"If-Match": "*"})
    assert unblocked.json()["blocked"] == "_x0020_"
    item = bc.post("items", json={"displayName": "Gift wrap", "type": "Non_x002D_Inventory"}).json()
    assert item["type"] == "Non_x002D_Inventory"
    assert error_of(bc.post("items", json={"displayName": "Wrap", "type": "Non-Inventory"}))[0] == "BadRequest"
