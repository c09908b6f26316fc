"""A realistic Swedish sandbox: CRONUS Sverige AB (LCY SEK) with VAT groups for domestic, EU,
export and OSS sales, number series, currencies with rates, G/L accounts and journal batches.

VAT posting setup gaps (deliberate, realistic): EXPORT x LOW and OSS-DK x REDUCED/LOW do not
exist (Denmark has no reduced rate), so an order for a 6 % book to Norway or Denmark fails
exactly as it would in a real company that never set those combinations up.

Items: 1000-1009 (a coffee range) and the Shopify simulator's catalogue (CRONUS furniture,
1896-S..2000-S) with the same numbers, GTINs, shelf prices (incl. VAT) and stock, so both the
"SKU = item number" and the "SKU = GTIN" rules match the demo shop without any setup.
"""

from __future__ import annotations

import datetime as dt
import uuid

from .clock import SimClock
from .inventory import item_entry_post
from .numbering import NoSeries, NoSeriesLine
from .store import EMPTY_GUID, CompanyStore, Environment, VatPostingSetup

COMPANY_NAME = "CRONUS Sverige AB"
SECOND_COMPANY_NAME = "My Company"
_NAMESPACE = uuid.UUID("0b9c5b3e-8f7e-4a44-9d0c-5a3f1e2d7c61")

COUNTRIES = {
    "SE": "Sweden",
    "DE": "Germany",
    "FI": "Finland",
    "DK": "Denmark",
    "FR": "France",
    "NL": "Netherlands",
    "NO": "Norway",
    "US": "United States",
    "GB": "United Kingdom",
}
HISTORIC_RATES_START = dt.date(2025, 1, 1)
# Each currency's Realized Gains Acc. and Realized Losses Acc. (Currency table; not on the API page).
REALIZED_GAINS_ACCOUNT, REALIZED_LOSSES_ACCOUNT = "3960", "7960"
# (code, name, exchangeRateAmount, SEK for that amount)
CURRENCIES = [("EUR", "Euro", 1, 11.45), ("USD", "US dollar", 1, 10.62), ("NOK", "Norwegian krone", 100, 97.5),
              ("DKK", "Danish krone", 100, 153.5)]  # fmt: skip
VAT_PRODUCT_GROUPS = {
    "STANDARD": "Standard rate",
    "REDUCED": "Reduced rate (food, hotels)",
    "LOW": "Low rate (books, transport)",
    "ZERO": "Zero rate (gift cards, exempt)",
    "SERVICES": "Services",
}
# VAT business posting group -> {VAT product posting group: VAT %}; missing keys are the gaps.
VAT_MATRIX: dict[str, dict[str, float]] = {
    "DOMESTIC": {"STANDARD": 25, "REDUCED": 12, "LOW": 6, "ZERO": 0, "SERVICES": 25},
    "EU": {"STANDARD": 0, "REDUCED": 0, "LOW": 0, "ZERO": 0, "SERVICES": 0},
    "EXPORT": {"STANDARD": 0, "REDUCED": 0, "ZERO": 0, "SERVICES": 0},
    "OSS-DE": {"STANDARD": 19, "REDUCED": 7, "LOW": 7, "ZERO": 0, "SERVICES": 19},
    "OSS-FI": {"STANDARD": 25.5, "REDUCED": 14, "LOW": 10, "ZERO": 0, "SERVICES": 25.5},
    "OSS-DK": {"STANDARD": 25, "ZERO": 0, "SERVICES": 25},
    "OSS-FR": {"STANDARD": 20, "REDUCED": 5.5, "LOW": 5.5, "ZERO": 0, "SERVICES": 20},
    "OSS-NL": {"STANDARD": 21, "REDUCED": 9, "LOW": 9, "ZERO": 0, "SERVICES": 21},
}
VAT_BUSINESS_GROUPS = {
    "DOMESTIC": "Domestic customers (Sweden)",
    "EU": "EU business customers (reverse charge)",
    "EXPORT": "Customers outside the EU",
    "OSS-DE": "OSS consumers Germany",
    "OSS-FI": "OSS consumers Finland",
    "OSS-DK": "OSS consumers Denmark",
    "OSS-FR": "OSS consumers France",
    "OSS-NL": "OSS consumers Netherlands",
}
_DOMESTIC_VAT_ACCOUNT = {25: "2611", 12: "2621", 6: "2631", 0: "2611"}
# number, name, category, subCategory, VAT product group for document lines
ACCOUNTS = [
    ("1510", "Kundfordringar", "Assets", "Receivables", ""),
    ("1580", "Clearing Stripe", "Assets", "Cash", ""),
    ("1581", "Clearing Shopify Payments", "Assets", "Cash", ""),
    ("1582", "Clearing Klarna", "Assets", "Cash", ""),
    ("1583", "Clearing Adyen", "Assets", "Cash", ""),
    ("1930", "Företagskonto", "Assets", "Cash", ""),
    ("1940", "Valutakonto EUR", "Assets", "Cash", ""),
    ("2611", "Utgående moms 25 %", "Liabilities", "Taxes", ""),
    ("2614", "Utgående moms OSS", "Liabilities", "Taxes", ""),
    ("2615", "Omvänd skattskyldighet EU", "Liabilities", "Taxes", ""),
    ("2420", "Presentkort (ej inlösta)", "Liabilities", "Current Liabilities", "ZERO"),
    ("2621", "Utgående moms 12 %", "Liabilities", "Taxes", ""),
    ("2631", "Utgående moms 6 %", "Liabilities", "Taxes", ""),
    ("3001", "Försäljning varor Sverige", "Income", "Income, Product Sales", "STANDARD"),
    ("3041", "Försäljning tjänster", "Income", "Income, Services", "SERVICES"),
    ("3105", "Försäljning export", "Income", "Income, Product Sales", "STANDARD"),
    ("3106", "Försäljning OSS", "Income", "Income, Product Sales", "STANDARD"),
    ("3108", "Försäljning EU", "Income", "Income, Product Sales", "STANDARD"),
    ("3540", "Fraktintäkter", "Income", "Income, Other", "STANDARD"),
    ("3740", "Öres- och kronutjämning", "Income", "Income, Other", "ZERO"),
    ("3960", "Valutakursvinster", "Income", "Income, Other", "ZERO"),
    ("3999", "Försäljning (spärrat konto)", "Income", "Income, Other", "STANDARD"),
    ("6064", "Avgifter betalleverantörer", "Expense", "Other Expenses", "ZERO"),
    ("6570", "Bankkostnader", "Expense", "Other Expenses", "ZERO"),
    ("7960", "Valutakursförluster", "Expense", "Other Expenses", "ZERO"),
]
BLOCKED_ACCOUNTS = {"3999"}
# number, name, VAT group, unit price (SEK), inventory, gtin, type, blocked
ITEMS = [
    ("1000", "Kaffemugg Juniper", "STANDARD", 149.0, 120, "7350012340001", "Inventory", False),
    ("1001", "Tygpåse ekologisk", "STANDARD", 89.0, 300, "7350012340018", "Inventory", False),
    ("1002", "Kokbok: Nordiskt kaffe", "LOW", 299.0, 40, "9789112340025", "Inventory", False),
    ("1003", "Kaffebönor mörkrost 500 g", "REDUCED", 129.0, 500, "7350012340032", "Inventory", False),
    ("1004", "Presentkort", "ZERO", 500.0, 0, "", "Non-Inventory", False),
    ("1005", "Kaffekurs (online)", "SERVICES", 450.0, 0, "", "Service", False),
    ("1006", "Termos 1 l", "STANDARD", 349.0, 25, "7350012340049", "Inventory", False),
    ("1007", "Filterhållare keramik", "STANDARD", 199.0, 0, "7350012340056", "Inventory", False),
    ("1008", "Kaffekvarn manuell", "STANDARD", 899.0, 12, "7350012340063", "Inventory", False),
    ("1009", "Utgången mugg 2019", "STANDARD", 99.0, 3, "7350012340070", "Inventory", True),
]
# The Shopify simulator's catalogue (simulators/shopify/seed.py): number = SKU, gtin = barcode,
# unit price = the shop's shelf price with "Price Includes VAT" on, inventory = the shop's total.
# number, name, VAT group, unit price incl. VAT (SEK), inventory, gtin
SHOP_CATALOGUE_ITEMS = [
    ("1896-S", "ATHENS Desk", "STANDARD", 8990.0, 47, "7310000000010"),
    ("1900-S", "PARIS Guest Chair, black", "STANDARD", 1590.0, 18, "7310000000027"),
    ("1906-S", "ATHENS Mobile Pedestal", "STANDARD", 3490.0, 29, "7310000000034"),
    ("1908-S", "LONDON Swivel Chair, blue", "STANDARD", 2490.0, 14, "7310000000041"),
    ("1920-S", "ANTWERP Conference Table", "STANDARD", 6990.0, 39, "7310000000058"),
    ("1928-S", "AMSTERDAM Lamp", "STANDARD", 599.0, 64, "7310000000065"),
    ("1936-S", "BERLIN Guest Chair, yellow", "STANDARD", 1590.0, 3, "7310000000072"),
    ("1953-W", "GUESTS Guest Section 1", "STANDARD", 12990.0, 18, "7310000000089"),
    ("1960-S", "ROME Guest Chair, green", "STANDARD", 1590.0, 46, "7310000000096"),
    ("1964-S", "TOKYO Guest Chair, blue", "STANDARD", 1590.0, 39, "7310000000102"),
    ("1968-S", "MEXICO Swivel Chair, black", "STANDARD", 2490.0, 47, "7310000000119"),
    ("1972-S", "MUNICH Swivel Chair, yellow", "STANDARD", 2490.0, 60, "7310000000126"),
    ("1980-S", "MOSCOW Swivel Chair, red", "STANDARD", 2490.0, 42, "7310000000133"),
    ("1988-S", "SEOUL Guest Chair, red", "STANDARD", 1590.0, 54, "7310000000140"),
    ("1996-S", "ATLANTA Whiteboard, base", "STANDARD", 4990.0, 10, "7310000000157"),
    ("2000-S", "SYDNEY Swivel Chair, green", "STANDARD", 2490.0, 48, "7310000000164"),
]
# number, name, VAT bus group, country, currency ("" = LCY), email, blocked
CUSTOMERS = [
    ("10000", "Webbshop Sverige (samlingskund)", "DOMESTIC", "SE", "", "", " "),
    ("10010", "Webshop Deutschland (Sammelkunde)", "OSS-DE", "DE", "EUR", "", " "),
    ("10020", "Webshop Suomi (kerääjäasiakas)", "OSS-FI", "FI", "EUR", "", " "),
    ("10030", "Webshop Danmark (samlekunde)", "OSS-DK", "DK", "DKK", "", " "),
    ("10040", "Webshop France (client collectif)", "OSS-FR", "FR", "EUR", "", " "),
    ("10050", "Webshop Nederland (verzamelklant)", "OSS-NL", "NL", "EUR", "", " "),
    ("10060", "Webshop Norge (samlekunde)", "EXPORT", "NO", "NOK", "", " "),
    ("20000", "Adatum Kaffe AB", "DOMESTIC", "SE", "", "inkop@adatum.example", " "),
    ("20010", "Fabrikam Rösterei GmbH", "EU", "DE", "EUR", "einkauf@fabrikam.example", " "),
    ("20020", "Contoso Coffee Inc.", "EXPORT", "US", "USD", "buying@contoso.example", " "),
    ("20030", "Spärrad Kund AB", "DOMESTIC", "SE", "", "", "All"),
]


# Dimensions a web shop books by: its sales channel and its market. OLD is blocked.
DIMENSIONS = (
    ("SALESCHANNEL", "Försäljningskanal", (("WEB", "Webbutik", False), ("POS", "Butik", False))),
    ("AREA", "Område", (("SE", "Sverige", False), ("EU", "EU", False), ("OLD", "Gammal marknad", True))),
)


def _series(code: str, description: str, start: str, end: str, last: str = "", manual: bool = False) -> NoSeries:
    line = NoSeriesLine(line_no=10000, starting_no=start, ending_no=end, last_no_used=last, warning_no="")
    return NoSeries(code=code, description=description, manual_nos=manual, lines=[line])


def _number_series() -> dict[str, NoSeries]:
    series = [
        _series("CUST", "Customers", "C00010", "C99990", "", manual=True),
        _series("ITEM", "Items", "1100", "9999", "", manual=True),
        # Eight digits: room for about 100,000 documents per series (a web shop's year or two).
        _series("S-INV", "Sales Invoices", "10200001", "10299999", "10200020"),
        _series("S-INV+", "Posted Sales Invoices", "10300001", "10399999", "10300015"),
        _series("S-ORD", "Sales Orders", "10100001", "10199999", "10100005"),
        _series("S-CR", "Sales Credit Memos", "10400001", "10499999", "10400002"),
        _series("S-CR+", "Posted Sales Credit Memos", "10900001", "10999999", "10900001"),
        _series("GJNL-RCPT", "Cash Receipts Journal", "G02001", "G02999", "G02010"),
        _series("GJNL-GEN", "General Journal", "G01001", "G01999", "G01003"),
    ]
    return {s.code: s for s in series}


SERIES_FOR = {
    "customers": "CUST",
    "items": "ITEM",
    "salesInvoices": "S-INV",
    "postedSalesInvoices": "S-INV+",
    "salesOrders": "S-ORD",
    "salesCreditMemos": "S-CR",
    "postedSalesCreditMemos": "S-CR+",
    "customerPayments": "GJNL-RCPT",
    "journals": "GJNL-GEN",
}


def _vat_account(bus: str, percent: float) -> str:
    if bus == "DOMESTIC":
        return _DOMESTIC_VAT_ACCOUNT.get(int(percent), "2611")
    if bus == "EU":
        return "2615"
    return "2614" if bus.startswith("OSS-") else "2611"


def build_company(environment: str, name: str, clock: SimClock) -> CompanyStore:
    store = CompanyStore(
        environment=environment,
        name=name,
        clock=clock,
        company_id=str(uuid.uuid5(_NAMESPACE, f"{environment}/{name}")),
    )
    today = clock.today()
    store.insert(
        "companyInformation",
        {
            "displayName": name,
            "addressLine1": "Kungsgatan 12",
            "city": "Stockholm",
            "country": "SE",
            "postalCode": "111 43",
            "phoneNumber": "+46 8 123 456 00",
            "email": "info@cronus.example",
            "website": "www.cronus.example",
            "taxRegistrationNumber": "SE556677889901",
            "currencyCode": "SEK",
            "currentFiscalYearStartDate": f"{today.year}-01-01",
            "industry": "Retail",
        },
    )
    store.insert(
        "generalLedgerSetup",
        {"localCurrencyCode": "SEK", "localCurrencySymbol": "kr", "allowPostingFrom": "0001-01-01"},
    )
    for code, display in COUNTRIES.items():
        store.insert("countriesRegions", {"code": code, "displayName": display, "addressFormat": "Post Code+City"})
    for code, display, amount, sek in CURRENCIES:
        currency = store.insert(
            "currencies",
            {"code": code, "displayName": display, "symbol": code, "amountDecimalPlaces": "2:2",
             "amountRoundingPrecision": 0.01, "_realizedGainsAccount": REALIZED_GAINS_ACCOUNT,
             "_realizedLossesAccount": REALIZED_LOSSES_ACCOUNT},
        )  # fmt: skip
        # A rate from the start of 2025 (the demo shop's orders are from March 2025), then two recent ones.
        starts = [(HISTORIC_RATES_START, 0.96)] if today - dt.timedelta(days=60) > HISTORIC_RATES_START else []
        starts += [(today - dt.timedelta(days=60), 0.98), (today - dt.timedelta(days=3), 1.0)]
        for starting_date, drift in starts:
            store.insert(
                "currencyExchangeRates",
                {
                    "currencyCode": code,
                    "startingDate": starting_date.isoformat(),
                    "exchangeRateAmount": amount,
                    "relationalCurrencyCode": "",
                    "relationalExchangeRateAmount": round(sek * drift, 4),
                    "_currencyId": currency["id"],
                },
            )
    for code, display in [("BANK", "Bank transfer"), ("CARD", "Card payment"), ("KLARNA", "Klarna"),
                          ("STRIPE", "Stripe"), ("SHOPIFY", "Shopify Payments"), ("CASH", "Cash")]:  # fmt: skip
        store.insert("paymentMethods", {"code": code, "displayName": display})
    for code, display, formula in [("0 DAYS", "Immediately", "0D"), ("14 DAYS", "Net 14 days", "14D"),
                                   ("30 DAYS", "Net 30 days", "30D")]:  # fmt: skip
        store.insert("paymentTerms", {"code": code, "displayName": display, "dueDateCalculation": formula})
    for code, display in [("PNORD", "PostNord"), ("DHL", "DHL Express"), ("UPS", "UPS"), ("PICKUP", "Pick-up")]:
        store.insert("shipmentMethods", {"code": code, "displayName": display})
    for code, display in VAT_BUSINESS_GROUPS.items():
        store.insert("taxAreas", {"code": code, "displayName": display, "taxType": "VAT"})
    for code, display in VAT_PRODUCT_GROUPS.items():
        store.insert("taxGroups", {"code": code, "displayName": display, "taxType": "VAT"})
    for bus, row in VAT_MATRIX.items():
        for prod, percent in row.items():
            store.vat_setup[(bus, prod)] = VatPostingSetup(
                bus=bus,
                prod=prod,
                vat_percent=percent,
                sales_vat_account=_vat_account(bus, percent),
                vat_identifier=f"VAT{percent:g}".replace(".", "_"),
                calculation_type="Reverse Charge VAT" if bus == "EU" else "Normal VAT",
                description=f"{bus} / {prod}",
            )
    for number, display, category, sub, tax_code in ACCOUNTS:
        store.insert(
            "accounts",
            {"number": number, "displayName": display, "category": category, "subCategory": sub,
             "blocked": number in BLOCKED_ACCOUNTS, "accountType": "Posting", "directPosting": True,
             "_taxCode": tax_code},
        )  # fmt: skip
    for number, display, gl, currency in [("BANK1", "Företagskonto SEK", "1930", ""),
                                          ("BANK2", "Valutakonto EUR", "1940", "EUR")]:  # fmt: skip
        store.insert(
            "bankAccounts",
            {"number": number, "displayName": display, "bankAccountNumber": f"5000-{number[-1]}00000",
             "blocked": False, "currencyCode": currency, "iban": f"SE45 5000 0000 0583 9825 746{number[-1]}"},
        )  # fmt: skip
        store.posting.bank_by_bank_account[number] = gl
    store.posting.receivables = "1510"
    store.posting.default_sales = "3001"
    store.posting.sales_by_vat_bus = {"DOMESTIC": "3001", "EU": "3108", "EXPORT": "3105"}
    store.posting.sales_by_vat_bus.update({bus: "3106" for bus in VAT_MATRIX if bus.startswith("OSS-")})
    store.number_series = _number_series()
    store.series_for = dict(SERIES_FOR)
    _seed_master_data(store)
    return store


def _opening_stock(store: CompanyStore, item: dict, stock: float) -> None:
    """Opening stock as item ledger entries: three quarters in the main warehouse, the rest in the
    Stockholm shop (so the total is the item's inventory and each location has its own."""
    shop_part = int(stock) // 4
    for code, quantity in (("MAIN", stock - shop_part), ("STHLM", shop_part)):
        if quantity:
            item_entry_post(
                store, item=item, location_code=code, quantity=quantity, entry_type="Positive Adjmt.",
                document_number="OPENING", posting_date="2026-01-01",
            )  # fmt: skip


def _seed_master_data(store: CompanyStore) -> None:
    groups = {row["code"]: row for row in store.rows("taxGroups")}
    areas = {row["code"]: row for row in store.rows("taxAreas")}
    currencies = {row["code"]: row for row in store.rows("currencies")}
    terms = store.find("paymentTerms", code="14 DAYS")
    catalogue = [(*row, "Inventory", False, True) for row in SHOP_CATALOGUE_ITEMS]
    for number, display, group, price, stock, gtin, kind, blocked, *incl_vat in [*ITEMS, *catalogue]:
        item = store.insert(
            "items",
            {"number": number, "displayName": display, "type": kind, "blocked": blocked, "gtin": gtin,
             "inventory": 0, "unitPrice": price, "unitCost": round(price * 0.45, 2),
             "priceIncludesTax": bool(incl_vat), "taxGroupId": groups[group]["id"], "taxGroupCode": group,
             "baseUnitOfMeasureCode": "PCS", "generalProductPostingGroupCode": "RETAIL",
             "inventoryPostingGroupCode": "RESALE"},
        )  # fmt: skip
        _opening_stock(store, item, stock)
        if number == "1000":
            for code, description in (("RED", "Röd"), ("BLUE", "Blå")):
                store.insert(
                    "itemVariants",
                    {"itemId": item["id"], "itemNumber": number, "code": code, "description": description},
                )
    for number, display, bus, country, currency, email, blocked in CUSTOMERS:
        store.insert(
            "customers",
            {"number": number, "displayName": display, "type": "Company", "country": country, "email": email,
             "taxAreaId": areas[bus]["id"], "taxAreaDisplayName": areas[bus]["displayName"],
             "currencyCode": currency, "currencyId": currencies[currency]["id"] if currency else EMPTY_GUID,
             "paymentTermsId": terms["id"], "blocked": blocked, "taxLiable": True},
        )  # fmt: skip
    for code, display in (("MAIN", "Huvudlager"), ("STHLM", "Butik Stockholm")):
        store.insert("locations", {"code": code, "displayName": display, "city": "Stockholm", "country": "SE"})
    for code, display, values in DIMENSIONS:
        dimension = store.insert("dimensions", {"code": code, "displayName": display, "consolidationCode": ""})
        for value_code, value_name, blocked in values:
            store.insert(
                "dimensionValues",
                {"code": value_code, "dimensionId": dimension["id"], "displayName": value_name, "_blocked": blocked},
            )
    for code, name in (("JO", "Johanna Olsson"), ("MH", "Mikael Holm")):
        store.insert("salespeoplePurchasers", {"code": code, "displayName": name, "blocked": False})
    for code, display, account in (("SHOPIFY", "Shopify Payments", "1581"), ("STRIPE", "Stripe", "1580"),
                                   ("KLARNA", "Klarna", "1582"), ("ADYEN", "Adyen", "1583"),
                                   ("BANK", "Bankinbetalningar", "1930")):  # fmt: skip
        balancing = store.account(account)
        store.insert(
            "customerPaymentJournals",
            {"code": code, "displayName": display, "balancingAccountId": balancing["id"],
             "balancingAccountNumber": account, "_series": "GJNL-RCPT"},
        )  # fmt: skip
    store.journal_templates = [
        {"name": name, "description": description, "type": kind, "recurring": recurring}
        for name, description, kind, recurring in (
            ("GENERAL", "Allmän", "General", False),
            ("CASHRCPT", "Inbetalningar", "Cash Receipts", False),
            ("INBET-EU", "Inbetalningar EU", "Cash Receipts", False),
            ("REC-CASH", "Återkommande inbetalningar", "Cash Receipts", True),
            ("PAYMENT", "Utbetalningar", "Payments", False),
        )
    ]
    # A batch of a second Cash Receipts template: listed on page 251, not by the customer payments API.
    store.other_batches = [
        {"template": "INBET-EU", "code": "KLARNA-EU", "description": "Klarna EUR", "balancingAccountNumber": "1582"}
    ]
    store.insert(
        "journals",
        {"code": "GENERAL", "displayName": "Allmän journal", "templateDisplayName": "GENERAL",
         "balancingAccountId": EMPTY_GUID, "_series": "GJNL-GEN"},
    )  # fmt: skip


def seed_environments(clock: SimClock) -> dict[str, Environment]:
    sandbox = Environment(name="sandbox", type="Sandbox")
    production = Environment(name="production", type="Production")
    for environment, names in ((sandbox, (COMPANY_NAME, SECOND_COMPANY_NAME)), (production, (COMPANY_NAME,))):
        for name in names:
            company = build_company(environment.name, name, clock)
            environment.companies[company.id] = company
    return {sandbox.name: sandbox, production.name: production}
