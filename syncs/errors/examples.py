"""Filled examples of the catalogue's messages for the help pages: a reader sees
"Country SE has no VAT business posting group", never "{country}".

The values are typical ones (codes, numbers, BC's own wording), the same in every language.
"""

from __future__ import annotations

from syncs.errors.types import ErrorEntry

EXAMPLE_VALUES: dict[str, str] = {
    "account": "3540",
    "address": "https://bc.contoso.com:7048/BC",
    "age_days": "3",
    "amount": "1 249.00",
    "attempts": "5",
    "batch": "SHOPIFY",
    "bank_currency": "EUR",
    "bc_currency": "SEK",
    "blocked": "All",
    "clearing_account": "1581",
    "code": "KORT",
    "company": "CRONUS Sverige AB",
    "configuration": "Klarna SE SEK",
    "country": "DE",
    "credit_memo": "#1001-R1",
    "currency": "NOK",
    "customer_group": "DOMESTIC",
    "customer_number": "10000",
    "default_template": "CASHRCPT",
    "date": "2026-04-01",
    "difference": "0.04",
    "dimension_code": "DEPARTMENT",
    "entity": "Sales invoice",
    "environment": "Production",
    "expected": "SEK",
    "field": "externalDocumentNumber",
    "gateway": "Klarna",
    "invoice": "103015",
    "invoice_currency": "EUR",
    "item": "1896-S",
    "item_number": "1896-S",
    "journal_account": "1930",
    "last_number": "S-INV109999",
    "market": "SE",
    "last_used": "S-INV109999",
    "lcy": "SEK",
    "length": "35",
    "limit": "20",
    "locations": "MAIN, STHLM",
    "net": "12 480.00",
    "number": "103015",
    "numbers": "S-INV103001, S-INV103002",
    "object": "Sales Header",
    "order": "#1001",
    "original_length": "52",
    "page_id": "30",
    "payout": "Payout 2026-04-01 (12 480.00 SEK)",
    "payout_currency": "SEK",
    "permission": "Insert",
    "provider": "Shopify Payments",
    "raw_type": "adjustment",
    "reason": "the address is in a private network that the allow-list does not name",
    "record": "#1001",
    "reference": "#1001",
    "related_table": "Customer",
    "remaining": "12",
    "series_code": "S-INV",
    "service_name": "Items",
    "shop": "my-shop.myshopify.com",
    "sign": "negative",
    "sku": "SOCK-RED-42",
    "starting_date": "2026-03-31",
    "status": "429",
    "store": "https://shop.example.com",
    "system": "Shopify",
    "table": "Sales Header",
    "tax_class": "reduced-rate",
    "template": "CASHRCPT",
    "title": "Wool socks, red, 42",
    "total": "1 249.00",
    "value": "SE-123",
    "vat_bus_group": "EU",
    "vat_prod_group": "VAT25",
    "vendor_code": "Internal_RecordAlreadyExists",
    "vendor_message": "The record already exists.",
}
UNKNOWN = "…"


def error_example_message(entry: ErrorEntry) -> str:
    """The entry's message with example values where the real one names the record or account."""
    return entry.render(**{name: EXAMPLE_VALUES.get(name, UNKNOWN) for name in entry.placeholders})
