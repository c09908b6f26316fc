"""Field lists, read-only flags and navigation properties of the simulated API v2.0 entity sets.

Field names follow the AL API pages (APIV2*.Page.al) (the vendor reference: docs/vendor-contracts.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntitySpec:
    name: str
    type_name: str  # the EDM type name BC uses in messages, e.g. "customer"
    fields: tuple[str, ...]
    read_only: frozenset[str] = frozenset()
    insertable: bool = True
    updatable: bool = True
    deletable: bool = True
    unique_field: str | None = None  # "code" or "number": unique per company
    singleton: bool = False  # companyInformation, generalLedgerSetup: a collection of one

    @property
    def writable_fields(self) -> frozenset[str]:
        return frozenset(self.fields) - self.read_only


@dataclass(frozen=True)
class Navigation:
    target: str  # entity set
    many: bool
    local_field: str  # on the source record
    remote_field: str = "id"  # on the target record
    aliases: tuple[str, ...] = field(default=())


def _spec(
    name: str, type_name: str, fields: str, read_only: str = "", *, modified: bool = True, **options
) -> EntitySpec:
    all_fields = ("id", *fields.split(), *(["lastModifiedDateTime"] if modified else []))
    return EntitySpec(
        name=name,
        type_name=type_name,
        fields=all_fields,
        read_only=frozenset({"id", "lastModifiedDateTime", *read_only.split()}),
        **options,
    )


_READ_ONLY = {"insertable": False, "updatable": False, "deletable": False}

_DOCUMENT_COMMON = (
    "number externalDocumentNumber postingDate customerId customerNumber "
    "customerName billToName billToCustomerId billToCustomerNumber "
    "sellToAddressLine1 sellToAddressLine2 sellToCity sellToCountry sellToState sellToPostCode "
    "billToAddressLine1 billToAddressLine2 billToCity billToCountry billToState billToPostCode "
    "currencyId currencyCode shortcutDimension1Code shortcutDimension2Code paymentTermsId shipmentMethodId "
    "salesperson pricesIncludeTax discountAmount discountAppliedBeforeTax totalAmountExcludingTax "
    "totalTaxAmount totalAmountIncludingTax status phoneNumber email"
)
_SHIP_TO = (
    " shipToName shipToContact shipToAddressLine1 shipToAddressLine2 shipToCity shipToCountry shipToState "
    "shipToPostCode"
)
# number is read-only on every sales document (BC assigns it from the No. Series).
_DOCUMENT_READ_ONLY = (
    "number customerName billToName billToAddressLine1 billToAddressLine2 billToCity billToCountry billToState "
    "billToPostCode discountAppliedBeforeTax totalAmountExcludingTax totalTaxAmount totalAmountIncludingTax status"
)
_LINE_COMMON = (
    "documentId sequence itemId accountId lineType lineObjectNumber description description2 "
    "unitOfMeasureId unitOfMeasureCode quantity unitPrice discountAmount discountPercent "
    "discountAppliedBeforeTax amountExcludingTax taxCode taxPercent totalTaxAmount amountIncludingTax "
    "invoiceDiscountAllocation netAmount netTaxAmount netAmountIncludingTax shipmentDate itemVariantId locationId"
)
_LINE_READ_ONLY = (
    "discountAppliedBeforeTax amountExcludingTax taxPercent totalTaxAmount amountIncludingTax "
    "invoiceDiscountAllocation netAmount netTaxAmount netAmountIncludingTax"
)

SPECS: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in [
        EntitySpec(
            "companies",
            "company",
            [
                "id",
                "systemVersion",
                "timestamp",
                "name",
                "displayName",
                "businessProfileId",
                "systemCreatedAt",
                "systemCreatedBy",
                "systemModifiedAt",
                "systemModifiedBy",
            ],
            frozenset(),
            **_READ_ONLY,
        ),
        _spec(
            "companyInformation",
            "companyInformation",
            "displayName addressLine1 addressLine2 city state country postalCode phoneNumber faxNumber email "
            "website taxRegistrationNumber currencyCode currentFiscalYearStartDate industry",
            "currencyCode currentFiscalYearStartDate",
            singleton=True,
            insertable=False,
            deletable=False,
        ),
        _spec(
            "generalLedgerSetup",
            "generalLedgerSetup",
            "allowPostingFrom allowPostingTo additionalReportingCurrency localCurrencyCode localCurrencySymbol",
            singleton=True,
            **_READ_ONLY,
        ),
        _spec(
            "customers",
            "customer",
            "number displayName type addressLine1 addressLine2 city state country postalCode phoneNumber email "
            "website salespersonCode balanceDue creditLimit taxLiable taxAreaId taxAreaDisplayName "
            "taxRegistrationNumber currencyId currencyCode paymentTermsId shipmentMethodId paymentMethodId blocked",
            "balanceDue taxAreaDisplayName",
            unique_field="number",
        ),
        _spec(
            "items",
            "item",
            "number displayName displayName2 type itemCategoryId itemCategoryCode blocked gtin inventory unitPrice "
            "priceIncludesTax unitCost taxGroupId taxGroupCode baseUnitOfMeasureId baseUnitOfMeasureCode "
            "generalProductPostingGroupId generalProductPostingGroupCode inventoryPostingGroupId "
            "inventoryPostingGroupCode",
            unique_field="number",
        ),
        _spec("itemVariants", "itemVariant", "itemId itemNumber code description", "itemNumber"),
        _spec(
            "salesInvoices",
            "salesInvoice",
            _DOCUMENT_COMMON + _SHIP_TO + " customerPurchaseOrderReference invoiceDate dueDate promisedPayDate "
            "orderId orderNumber disputeStatusId disputeStatus remainingAmount",
            _DOCUMENT_READ_ONLY + " orderId orderNumber pricesIncludeTax remainingAmount",
        ),
        _spec("salesInvoiceLines", "salesInvoiceLine", _LINE_COMMON, _LINE_READ_ONLY, modified=False),
        _spec(
            "salesOrders",
            "salesOrder",
            _DOCUMENT_COMMON + _SHIP_TO + " orderDate partialShipping requestedDeliveryDate fullyShipped",
            _DOCUMENT_READ_ONLY + " fullyShipped",
        ),
        _spec(
            "salesOrderLines",
            "salesOrderLine",
            _LINE_COMMON + " shippedQuantity invoicedQuantity invoiceQuantity shipQuantity",
            _LINE_READ_ONLY + " shippedQuantity invoicedQuantity",
            modified=False,
        ),
        _spec(
            "salesCreditMemos",
            "salesCreditMemo",
            _DOCUMENT_COMMON + " creditMemoDate dueDate invoiceId invoiceNumber customerReturnReasonId",
            _DOCUMENT_READ_ONLY + " pricesIncludeTax",
        ),
        _spec("salesCreditMemoLines", "salesCreditMemoLine", _LINE_COMMON, _LINE_READ_ONLY, modified=False),
        _spec(
            "customerPaymentJournals",
            "customerPaymentJournal",
            "code displayName balancingAccountId balancingAccountNumber",
            "balancingAccountNumber",
            unique_field="code",
        ),
        _spec(
            "customerPayments",
            "customerPayment",
            "journalId journalDisplayName lineNumber customerId customerNumber postingDate documentNumber "
            "externalDocumentNumber amount appliesToInvoiceId appliesToInvoiceNumber description comment",
        ),
        _spec(
            "journals",
            "journal",
            "code displayName templateDisplayName balancingAccountId balancingAccountNumber",
            "templateDisplayName balancingAccountNumber",
            unique_field="code",
        ),
        _spec(
            "journalLines",
            "journalLine",
            "journalId journalDisplayName lineNumber accountType accountId accountNumber postingDate documentNumber "
            "externalDocumentNumber amount description comment taxCode balanceAccountType balancingAccountId "
            "balancingAccountNumber",
        ),
        _spec(
            "currencies",
            "currency",
            "code displayName symbol amountDecimalPlaces amountRoundingPrecision",
            unique_field="code",
        ),
        _spec(
            "currencyExchangeRates",
            "currencyExchangeRate",
            "currencyCode startingDate exchangeRateAmount relationalCurrencyCode relationalExchangeRateAmount",
            **_READ_ONLY,
        ),
        _spec("paymentMethods", "paymentMethod", "code displayName", unique_field="code"),
        _spec(
            "paymentTerms",
            "paymentTerm",
            "code displayName dueDateCalculation discountDateCalculation discountPercent "
            "calculateDiscountOnCreditMemos",
            unique_field="code",
        ),
        _spec("shipmentMethods", "shipmentMethod", "code displayName", unique_field="code"),
        _spec("taxAreas", "taxArea", "code displayName taxType", "taxType", unique_field="code"),
        _spec("taxGroups", "taxGroup", "code displayName taxType", "taxType", unique_field="code"),
        _spec("countriesRegions", "countryRegion", "code displayName addressFormat", unique_field="code"),
        _spec(
            "generalLedgerEntries",
            "generalLedgerEntry",
            "entryNumber postingDate documentNumber documentType accountId accountNumber description "
            "debitAmount creditAmount additionalCurrencyDebitAmount additionalCurrencyCreditAmount",
            **_READ_ONLY,
        ),
        _spec(
            "accounts",
            "account",
            "number displayName category subCategory blocked accountType directPosting netChange",
            **_READ_ONLY,
        ),
        _spec(
            "bankAccounts",
            "bankAccount",
            "number displayName bankAccountNumber blocked currencyCode currencyId iban",
            **_READ_ONLY,
        ),
        _spec(
            "salesShipments",
            "salesShipment",
            "number externalDocumentNumber invoiceDate postingDate dueDate customerPurchaseOrderReference customerId "
            "customerNumber customerName billToName billToCustomerId billToCustomerNumber shipToName shipToContact "
            "sellToAddressLine1 sellToAddressLine2 sellToCity sellToCountry sellToState sellToPostCode "
            "billToAddressLine1 billToAddressLine2 billToCity billToCountry billToState billToPostCode "
            "shipToAddressLine1 shipToAddressLine2 shipToCity shipToCountry shipToState shipToPostCode currencyCode "
            "orderNumber paymentTermsCode shipmentMethodCode salesperson pricesIncludeTax phoneNumber email",
            **_READ_ONLY,
        ),
        _spec(
            "salesShipmentLines",
            "salesShipmentLine",
            "documentId documentNo sequence lineType lineObjectNumber description description2 unitOfMeasureCode "
            "unitPrice quantity discountPercent taxPercent shipmentDate",
            modified=False,
            **_READ_ONLY,
        ),
        _spec("dimensions", "dimension", "code displayName consolidationCode", **_READ_ONLY),
        _spec("dimensionValues", "dimensionValue", "code dimensionId displayName consolidationCode", **_READ_ONLY),
        # A document's dimensions: posted under salesInvoices({id})/dimensionSetLines (and orders, credit memos).
        _spec(
            "dimensionSetLines",
            "dimensionSetLine",
            "code consolidationCode parentId parentType displayName valueId valueCode valueConsolidationCode "
            "valueDisplayName",
            "consolidationCode parentId parentType valueConsolidationCode",
            modified=False,
        ),
        _spec(
            "salespeoplePurchasers",
            "salespersonPurchaser",
            "code displayName email email2 phoneNo jobTitle commisionPercent privacyBlocked blocked",
            **_READ_ONLY,
        ),
        _spec(
            "locations",
            "location",
            "code displayName contact addressLine1 addressLine2 city state country postalCode phoneNumber email",
            unique_field="code",
        ),
    ]
}

# (source entity set, navigation property) -> how to follow it ($expand and URL paths).
NAVIGATIONS: dict[tuple[str, str], Navigation] = {
    ("salesInvoices", "salesInvoiceLines"): Navigation("salesInvoiceLines", True, "id", "documentId"),
    ("salesOrders", "salesOrderLines"): Navigation("salesOrderLines", True, "id", "documentId"),
    ("salesCreditMemos", "salesCreditMemoLines"): Navigation("salesCreditMemoLines", True, "id", "documentId"),
    ("customerPaymentJournals", "customerPayments"): Navigation("customerPayments", True, "id", "journalId"),
    ("journals", "journalLines"): Navigation("journalLines", True, "id", "journalId"),
    ("items", "itemVariants"): Navigation("itemVariants", True, "id", "itemId"),
    ("salesShipments", "salesShipmentLines"): Navigation("salesShipmentLines", True, "id", "documentId"),
    ("dimensions", "dimensionValues"): Navigation("dimensionValues", True, "id", "dimensionId"),
    ("salesInvoices", "dimensionSetLines"): Navigation("dimensionSetLines", True, "id", "parentId"),
    ("salesOrders", "dimensionSetLines"): Navigation("dimensionSetLines", True, "id", "parentId"),
    ("salesCreditMemos", "dimensionSetLines"): Navigation("dimensionSetLines", True, "id", "parentId"),
    ("customers", "currency"): Navigation("currencies", False, "currencyId"),
    ("customers", "paymentTerm"): Navigation("paymentTerms", False, "paymentTermsId"),
    ("customers", "paymentMethod"): Navigation("paymentMethods", False, "paymentMethodId"),
    ("customers", "shipmentMethod"): Navigation("shipmentMethods", False, "shipmentMethodId"),
    ("items", "taxGroup"): Navigation("taxGroups", False, "taxGroupId"),
    ("salesInvoices", "customer"): Navigation("customers", False, "customerId"),
    ("salesOrders", "customer"): Navigation("customers", False, "customerId"),
    ("salesCreditMemos", "customer"): Navigation("customers", False, "customerId"),
    ("salesInvoices", "currency"): Navigation("currencies", False, "currencyId"),
    ("salesOrders", "currency"): Navigation("currencies", False, "currencyId"),
    ("salesCreditMemos", "currency"): Navigation("currencies", False, "currencyId"),
    ("salesInvoices", "paymentTerm"): Navigation("paymentTerms", False, "paymentTermsId"),
    ("salesOrders", "paymentTerm"): Navigation("paymentTerms", False, "paymentTermsId"),
    ("salesInvoiceLines", "item"): Navigation("items", False, "itemId"),
    ("salesOrderLines", "item"): Navigation("items", False, "itemId"),
    ("salesCreditMemoLines", "item"): Navigation("items", False, "itemId"),
    ("salesInvoiceLines", "account"): Navigation("accounts", False, "accountId"),
    ("salesOrderLines", "account"): Navigation("accounts", False, "accountId"),
    ("salesCreditMemoLines", "account"): Navigation("accounts", False, "accountId"),
    ("customerPayments", "customer"): Navigation("customers", False, "customerId"),
    ("generalLedgerEntries", "account"): Navigation("accounts", False, "accountId"),
}

DOCUMENT_LINES = {
    "salesInvoices": "salesInvoiceLines",
    "salesOrders": "salesOrderLines",
    "salesCreditMemos": "salesCreditMemoLines",
}
LINE_DOCUMENTS = {lines: document for document, lines in DOCUMENT_LINES.items()}
