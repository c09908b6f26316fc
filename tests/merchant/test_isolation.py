"""Every monitoring URL answers 404 for another tenant's integration or record, on GET and POST, and
changes nothing there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from syncs.models import PreflightRun, RecordLink, SyncRun
from tests.factories import PreflightRunFactory, RecordLinkFactory, SyncRunFactory

pytestmark = pytest.mark.django_db

INTEGRATION_URLS = ["records", "records_retry_failed", "runs", "preflight", "preflight_run"]
RECORD_URLS = ["record_detail", "record_retry"]
POST_ONLY = {"records_retry_failed", "preflight_run", "record_retry"}


@pytest.fixture
def b_objects(other_integration):
    return {
        "link": RecordLinkFactory(
            integration=other_integration, state=RecordLink.State.FAILED, source_reference="#B-1"
        ),
        "run": SyncRunFactory(integration=other_integration, status=SyncRun.Status.FAILED, error_code="BC-101"),
        "preflight": PreflightRunFactory(integration=other_integration, status=PreflightRun.Status.FAILED),
    }


def _assert_404(client, url, method):
    response = getattr(client, method)(url)
    if response.status_code == 405:  # GET on a button's URL: the POST must be refused with 404
        assert method == "get"
        response = client.post(url)
    assert response.status_code == 404, (url, method, response.status_code)


@pytest.mark.parametrize("name", INTEGRATION_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_tenants_integration_is_404(
    owner_client, other_integration, b_objects, name, method, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _assert_404(owner_client, reverse(f"merchant:{name}", args=[other_integration.pk]), method)

    assert callbacks == []  # nothing enqueued (no preflight, no run)
    assert SyncRun.objects.count() == 1 and PreflightRun.objects.count() == 1
    b_objects["link"].refresh_from_db()
    assert b_objects["link"].state == RecordLink.State.FAILED


@pytest.mark.parametrize("name", RECORD_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_tenants_record_is_404(owner_client, b_objects, name, method):
    _assert_404(owner_client, reverse(f"merchant:{name}", args=[b_objects["link"].pk]), method)

    b_objects["link"].refresh_from_db()
    assert b_objects["link"].state == RecordLink.State.FAILED
    assert SyncRun.objects.count() == 1


@pytest.mark.parametrize("name", RECORD_URLS)
def test_a_record_id_that_does_not_exist_is_404(owner_client, name):
    _assert_404(owner_client, reverse(f"merchant:{name}", args=[999_999]), "post" if name in POST_ONLY else "get")


def test_another_tenants_rows_never_show_on_own_pages(owner_client, integration, b_objects):
    records = owner_client.get(reverse("merchant:records", args=[integration.pk]), {"q": "#B-1"})
    runs = owner_client.get(reverse("merchant:runs", args=[integration.pk]))
    health = owner_client.get(reverse("merchant:preflight", args=[integration.pk]))

    assert list(records.context["page"].object_list) == [] and not records.context["counts"].by_type
    assert list(runs.context["page"].object_list) == []
    assert health.context["overview"].latest is None


@pytest.mark.parametrize("name", INTEGRATION_URLS + RECORD_URLS)
def test_anonymous_users_are_sent_to_log_in(client, integration, name):
    link = RecordLinkFactory(integration=integration)
    url = reverse(f"merchant:{name}", args=[link.pk if name in RECORD_URLS else integration.pk])

    response = client.post(url) if name in POST_ONLY else client.get(url)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
