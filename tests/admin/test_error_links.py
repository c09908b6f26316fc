import pytest
from django.urls import reverse

from syncs.errors import get_error
from syncs.models import SyncLogEntry
from tests.factories import RecordLinkFactory, SuperUserFactory, SyncLogEntryFactory

pytestmark = pytest.mark.django_db


def test_logged_error_codes_link_to_their_reference_entry(client):
    client.force_login(SuperUserFactory())
    SyncLogEntryFactory(level=SyncLogEntry.Level.ERROR, error_code="MAP-001")
    RecordLinkFactory(state="failed", last_error_code="BC-101")

    logs = client.get(reverse("admin:syncs_synclogentry_changelist")).content.decode()
    links = client.get(reverse("admin:syncs_recordlink_changelist")).content.decode()

    assert f'href="{get_error("MAP-001").help_url}"' in logs
    assert f'href="{get_error("BC-101").help_url}"' in links


def test_an_unknown_code_stays_plain_text(client):
    client.force_login(SuperUserFactory())
    SyncLogEntryFactory(level=SyncLogEntry.Level.ERROR, error_code="NOT-A-CODE")
    page = client.get(reverse("admin:syncs_synclogentry_changelist")).content.decode()
    assert "NOT-A-CODE" in page
    assert "/help/errors/NOT-A-CODE/" not in page
