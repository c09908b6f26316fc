"""The API v2.0 entity sets the product uses, each bound to the record type it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from integrations.connectors.businesscentral import records as r

R = TypeVar("R")


@dataclass(frozen=True)
class EntitySet(Generic[R]):
    name: str
    record: type[R]
    company_scoped: bool = True
    singleton: bool = False  # companyInformation / generalLedgerSetup: a one-row collection


COMPANIES = EntitySet("companies", r.Company, company_scoped=False)
COMPANY_INFORMATION = EntitySet("companyInformation", r.CompanyInformation, singleton=True)
GENERAL_LEDGER_SETUP = EntitySet("generalLedgerSetup", r.GeneralLedgerSetup, singleton=True)
CUSTOMERS = EntitySet("customers", r.Customer)
ITEMS = EntitySet("items", r.Item)
ITEM_VARIANTS = EntitySet("itemVariants", r.ItemVariant)
SALES_INVOICES = EntitySet("salesInvoices", r.SalesInvoice)
SALES_INVOICE_LINES = EntitySet("salesInvoiceLines", r.SalesLine)
SALES_ORDERS = EntitySet("salesOrders", r.SalesOrder)
SALES_ORDER_LINES = EntitySet("salesOrderLines", r.SalesLine)
SALES_CREDIT_MEMOS = EntitySet("salesCreditMemos", r.SalesCreditMemo)
SALES_CREDIT_MEMO_LINES = EntitySet("salesCreditMemoLines", r.SalesLine)
CUSTOMER_PAYMENT_JOURNALS = EntitySet("customerPaymentJournals", r.CustomerPaymentJournal)
CUSTOMER_PAYMENTS = EntitySet("customerPayments", r.CustomerPayment)
JOURNALS = EntitySet("journals", r.Journal)
JOURNAL_LINES = EntitySet("journalLines", r.JournalLine)
CURRENCIES = EntitySet("currencies", r.Currency)
CURRENCY_EXCHANGE_RATES = EntitySet("currencyExchangeRates", r.CurrencyExchangeRate)
PAYMENT_METHODS = EntitySet("paymentMethods", r.PaymentMethod)
PAYMENT_TERMS = EntitySet("paymentTerms", r.PaymentTerm)
SHIPMENT_METHODS = EntitySet("shipmentMethods", r.ShipmentMethod)
LOCATIONS = EntitySet("locations", r.Location)
TAX_AREAS = EntitySet("taxAreas", r.TaxArea)
TAX_GROUPS = EntitySet("taxGroups", r.TaxGroup)
COUNTRIES_REGIONS = EntitySet("countriesRegions", r.CountryRegion)
GENERAL_LEDGER_ENTRIES = EntitySet("generalLedgerEntries", r.GeneralLedgerEntry)
ACCOUNTS = EntitySet("accounts", r.Account)
BANK_ACCOUNTS = EntitySet("bankAccounts", r.BankAccount)
SALESPEOPLE = EntitySet("salespeoplePurchasers", r.SalespersonPurchaser)
DIMENSIONS = EntitySet("dimensions", r.Dimension)
DIMENSION_VALUES = EntitySet("dimensionValues", r.DimensionValue)
DIMENSION_SET_LINES = EntitySet("dimensionSetLines", r.DimensionSetLine)
SALES_SHIPMENTS = EntitySet("salesShipments", r.SalesShipment)
SALES_SHIPMENT_LINES = EntitySet("salesShipmentLines", r.SalesShipmentLine)

# ODataV4 UI pages read by preflight (pages 472, 456, 457) and the stock flow (page 38), by their
# usual service names (docs/bc-configuration.md lists them for the merchant to publish).
VAT_POSTING_SETUP_PAGE = "VATPostingSetup"
NO_SERIES_PAGE = "NoSeries"
NO_SERIES_LINES_PAGE = "NoSeriesLines"
# Pages 101 and 251: every journal template with its type, and every batch of every template (the
# API lists only the default Cash Receipts template's batches as customerPaymentJournals).
JOURNAL_TEMPLATES_PAGE = "GeneralJournalTemplates"
JOURNAL_BATCHES_PAGE = "GeneralJournalBatches"
# Page 537 Dimension Values: its Blocked flag is not on the API v2.0 dimensionValues page.
DIMENSION_VALUES_PAGE = "DimensionValues"
# Page 130 Posted Sales Shipment: the package tracking number (optional: fulfilments carry it when published).
POSTED_SALES_SHIPMENT_PAGE = "PostedSalesShipment"
ITEM_LEDGER_ENTRIES_PAGE = "ItemLedgerEntries"
# The General Journal page (39) published as a web service: payout lines in a foreign currency.
GENERAL_JOURNAL_PAGE = "GeneralJournal"
