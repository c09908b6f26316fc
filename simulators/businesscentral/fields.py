"""Lengths and enum members of the simulated API v2.0 fields.

Lengths are the bound table field's Code[n]/Text[n]: a longer value is refused with BC's
``Application_StringExceededLength``. Enum fields hold member names inside the simulator and go over
the wire in BC's ``_xHHHH_`` form (``" "`` is ``"_x0020_"``, ``G/L Account`` is
``G_x002F_L_x0020_Account``); a value that is not a wire value of the enum is refused. Both tables
are checked against the vendor reference by tests/contracts/test_bc_contract.py.
"""

from __future__ import annotations

import re

# Writable text fields: entity set -> field -> maximum length.
LENGTHS: dict[str, dict[str, int]] = {
    "companyInformation": {
        "displayName": 100,
        "addressLine1": 100,
        "addressLine2": 50,
        "city": 30,
        "state": 30,
        "country": 10,
        "postalCode": 20,
        "phoneNumber": 30,
        "faxNumber": 30,
        "email": 80,
        "website": 255,
        "taxRegistrationNumber": 50,
        "industry": 30,
    },
    "customers": {
        "number": 20,
        "displayName": 100,
        "addressLine1": 100,
        "addressLine2": 50,
        "city": 30,
        "state": 30,
        "country": 10,
        "postalCode": 20,
        "phoneNumber": 30,
        "email": 80,
        "website": 255,
        "salespersonCode": 20,
        "taxRegistrationNumber": 50,
    },
    "items": {
        "number": 20,
        "displayName": 100,
        "displayName2": 50,
        "itemCategoryCode": 20,
        "gtin": 14,
        "taxGroupCode": 20,
        "baseUnitOfMeasureCode": 10,
        "generalProductPostingGroupCode": 20,
        "inventoryPostingGroupCode": 20,
    },
    "itemVariants": {
        "code": 10,
        "description": 100,
    },
    "salesInvoices": {
        "externalDocumentNumber": 35,
        "customerNumber": 20,
        "billToCustomerNumber": 20,
        "sellToAddressLine1": 100,
        "sellToAddressLine2": 50,
        "sellToCity": 30,
        "sellToCountry": 10,
        "sellToState": 30,
        "sellToPostCode": 20,
        "shortcutDimension1Code": 20,
        "shortcutDimension2Code": 20,
        "salesperson": 20,
        "phoneNumber": 30,
        "email": 80,
        "shipToName": 100,
        "shipToContact": 100,
        "shipToAddressLine1": 100,
        "shipToAddressLine2": 50,
        "shipToCity": 30,
        "shipToCountry": 10,
        "shipToState": 30,
        "shipToPostCode": 20,
        "customerPurchaseOrderReference": 35,
        "disputeStatus": 10,
    },
    "salesInvoiceLines": {
        "lineObjectNumber": 20,
        "description": 100,
        "description2": 50,
        "unitOfMeasureCode": 10,
        "taxCode": 50,
    },
    "salesOrders": {
        "externalDocumentNumber": 35,
        "customerNumber": 20,
        "billToCustomerNumber": 20,
        "sellToAddressLine1": 100,
        "sellToAddressLine2": 50,
        "sellToCity": 30,
        "sellToCountry": 10,
        "sellToState": 30,
        "sellToPostCode": 20,
        "shortcutDimension1Code": 20,
        "shortcutDimension2Code": 20,
        "salesperson": 20,
        "phoneNumber": 30,
        "email": 80,
        "shipToName": 100,
        "shipToContact": 100,
        "shipToAddressLine1": 100,
        "shipToAddressLine2": 50,
        "shipToCity": 30,
        "shipToCountry": 10,
        "shipToState": 30,
        "shipToPostCode": 20,
    },
    "salesOrderLines": {
        "lineObjectNumber": 20,
        "description": 100,
        "description2": 50,
        "unitOfMeasureCode": 10,
        "taxCode": 50,
    },
    "salesCreditMemos": {
        "externalDocumentNumber": 35,
        "customerNumber": 20,
        "billToCustomerNumber": 20,
        "sellToAddressLine1": 100,
        "sellToAddressLine2": 50,
        "sellToCity": 30,
        "sellToCountry": 10,
        "sellToState": 30,
        "sellToPostCode": 20,
        "shortcutDimension1Code": 20,
        "shortcutDimension2Code": 20,
        "salesperson": 20,
        "phoneNumber": 30,
        "email": 80,
        "invoiceNumber": 20,
    },
    "salesCreditMemoLines": {
        "lineObjectNumber": 20,
        "description": 100,
        "description2": 50,
        "unitOfMeasureCode": 10,
        "taxCode": 50,
    },
    "customerPaymentJournals": {
        "code": 10,
        "displayName": 100,
    },
    "customerPayments": {
        "journalDisplayName": 10,
        "customerNumber": 20,
        "documentNumber": 20,
        "externalDocumentNumber": 35,
        "appliesToInvoiceNumber": 20,
        "description": 100,
        "comment": 250,
    },
    "journals": {
        "code": 10,
        "displayName": 100,
    },
    "journalLines": {
        "journalDisplayName": 10,
        "accountNumber": 20,
        "documentNumber": 20,
        "externalDocumentNumber": 35,
        "description": 100,
        "comment": 250,
        "taxCode": 20,
        "balancingAccountNumber": 20,
    },
    "currencies": {
        "code": 10,
        "displayName": 30,
        "symbol": 10,
        "amountDecimalPlaces": 5,
    },
    "paymentMethods": {
        "code": 10,
        "displayName": 100,
    },
    "paymentTerms": {
        "code": 10,
        "displayName": 100,
    },
    "shipmentMethods": {
        "code": 10,
        "displayName": 100,
    },
    "taxAreas": {
        "code": 20,
        "displayName": 100,
    },
    "taxGroups": {
        "code": 20,
        "displayName": 100,
    },
    "countriesRegions": {
        "code": 10,
        "displayName": 50,
    },
    "locations": {
        "code": 10,
        "displayName": 100,
        "contact": 100,
        "addressLine1": 100,
        "addressLine2": 50,
        "city": 30,
        "state": 30,
        "country": 10,
        "postalCode": 20,
        "phoneNumber": 30,
        "email": 80,
    },
}

# Enum fields: entity set -> field -> member names (ordinal order).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "type": ("Company", "Person"),
        "blocked": (" ", "Ship", "Invoice", "All"),
    },
    "items": {
        "type": ("Inventory", "Service", "Non-Inventory"),
    },
    "salesInvoices": {
        "status": (" ", "Draft", "In Review", "Open", "Paid", "Canceled", "Corrective"),
    },
    "salesInvoiceLines": {
        "lineType": ("Comment", "Account", "Item", "Resource", "Fixed Asset", "Charge", "Allocation Account"),
    },
    "salesOrders": {
        "status": ("Draft", "In Review", "Open"),
    },
    "salesOrderLines": {
        "lineType": ("Comment", "Account", "Item", "Resource", "Fixed Asset", "Charge", "Allocation Account"),
    },
    "salesCreditMemos": {
        "status": ("Draft", "In Review", "Open", "Canceled", "Corrective", "Paid"),
    },
    "salesCreditMemoLines": {
        "lineType": ("Comment", "Account", "Item", "Resource", "Fixed Asset", "Charge", "Allocation Account"),
    },
    "journalLines": {
        "accountType": (
            "G/L Account",
            "Customer",
            "Vendor",
            "Bank Account",
            "Fixed Asset",
            "IC Partner",
            "Employee",
            "Allocation Account",
        ),
        "balanceAccountType": (
            "G/L Account",
            "Customer",
            "Vendor",
            "Bank Account",
            "Fixed Asset",
            "IC Partner",
            "Employee",
            "Allocation Account",
        ),
    },
    "taxAreas": {
        "taxType": ("Sales Tax", "VAT"),
    },
    "taxGroups": {
        "taxType": ("Sales Tax", "VAT"),
    },
    "countriesRegions": {
        "addressFormat": (
            "Post Code+City",
            "City+Post Code",
            "City+County+Post Code",
            "Blank Line+Post Code+City",
            "Custom",
        ),
    },
    "generalLedgerEntries": {
        "documentType": (" ", "Payment", "Invoice", "Credit Memo", "Finance Charge Memo", "Reminder", "Refund"),
    },
    "accounts": {
        "category": (" ", "Assets", "Liabilities", "Equity", "Income", "Cost of Goods Sold", "Expense"),
        "accountType": ("Posting", "Heading", "Total", "Begin-Total", "End-Total"),
    },
}

_PLAIN = re.compile(r"[A-Za-z0-9_]")
_ESCAPE = re.compile(r"_x([0-9A-F]{4})_")


def wire(name: str) -> str:
    """An enum member name as BC sends it: every character outside [A-Za-z0-9_] as _xHHHH_."""
    return "".join(char if _PLAIN.fullmatch(char) else f"_x{ord(char):04X}_" for char in name)


def member(wire_value: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), wire_value)
