"""The shape of one catalogue entry and of a classified error."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The scheme: AREA-NNN. The area names who must act; for BC the hundreds digit is the topic
# (0xx API and connection, 1xx VAT, 2xx number series, 3xx currencies, 4xx master data,
# 5xx payment journals, 6xx environment and published pages). Codes never change meaning.
CODE_PATTERN = r"\b(?:BC|SHOP|WOO|AUTH|MAP|PAY|SYS)-\d{3}\b"
CODE_RE = re.compile(CODE_PATTERN)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    @property
    def label(self) -> Promise:
        return _SEVERITY_LABELS[self]


_SEVERITY_LABELS = {
    Severity.INFO: _("Info"),
    Severity.WARNING: _("Warning"),
    Severity.ERROR: _("Error"),
    Severity.CRITICAL: _("Critical"),
}


class Category(StrEnum):
    BC = "bc"
    SHOP = "shop"
    SIGNIN = "signin"
    MAPPING = "mapping"
    PAYOUT = "payout"
    SYSTEM = "system"

    @property
    def label(self) -> Promise:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.BC: _("Business Central"),
    Category.SHOP: _("Shop"),
    Category.SIGNIN: _("Microsoft sign-in"),
    Category.MAPPING: _("Mappings"),
    Category.PAYOUT: _("Payouts"),
    Category.SYSTEM: _("System"),
}


class _KeepMissing(dict):
    """format_map helper: a placeholder without a value stays visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _param(value):
    """Amounts in the reader's number format (970,00 in Swedish); None as nothing."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    return value


@dataclass(frozen=True)
class ErrorEntry:
    code: str
    category: Category
    severity: Severity
    retryable: bool
    title: str | Promise
    message: str | Promise  # one-line message; {placeholders} are filled from the error's details
    cause: str | Promise
    remedy: str | Promise
    # BC error codes (error.code) this entry is the answer for; used by the classifier and the docs.
    vendor_codes: tuple[str, ...] = field(default=())

    @property
    def placeholders(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(str(self.message)) if name]

    def render(self, **params) -> str:
        """The message in the active language with the details filled in."""
        return str(self.message).format_map(_KeepMissing({k: _param(v) for k, v in params.items()}))

    @property
    def help_url(self) -> str:
        try:
            return reverse("help:error_detail", args=[self.code])
        except NoReverseMatch:  # help pages not mounted (e.g. a stripped-down URLconf)
            return ""


@dataclass(frozen=True)
class ClassifiedError:
    """What the product knows about a failure: our entry, our message, and the vendor's own words."""

    entry: ErrorEntry
    message: str
    details: dict = field(default_factory=dict)
    vendor_code: str = ""
    vendor_message: str = ""

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def retryable(self) -> bool:
        return self.entry.retryable
