"""Every field the product writes to Business Central, with its type, length and enum.

BC refuses a value longer than the table field (``Application_StringExceededLength``) and reads enum
values only in their wire form. ``payload_fit`` prepares a JSON payload for an entity set: enum
member names become wire values, free text (Text[n]) that is too long is cut where BC would refuse
and the cut is returned so the caller records it, and an identifier (Code[n]: numbers, codes, the
external document number) that is too long raises ``FieldTooLong``: cutting it would point at
another record or lose the link to the shop. A field the table does not declare raises
``UndeclaredField``; the contract tests check every declaration against BC's API pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from integrations.connectors.businesscentral.codec import enum_encode


@dataclass(frozen=True)
class FieldRule:
    kind: str  # "code" (an identifier, never cut), "text" (cut to fit), "enum", "value" (numbers, dates, ids)
    length: int | None = None
    enum: str = ""  # the BC enum's name


def code(length: int) -> FieldRule:
    return FieldRule("code", length)


def text(length: int | None) -> FieldRule:
    return FieldRule("text", length)


def enum(name: str) -> FieldRule:
    return FieldRule("enum", enum=name)


VALUE = FieldRule("value")

# entity set -> JSON field -> rule. Deep-insert lines are checked under their own entity set.
WRITES: dict[str, dict[str, FieldRule]] = {
    "salesInvoices": {
        "externalDocumentNumber": code(35),
        "customerId": VALUE,
        "customerNumber": code(20),
        "postingDate": VALUE,
        "currencyCode": text(None),
        "paymentTermsId": VALUE,
        "shipmentMethodId": VALUE,
        "sellToAddressLine1": text(100),
        "sellToAddressLine2": text(50),
        "sellToCity": text(30),
        "sellToState": text(30),
        "sellToCountry": code(10),
        "sellToPostCode": code(20),
        "phoneNumber": text(30),
        "email": text(80),
        "discountAmount": VALUE,
        "shipToName": text(100),
        "shipToContact": text(100),
        "shipToAddressLine1": text(100),
        "shipToAddressLine2": text(50),
        "shipToCity": text(30),
        "shipToState": text(30),
        "shipToCountry": code(10),
        "shipToPostCode": code(20),
        "customerPurchaseOrderReference": text(35),
        "invoiceDate": VALUE,
        "dueDate": VALUE,
        "salesperson": code(20),
    },
    "salesOrders": {
        "externalDocumentNumber": code(35),
        "customerId": VALUE,
        "customerNumber": code(20),
        "postingDate": VALUE,
        "currencyCode": text(None),
        "paymentTermsId": VALUE,
        "shipmentMethodId": VALUE,
        "sellToAddressLine1": text(100),
        "sellToAddressLine2": text(50),
        "sellToCity": text(30),
        "sellToState": text(30),
        "sellToCountry": code(10),
        "sellToPostCode": code(20),
        "phoneNumber": text(30),
        "email": text(80),
        "discountAmount": VALUE,
        "shipToName": text(100),
        "shipToContact": text(100),
        "shipToAddressLine1": text(100),
        "shipToAddressLine2": text(50),
        "shipToCity": text(30),
        "shipToState": text(30),
        "shipToCountry": code(10),
        "shipToPostCode": code(20),
        "orderDate": VALUE,
        "pricesIncludeTax": VALUE,
        "partialShipping": VALUE,
        "requestedDeliveryDate": VALUE,
        "salesperson": code(20),
    },
    "salesCreditMemos": {
        "externalDocumentNumber": code(35),
        "customerId": VALUE,
        "customerNumber": code(20),
        "postingDate": VALUE,
        "currencyCode": text(None),
        "paymentTermsId": VALUE,
        "shipmentMethodId": VALUE,
        "sellToAddressLine1": text(100),
        "sellToAddressLine2": text(50),
        "sellToCity": text(30),
        "sellToState": text(30),
        "sellToCountry": code(10),
        "sellToPostCode": code(20),
        "phoneNumber": text(30),
        "email": text(80),
        "discountAmount": VALUE,
        "creditMemoDate": VALUE,
        "dueDate": VALUE,
        "invoiceId": VALUE,
        "invoiceNumber": code(20),
        "salesperson": code(20),
    },
    "salesInvoiceLines": {
        "lineType": enum("Invoice Line Agg. Line Type"),
        "lineObjectNumber": code(20),
        "itemId": VALUE,
        "accountId": VALUE,
        "itemVariantId": VALUE,
        "description": text(100),
        "quantity": VALUE,
        "unitPrice": VALUE,
        "discountAmount": VALUE,
        "discountPercent": VALUE,
        "taxCode": code(50),
        "unitOfMeasureCode": code(10),
        "locationId": VALUE,
        "shipmentDate": VALUE,
    },
    "salesOrderLines": {
        "lineType": enum("Invoice Line Agg. Line Type"),
        "lineObjectNumber": code(20),
        "itemId": VALUE,
        "accountId": VALUE,
        "itemVariantId": VALUE,
        "description": text(100),
        "quantity": VALUE,
        "unitPrice": VALUE,
        "discountAmount": VALUE,
        "discountPercent": VALUE,
        "taxCode": code(50),
        "unitOfMeasureCode": code(10),
        "locationId": VALUE,
        "shipmentDate": VALUE,
    },
    "salesCreditMemoLines": {
        "lineType": enum("Invoice Line Agg. Line Type"),
        "lineObjectNumber": code(20),
        "itemId": VALUE,
        "accountId": VALUE,
        "itemVariantId": VALUE,
        "description": text(100),
        "quantity": VALUE,
        "unitPrice": VALUE,
        "discountAmount": VALUE,
        "discountPercent": VALUE,
        "taxCode": code(50),
        "unitOfMeasureCode": code(10),
        "locationId": VALUE,
        "shipmentDate": VALUE,
    },
    # A document header's dimension (POST .../salesInvoices({id})/dimensionSetLines).
    "dimensionSetLines": {
        "id": VALUE,
        "code": code(20),
        "valueId": VALUE,
        "valueCode": code(20),
    },
    "customers": {
        "displayName": text(100),
        "number": code(20),
        "type": enum("Contact Type"),
        "addressLine1": text(100),
        "addressLine2": text(50),
        "city": text(30),
        "state": text(30),
        "country": code(10),
        "postalCode": code(20),
        "phoneNumber": text(30),
        "email": text(80),
        "taxLiable": VALUE,
        "taxAreaId": VALUE,
        "taxRegistrationNumber": text(50),
        "currencyCode": text(None),
        "paymentTermsId": VALUE,
        "shipmentMethodId": VALUE,
        "paymentMethodId": VALUE,
    },
    "items": {
        "number": code(20),
        "displayName": text(100),
        "type": enum("Item Type"),
        "unitPrice": VALUE,
        "gtin": code(14),
        "generalProductPostingGroupCode": code(20),
        "inventoryPostingGroupCode": code(20),
        "taxGroupCode": code(20),
        "baseUnitOfMeasureCode": code(10),
    },
    "customerPayments": {
        "customerId": VALUE,
        "customerNumber": code(20),
        "postingDate": VALUE,
        "documentNumber": code(20),
        "externalDocumentNumber": code(35),
        "amount": VALUE,
        "appliesToInvoiceId": VALUE,
        "appliesToInvoiceNumber": code(20),
        "description": text(100),
        "comment": text(250),
    },
    "journalLines": {
        "accountType": enum("Gen. Journal Account Type"),
        "accountId": VALUE,
        "accountNumber": code(20),
        "postingDate": VALUE,
        "documentNumber": code(20),
        "externalDocumentNumber": code(35),
        "amount": VALUE,
        "description": text(100),
        "comment": text(250),
        "balanceAccountType": enum("Gen. Journal Account Type"),
        "balancingAccountId": VALUE,
        "balancingAccountNumber": code(20),
    },
}

LINES_OF = {
    "salesInvoices": "salesInvoiceLines",
    "salesOrders": "salesOrderLines",
    "salesCreditMemos": "salesCreditMemoLines",
}


@dataclass(frozen=True)
class Cut:
    """A text value shortened to its BC field's length (recorded on the sync record)."""

    entity_set: str
    field: str
    length: int
    original_length: int
    line: int | None = None  # deep-insert line index

    def as_dict(self) -> dict[str, Any]:
        where = self.field if self.line is None else f"{self.field} (line {self.line + 1})"
        return {"field": where, "length": self.length, "original_length": self.original_length}


class UndeclaredField(ValueError):
    """The product tried to write a field this module does not declare (a programming error)."""


class FieldTooLong(ValueError):
    """An identifier longer than its BC field: it cannot be cut."""

    def __init__(self, *, entity_set: str, field: str, length: int, value: str) -> None:
        super().__init__(f"{entity_set}.{field} holds at most {length} characters; {value!r} has {len(value)}.")
        self.entity_set, self.field, self.length, self.value = entity_set, field, length, value


@dataclass(frozen=True)
class Fitted:
    payload: dict[str, Any]
    cuts: tuple[Cut, ...] = ()


def payload_fit(entity_set: str, payload: Mapping[str, Any]) -> Fitted:
    """The payload as BC accepts it (enums encoded, text cut), and the cuts made."""
    cuts: list[Cut] = []
    fitted = _fit(entity_set, payload, cuts, line=None)
    lines_key = LINES_OF.get(entity_set)
    if lines_key and lines_key in payload:
        fitted[lines_key] = [
            _fit(lines_key, line, cuts, line=index) for index, line in enumerate(payload[lines_key] or [])
        ]
    return Fitted(fitted, tuple(cuts))


def _fit(entity_set: str, payload: Mapping[str, Any], cuts: list[Cut], *, line: int | None) -> dict[str, Any]:
    rules = WRITES.get(entity_set)
    if rules is None:
        raise UndeclaredField(f"The product does not write {entity_set}.")
    lines_key = LINES_OF.get(entity_set)
    out: dict[str, Any] = {}
    for name, value in payload.items():
        if name == lines_key:
            continue
        rule = rules.get(name)
        if rule is None:
            raise UndeclaredField(f"{entity_set}.{name} is not declared in WRITES.")
        if isinstance(value, str):
            if rule.kind == "enum":
                value = enum_encode(value)
            elif rule.length is not None and len(value) > rule.length:
                if rule.kind == "code":
                    raise FieldTooLong(entity_set=entity_set, field=name, length=rule.length, value=value)
                cuts.append(Cut(entity_set, name, rule.length, len(value), line))
                value = value[: rule.length]
        out[name] = value
    return out
