"""Read-only renderings for the record link page: raw payloads pretty-printed and the record's history."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from syncs.models import SyncLogEntry

HISTORY_LIMIT = 50
PAYLOAD_MAX_CHARS = 200_000  # a runaway payload must not make the page unusable


def json_pretty(value: Any) -> str:
    """Indented JSON in a <pre> (escaped), or "-" when nothing was stored."""
    if value in (None, "", {}, []):
        return "-"
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    if len(text) > PAYLOAD_MAX_CHARS:
        text = f"{text[:PAYLOAD_MAX_CHARS]}\n… ({len(text) - PAYLOAD_MAX_CHARS} more characters)"
    return format_html('<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>', text)


def record_link_history(record_link_id: int) -> str:
    """The record's log entries, newest first, as a table (one query, bounded)."""
    entries = list(
        SyncLogEntry.objects.filter(record_link_id=record_link_id)
        .order_by("-created_at", "-pk")
        .values_list("created_at", "level", "error_code", "message", "run_id")[:HISTORY_LIMIT]
    )
    if not entries:
        return "No log entries."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                created.strftime("%Y-%m-%d %H:%M:%S"),
                level,
                code or "-",
                message,
                format_html('<a href="{}">#{}</a>', reverse("admin:syncs_syncrun_change", args=[run_id]), run_id)
                if run_id
                else "-",
            )
            for created, level, code, message, run_id in entries
        ),
    )
    more = format_html("<p>Showing the latest {}.</p>", HISTORY_LIMIT) if len(entries) == HISTORY_LIMIT else ""
    return format_html(
        "<table><thead><tr><th>At</th><th>Level</th><th>Code</th><th>Message</th><th>Run</th></tr></thead>"
        "<tbody>{}</tbody></table>{}",
        rows,
        more,
    )
