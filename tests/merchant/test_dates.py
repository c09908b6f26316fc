"""One locale-aware date format on every page: "5 Dec 2026, 16:22" in English (never the US
month/day order), "2026-12-05 16:22" in Swedish; dates and date-times alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, translation

from syncs.models import SyncRun
from tests.factories import SyncRunFactory

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2026, 12, 5, 16, 22, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "date_time", "date"),
    [("en", "5 Dec 2026, 16:22", "5 Dec 2026"), ("sv", "2026-12-05 16:22", "2026-12-05")],
)
def test_each_language_has_one_format_for_dates_and_times(language, date_time, date):
    with translation.override(language):
        assert formats.date_format(WHEN, "SHORT_DATETIME_FORMAT") == date_time
        assert formats.date_format(WHEN, "DATETIME_FORMAT") == date_time
        assert formats.date_format(WHEN.date(), "SHORT_DATE_FORMAT") == date
        assert formats.date_format(WHEN.date()) == date  # {{ a_date }} without a format


def test_the_runs_page_shows_the_languages_format(owner_client, integration):
    SyncRunFactory(integration=integration, status=SyncRun.Status.SUCCEEDED, started_at=WHEN, finished_at=WHEN)
    url = reverse("merchant:runs", args=[integration.pk])

    english = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    swedish = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert "5 Dec 2026, 16:22" in english and "12/05/2026" not in english and "p.m." not in english
    assert "2026-12-05 16:22" in swedish
