"""Render the catalogue as Markdown (docs/error-codes.md), always in English."""

from __future__ import annotations

from django.utils import translation

from syncs.errors.registry import all_errors
from syncs.errors.types import Category

HEADER = """# Error codes

Generated from `syncs/errors/catalogue.py` by `manage.py error_codes_doc`; do not edit by hand.
The same reference is served inside the product at `/help/errors/` (English and Swedish).

Scheme: `AREA-NNN`. The area names what needs attention: `BC` Business Central, `SHOP` the shop
platform, `AUTH` Microsoft sign-in, `MAP` the integration's mappings, `PAY` payouts, `SYS` the
integration itself. For `BC` the hundreds digit is the topic: 0xx API and connection, 1xx VAT,
2xx number series, 3xx currencies, 4xx master data, 5xx payment journals, 6xx environment and
published pages; `x99` is the generic code for an error the product does not recognise, which
keeps the other system's own code and message. A code never changes meaning.

Retryable errors are retried automatically; the others need the fix described.
"""


def error_codes_markdown() -> str:
    with translation.override("en"):
        parts = [HEADER]
        for category in Category:
            entries = all_errors(category=category)
            if not entries:
                continue
            parts.append(f"\n## {category.label}\n\n")
            parts.append("| Code | Title | Severity | Retryable |\n|---|---|---|---|\n")
            for e in entries:
                retry = "yes" if e.retryable else "no"
                parts.append(f"| [{e.code}](#{e.code.lower()}) | {e.title} | {e.severity.value} | {retry} |\n")
            for e in entries:
                parts.append(f"\n### {e.code}\n\n**{e.title}** ({e.severity.value}")
                parts.append(", retried automatically)\n\n" if e.retryable else ")\n\n")
                parts.append(f"- Message: {e.message}\n- Cause: {e.cause}\n- Remedy: {e.remedy}\n")
                if e.vendor_codes:
                    parts.append(f"- Reported by the other system as: {', '.join(f'`{c}`' for c in e.vendor_codes)}\n")
        return "".join(parts)
