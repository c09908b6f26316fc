"""The monitoring pages in Swedish: accounting terms, catalogue texts and the integration page's links."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from syncs.errors import get_error
from syncs.models import EntityType, RecordLink
from tests.factories import RecordLinkFactory

pytestmark = pytest.mark.django_db


def test_the_records_page_in_swedish(owner_client, integration):
    RecordLinkFactory(
        integration=integration,
        entity_type=EntityType.REFUND,
        source_reference="#1001-R1",
        state=RecordLink.State.FAILED,
        last_error_code="BC-201",
    )

    body = owner_client.get(
        reverse("merchant:records", args=[integration.pk]), headers={"accept-language": "sv"}
    ).content.decode()

    assert 'lang="sv"' in body
    assert "<h1>Poster</h1>" in body and "Försök igen med alla misslyckade" in body
    assert "Återbetalning" in body and "Misslyckad" in body and "Butiksreferens" in body
    with translation.override("sv"):
        entry = get_error("BC-201")
        assert str(entry.title) in body and str(entry.remedy) in body
    assert "Retry all failed" not in body and "Shop reference" not in body


def test_the_integration_page_links_to_the_monitoring_pages(owner_client, integration):
    body = owner_client.get(
        reverse("merchant:integration_detail", args=[integration.pk]), headers={"accept-language": "sv"}
    ).content.decode()

    for name, label in (("records", "Poster"), ("runs", "Synkkörningar"), ("preflight", "Hälsokontroll")):
        assert f'<a href="{reverse(f"merchant:{name}", args=[integration.pk])}">{label}</a>' in body
    assert f'<a href="{reverse("payouts:list", args=[integration.pk])}">Utbetalningar</a>' in body
