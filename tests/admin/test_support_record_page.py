"""Support's record page says what the error means, what to do and where the help is, with a Retry;
runs show their first error (a partly failed run has none of its own); dashboard counts are links."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from syncs.models import RecordLink, SyncLogEntry, SyncRun
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_link(db):
    integration = f.IntegrationFactory(name="Nordic Webshop")
    return f.RecordLinkFactory(
        integration=integration, source_reference="#1001", state=RecordLink.State.FAILED, last_error_code="MAP-001"
    )


def test_the_record_page_shows_remedy_help_link_and_retry(client, superuser, failed_link):
    from syncs.errors import get_error

    client.force_login(superuser)
    page = client.get(reverse("admin:syncs_recordlink_change", args=[failed_link.pk])).content.decode()

    entry = get_error("MAP-001")
    assert escape(str(entry.title)) in page and escape(str(entry.remedy)) in page
    assert entry.help_url in page
    assert reverse("admin:syncs_recordlink_retry", args=[failed_link.pk]) in page


def test_retry_asks_first_then_queues_a_run_for_the_record(client, superuser, failed_link):
    client.force_login(superuser)
    url = reverse("admin:syncs_recordlink_retry", args=[failed_link.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Retry this record" in confirm.content.decode()
    assert not SyncRun.objects.exists()

    response = client.post(url)

    assert response.status_code == 302
    run = SyncRun.objects.get()
    assert run.trigger == SyncRun.Trigger.RETRY and run.parameters["record_link_ids"] == [failed_link.pk]
    failed_link.refresh_from_db()
    assert failed_link.state == RecordLink.State.PENDING


def test_read_only_support_cannot_retry(client, read_only_user, failed_link):
    client.force_login(read_only_user)

    response = client.post(reverse("admin:syncs_recordlink_retry", args=[failed_link.pk]))

    assert response.status_code == 403 and not SyncRun.objects.exists()


def test_a_partly_failed_run_shows_its_first_error(client, superuser):
    integration = f.IntegrationFactory(tenant=f.TenantFactory(with_owner=True))
    run = f.SyncRunFactory(integration=integration, status=SyncRun.Status.PARTIAL, records_failed=2, error_code="")
    f.SyncLogEntryFactory(
        integration=integration, run=run, level=SyncLogEntry.Level.ERROR, error_code="MAP-013", message="Gateway klarna"
    )
    f.SyncLogEntryFactory(
        integration=integration, run=run, level=SyncLogEntry.Level.ERROR, error_code="MAP-001", message="later"
    )
    client.force_login(superuser)

    admin_page = client.get(reverse("admin:syncs_syncrun_changelist")).content.decode()
    dashboard = client.get(reverse("support_dashboard")).content.decode()
    client.force_login(integration.tenant.memberships.get().user)
    merchant = client.get(reverse("merchant:runs", args=[integration.pk])).content.decode()

    for page in (admin_page, dashboard, merchant):
        assert "MAP-013" in page and "Gateway klarna" in page and "later" not in page


def test_dashboard_counts_link_to_the_filtered_lists(client, superuser, failed_link):
    f.SyncLogEntryFactory(integration=failed_link.integration, level=SyncLogEntry.Level.ERROR, error_code="MAP-001")
    client.force_login(superuser)

    page = client.get(reverse("support_dashboard")).content.decode()

    changelist = reverse("admin:syncs_recordlink_changelist")
    assert f'{changelist}?state__exact=failed&amp;entity_type__in=order,shipment">1</a>' in page
    assert f'{reverse("admin:integrations_integration_changelist")}?status__exact=testing">1</a>' in page
    logs = reverse("admin:syncs_synclogentry_changelist")
    assert f"{logs}?level__exact=error&amp;error_code=MAP-001&amp;created_at__gte=" in page
    # The links open filtered lists that work.
    assert client.get(f"{changelist}?state__exact=failed&entity_type__in=order,shipment").status_code == 200
