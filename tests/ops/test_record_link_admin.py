"""The record link page shows what support needs: raw payloads readable, and the record's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from syncs.admin_display import HISTORY_LIMIT, json_pretty
from syncs.models import RecordLink, SyncLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    integration = f.IntegrationFactory()
    return f.RecordLinkFactory(
        integration=integration,
        source_reference="#1001",
        state=RecordLink.State.FAILED,
        raw_source={"name": "#1001", "note": "<script>alert(1)</script>", "lines": [{"sku": "1896-S"}]},
        raw_target={"error": {"code": "Internal_RecordNotFound", "message": "VAT Posting Setup does not exist"}},
    )


def test_detail_page_pretty_prints_payloads_and_lists_the_history(client, link):
    run = f.SyncRunFactory(integration=link.integration)
    f.SyncLogEntryFactory(
        integration=link.integration, run=run, record_link=link, level="error", error_code="BC-301", message="first try"
    )
    f.SyncLogEntryFactory(integration=link.integration, record_link=None, message="another record's line")
    client.force_login(f.SuperUserFactory())

    page = client.get(reverse("admin:syncs_recordlink_change", args=[link.pk])).content.decode()

    # Indented JSON (escaped) in a <pre>, not a one-line repr.
    assert "\n      &quot;sku&quot;: &quot;1896-S&quot;\n" in page
    assert "Internal_RecordNotFound" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "first try" in page and "BC-301" in page
    assert reverse("admin:syncs_syncrun_change", args=[run.pk]) in page
    assert "another record&#x27;s line" not in page and "another record's line" not in page


def test_history_is_bounded(client, link, django_assert_max_num_queries):
    SyncLogEntry.objects.bulk_create(
        SyncLogEntry(integration=link.integration, record_link=link, flow="orders", message=f"attempt {n}")
        for n in range(HISTORY_LIMIT + 5)
    )
    client.force_login(f.SuperUserFactory())

    page = client.get(reverse("admin:syncs_recordlink_change", args=[link.pk])).content.decode()

    assert page.count("attempt ") == HISTORY_LIMIT
    assert f"Showing the latest {HISTORY_LIMIT}." in page


def test_json_pretty_marks_empty_payloads():
    assert json_pretty(None) == "-"
    assert json_pretty({}) == "-"
    assert "<pre" in json_pretty({"a": 1})
