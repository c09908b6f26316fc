"""Link any error code shown in a page to its entry in the reference: ``{{ code|error_link }}``."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from syncs.errors import find_error
from syncs.errors.types import CODE_RE

register = template.Library()


@register.filter
def error_link(code: str) -> str:
    """The code as a link to its help page, with the entry's title as tooltip; unknown codes stay plain text."""
    entry = find_error(code or "")
    if entry is None:
        return code or ""
    return format_html('<a href="{}" title="{}" class="error-code">{}</a>', entry.help_url, entry.title, entry.code)


@register.filter
def error_remedy(code: str) -> str:
    """The catalogue's remedy for a code (empty for an unknown code)."""
    entry = find_error(code or "")
    return str(entry.remedy) if entry else ""


@register.filter
def error_title(code: str) -> str:
    """The catalogue's title for a code, in the reader's language (empty for an unknown code)."""
    entry = find_error(code or "")
    return str(entry.title) if entry else ""


@register.filter
def link_codes(text: str) -> str:
    """Every known error code inside a message becomes a link to its help page (the rest is escaped)."""
    text = str(text or "")
    parts, last = [], 0
    for match in CODE_RE.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(error_link(match.group(0)) if find_error(match.group(0)) else conditional_escape(match.group(0)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part is escaped or format_html
