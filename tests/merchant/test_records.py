"""Records ("Entities"): filters, search, error remedies, retry buttons and bounded queries."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from integrations.models import Flow
from syncs.errors import get_error
from syncs.models import EntityType, RecordLink, SourceSystem, SyncLogEntry, SyncRun
from syncs.selectors import record_link_list
from tests.factories import RecordLinkFactory, SyncLogEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(integration, other_integration):
    rows = {
        "synced": RecordLinkFactory(
            integration=integration, source_reference="#1001", target_number="SI-103001", state=RecordLink.State.SYNCED
        ),
        "failed": RecordLinkFactory(
            integration=integration,
            source_reference="#1002",
            state=RecordLink.State.FAILED,
            last_error_code="BC-101",
            last_error_message="VAT posting setup is missing for DOMESTIC / VAT25.",
            attempts=3,
        ),
        "refund": RecordLinkFactory(
            integration=integration,
            entity_type=EntityType.REFUND,
            source_id="gid://shopify/Refund/77",
            source_reference="#1001-R1",
            target_number="SCM-1009",
            state=RecordLink.State.SYNCED,
        ),
        "item_failed": RecordLinkFactory(
            integration=integration,
            entity_type=EntityType.ITEM,
            source_id="gid://shopify/Product/5",
            source_reference="SKU-RED",
            state=RecordLink.State.FAILED,
            last_error_code="BC-201",
        ),
        "conflict": RecordLinkFactory(
            integration=integration,
            source_reference="#1003",
            target_number="SO-1003",
            state=RecordLink.State.CONFLICT,
            last_error_code="MAP-008",
            details={"diff": [{"field": "shipping_address.city", "before": "Malmö", "after": "Lund"}]},
        ),
        "other": RecordLinkFactory(
            integration=other_integration,
            source_reference="#1002",
            state=RecordLink.State.FAILED,
            last_error_code="BC-101",
        ),
    }
    return rows


def _list(client, integration, **params):
    response = client.get(reverse("merchant:records", args=[integration.pk]), params)
    assert response.status_code == 200
    return response


def _shown(response) -> set[int]:
    return {link.pk for link in response.context["page"].object_list}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"synced", "failed", "refund", "item_failed", "conflict"}),
        ({"state": "failed"}, {"failed", "item_failed"}),
        ({"entity_type": "refund"}, {"refund"}),
        ({"entity_type": "order", "state": "failed"}, {"failed"}),
        ({"state": "conflict"}, {"conflict"}),
        ({"q": "1002"}, {"failed"}),
        ({"q": "#1001"}, {"synced", "refund"}),
        ({"q": "SCM-1009"}, {"refund"}),
        ({"q": "si-103001"}, {"synced"}),
        ({"q": "gid://shopify/Product/5"}, {"item_failed"}),
        ({"q": "no-such-thing"}, set()),
        ({"state": "bogus"}, {"synced", "failed", "refund", "item_failed", "conflict"}),
    ],
)
def test_filters_and_search_return_the_right_rows_of_the_integration_only(
    owner_client, integration, world, params, expected
):
    response = _list(owner_client, integration, **params)

    assert _shown(response) == {world[name].pk for name in expected}


def test_each_failure_shows_its_code_link_title_and_remedy(owner_client, integration, world):
    body = _list(owner_client, integration, state="failed").content.decode()

    entry = get_error("BC-101")
    assert f'href="{entry.help_url}"' in body and ">BC-101</a>" in body
    assert str(entry.title) in body and str(entry.remedy) in body
    assert "#1002" in body and "SKU-RED" in body


def test_the_type_tabs_count_only_this_integrations_records(owner_client, integration, world):
    response = _list(owner_client, integration)

    assert [(value, count) for value, _label, count in response.context["counts"].by_type] == [
        ("order", 3),
        ("refund", 1),
        ("item", 1),
    ]
    assert response.context["counts"].by_state["failed"] == response.context["counts"].failed == 2
    assert _list(owner_client, integration, entity_type="item").context["counts"].failed == 1


def test_the_list_pages_and_keeps_its_filters(owner_client, integration):
    RecordLinkFactory.create_batch(55, integration=integration, state=RecordLink.State.FAILED)
    RecordLinkFactory.create_batch(3, integration=integration, state=RecordLink.State.SYNCED)

    first = _list(owner_client, integration, state="failed")
    second = _list(owner_client, integration, state="failed", page=2)

    assert len(first.context["page"].object_list) == 50 and len(second.context["page"].object_list) == 5
    assert "?state=failed&amp;page=2" in first.content.decode()


def test_the_records_list_does_a_bounded_number_of_queries(
    owner_client, integration, other_integration, django_assert_max_num_queries
):
    for state in RecordLink.State.values:
        RecordLinkFactory.create_batch(12, integration=integration, state=state, last_error_code="BC-101")
    RecordLinkFactory.create_batch(5, integration=integration, entity_type=EntityType.STOCK)

    # session, user, integration, record count, page rows, counts by type and state; the "Now and
    # next" panel: runs going on, each flow's last finished run (one query for all flows)
    with django_assert_max_num_queries(8):
        response = _list(owner_client, integration)
    assert len(response.context["page"].object_list) == 50


def test_retry_all_failed_queues_a_run_per_flow_and_flips_failed_to_pending(owner_client, integration, world):
    response = owner_client.post(reverse("merchant:records_retry_failed", args=[integration.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("merchant:records", args=[integration.pk])
    runs = SyncRun.objects.filter(integration=integration)
    assert sorted(runs.values_list("flow", flat=True)) == [Flow.ORDERS, Flow.PRODUCTS]
    assert set(runs.values_list("trigger", "status")) == {(SyncRun.Trigger.RETRY, SyncRun.Status.QUEUED)}
    world["failed"].refresh_from_db()
    world["item_failed"].refresh_from_db()
    world["other"].refresh_from_db()
    assert world["failed"].state == world["item_failed"].state == RecordLink.State.PENDING
    assert world["other"].state == RecordLink.State.FAILED  # the other tenant's record is untouched
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The failed records will be synced again in a moment (2 runs queued)."]


def test_retry_all_failed_of_one_type_retries_that_flow_only(owner_client, integration, world):
    response = owner_client.post(
        reverse("merchant:records_retry_failed", args=[integration.pk]), {"entity_type": "item"}
    )

    assert response["Location"].endswith("?entity_type=item")
    assert list(SyncRun.objects.values_list("flow", flat=True)) == [Flow.PRODUCTS]
    world["failed"].refresh_from_db()
    assert world["failed"].state == RecordLink.State.FAILED


def test_retry_all_failed_with_nothing_failed_queues_nothing(owner_client, integration):
    RecordLinkFactory(integration=integration, state=RecordLink.State.SYNCED)

    response = owner_client.post(reverse("merchant:records_retry_failed", args=[integration.pk]), follow=True)

    assert not SyncRun.objects.exists()
    assert "There are no failed records to retry." in response.content.decode()


def test_record_detail_shows_the_error_bcs_words_remedy_and_history(owner_client, integration, world):
    link = world["failed"]
    SyncLogEntryFactory(
        integration=integration,
        record_link=link,
        level=SyncLogEntry.Level.ERROR,
        error_code="BC-101",
        message="#1002: VAT posting setup is missing for DOMESTIC / VAT25.",
        details={"vendor_code": "Internal_RecordNotFound", "vendor_message": "The VAT Posting Setup does not exist."},
    )
    SyncLogEntryFactory(integration=integration, record_link=world["synced"], message="Another record's line")

    response = owner_client.get(reverse("merchant:record_detail", args=[link.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "The VAT Posting Setup does not exist." in body and "Internal_RecordNotFound" in body
    assert str(get_error("BC-101").remedy) in body
    assert "#1002: VAT posting setup is missing" in body and "Another record&#x27;s line" not in body
    assert f'action="{reverse("merchant:record_retry", args=[link.pk])}"' in body


def test_record_detail_shows_the_conflict_diff(owner_client, world):
    body = owner_client.get(reverse("merchant:record_detail", args=[world["conflict"].pk])).content.decode()

    assert "Shipping address city" in body and "shipping_address" not in body and "Malmö" in body and "Lund" in body


def test_record_detail_shows_the_payloads(owner_client, integration):
    link = RecordLinkFactory(
        integration=integration,
        source_system=SourceSystem.SHOPIFY,
        raw_source={"name": "#1010", "totalPrice": "125.00"},
        raw_target={"number": "SI-1010"},
    )

    body = owner_client.get(reverse("merchant:record_detail", args=[link.pk])).content.decode()

    assert "&quot;totalPrice&quot;: &quot;125.00&quot;" in body and "SI-1010" in body


def test_retry_one_record_queues_a_run_naming_it(owner_client, integration, world):
    link = world["item_failed"]

    response = owner_client.post(reverse("merchant:record_retry", args=[link.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("merchant:record_detail", args=[link.pk])
    run = SyncRun.objects.get()
    assert (run.integration_id, run.flow, run.trigger) == (integration.pk, Flow.PRODUCTS, SyncRun.Trigger.RETRY)
    assert run.parameters["record_link_ids"] == [link.pk]
    link.refresh_from_db()
    assert link.state == RecordLink.State.PENDING
    world["failed"].refresh_from_db()
    assert world["failed"].state == RecordLink.State.FAILED


def test_a_get_on_a_retry_url_changes_nothing(owner_client, integration, world):
    assert owner_client.get(reverse("merchant:record_retry", args=[world["failed"].pk])).status_code == 405
    assert owner_client.get(reverse("merchant:records_retry_failed", args=[integration.pk])).status_code == 405
    assert not SyncRun.objects.exists()


def test_the_selector_is_scoped_to_the_integration(integration, other_integration, world):
    assert world["other"].pk not in set(record_link_list(integration=integration).values_list("pk", flat=True))


def test_record_history_shows_the_successful_sync_with_the_bc_link(owner_client, integration):
    from django.utils import timezone

    from tests.factories import BusinessCentralConnectionFactory

    BusinessCentralConnectionFactory(
        integration=integration, environment_name="sandbox", company_name="CRONUS Sverige AB", entra_tenant_id="t-1"
    )
    link = RecordLinkFactory(
        integration=integration,
        source_id="gid://shopify/Order/9001",
        source_reference="#9001",
        target_id="5865bb86-278c-5d2a-837b-338e5e0f546b",
        target_number="103001",
        state=RecordLink.State.SYNCED,
        synced_at=timezone.now(),
        details={"document_kind": "invoice", "status": "Open"},
    )

    body = owner_client.get(reverse("merchant:record_detail", args=[link.pk])).content.decode()

    assert "Synced to Business Central as 103001." in body
    assert 'href="https://businesscentral.dynamics.com/t-1/sandbox/?company=CRONUS%20Sverige%20AB&amp;page=132' in body
    assert "gid://" not in body.split("<h2>Data</h2>")[0] and link.target_id not in body.split("<h2>Data</h2>")[0]
