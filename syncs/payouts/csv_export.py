"""The merchant's payout CSV in the merchant's language: translated headers and labels, the
language's decimal separator (a decimal comma in Swedish, with semicolons between the columns, as
Excel expects there), and a file name that names the payout, not an internal id."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.labels import gateway_label
from syncs.models import Payout, PayoutTransaction
from syncs.payouts.posting import payout_reference

HEADERS = (
    gettext_lazy("Payment provider"),
    gettext_lazy("Payout"),
    gettext_lazy("Transaction"),
    gettext_lazy("Provider's type"),
    gettext_lazy("Type"),
    gettext_lazy("Order"),
    gettext_lazy("Charge or refund"),
    gettext_lazy("Amount"),
    gettext_lazy("Fee"),
    gettext_lazy("Net"),
    gettext_lazy("Currency"),
    gettext_lazy("State"),
    gettext_lazy("BC document"),
    gettext_lazy("Error code"),
    gettext_lazy("Error"),
    gettext_lazy("Category"),
)
# Excel opens a UTF-8 file with its byte order mark as UTF-8 (å, ä, ö intact).
BOM = "\ufeff"


def provider_label(provider: str) -> str:
    return gateway_label(provider)


def _amount(value: Decimal, decimal_separator: str) -> str:
    return f"{value:.2f}".replace(".", decimal_separator)


def _row(payout: Payout, reference: str, row: PayoutTransaction, decimal_separator: str) -> list[str]:
    return [
        provider_label(payout.provider),
        reference,
        row.provider_transaction_id.rsplit("/", 1)[-1],
        row.raw_type,
        row.get_mapped_type_display(),
        row.order_reference,
        row.source_reference.rsplit("/", 1)[-1],
        _amount(row.amount, decimal_separator),
        _amount(row.fee, decimal_separator),
        _amount(row.net, decimal_separator),
        row.currency,
        row.get_match_state_display(),
        row.bc_document_number,
        row.error_code,
        row.error_message,
        row.get_category_display() if row.category else "",
    ]


def payout_csv_render(*, payout: Payout, language: str) -> str:
    """The payout's transactions as CSV for a reader of ``language``."""
    with translation.override(language):
        decimal_separator = formats.get_format("DECIMAL_SEPARATOR", lang=language)
        delimiter = ";" if decimal_separator == "," else ","
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow([str(header) for header in HEADERS])
        reference = payout_reference(payout)
        for row in payout.transactions.order_by("pk"):
            writer.writerow(_row(payout, reference, row, decimal_separator))
        return BOM + out.getvalue()


def payout_csv_filename(*, payout: Payout, language: str) -> str:
    """ "shopify-payments-payout-2026-04-01-12480-00-sek.csv": provider, date, amount and currency."""
    with translation.override(language):
        parts = [provider_label(payout.provider), _("payout")]
        if payout.arrival_date:
            parts.append(payout.arrival_date.isoformat())
        parts.append(f"{payout.amount:.2f} {payout.currency}")
        return slugify(" ".join(parts)) + ".csv"
