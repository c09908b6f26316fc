import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from integrations.models import Flow, Integration
from syncs.models import RecordLink, SyncLogEntry, SyncRun
from syncs.services.support_groups import OPERATOR_GROUP, READ_ONLY_GROUP
from tests.factories import (
    BusinessCentralConnectionFactory,
    IntegrationFactory,
    RecordLinkFactory,
    SyncLogEntryFactory,
    SyncRunFactory,
)

pytestmark = pytest.mark.django_db


def table(output: str) -> list[dict[str, str]]:
    header, _rule, *lines = output.splitlines()
    columns = re.split(r"\s{2,}", header.strip())
    return [dict(zip(columns, re.split(r"\s{2,}", line.strip()), strict=True)) for line in lines]


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_setup_groups_creates_both_groups_idempotently():
    call_command("setup_groups", stdout=io.StringIO())
    Group.objects.get(name=READ_ONLY_GROUP).permissions.clear()
    out = io.StringIO()
    call_command("setup_groups", stdout=out)
    output = out.getvalue()
    assert READ_ONLY_GROUP in output
    read_only, operator = codenames(READ_ONLY_GROUP), codenames(OPERATOR_GROUP)
    for codename in ("view_integration", "view_synclogentry", "view_failedsyncrun", "view_shopconnection"):
        assert codename in read_only
    assert all(c.startswith("view_") for c in read_only)
    assert operator - read_only == {"run_sync", "run_preflight", "pause_integration", "send_reconnect_link"}
    assert not any(c.startswith(("delete_", "add_", "change_")) for c in operator)
    assert Group.objects.filter(name__startswith="Support").count() == 2


def test_prune_logs_deletes_only_entries_older_than_the_retention():
    old = SyncLogEntryFactory.create_batch(3)
    SyncLogEntry.objects.filter(pk__in=[e.pk for e in old]).update(created_at=timezone.now() - timedelta(days=31))
    recent = SyncLogEntryFactory()
    out = io.StringIO()
    call_command("prune_logs", "--days", "30", "--batch-size", "2", stdout=out)
    output = out.getvalue()
    assert "2 log entries deleted" in output and "Done: 3 log entries" in output
    assert list(SyncLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]


def test_prune_logs_rejects_a_retention_below_one_day():
    with pytest.raises(CommandError, match="--days"):
        call_command("prune_logs", "--days", "0", stdout=io.StringIO())


def test_integration_status_shows_one_line_per_integration_with_last_runs_and_failures():
    bc = BusinessCentralConnectionFactory(
        integration__name="Nordic Webshop",
        environment_name="Production",
        environment_type="Production",
        company_name="CRONUS AB",
    )
    integration = bc.integration
    earlier = SyncRunFactory(integration=integration, flow=Flow.ORDERS, status=SyncRun.Status.FAILED)
    SyncRun.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(hours=2))
    SyncRunFactory(integration=integration, flow=Flow.ORDERS, status=SyncRun.Status.SUCCEEDED)
    RecordLinkFactory.create_batch(2, integration=integration, state=RecordLink.State.FAILED)
    RecordLinkFactory(integration=integration, state=RecordLink.State.SYNCED)
    IntegrationFactory(name="Other shop", status=Integration.Status.DRAFT)

    out = io.StringIO()
    call_command("integration_status", stdout=out)
    rows = {row["integration"]: row for row in table(out.getvalue())}
    nordic = rows["Nordic Webshop"]
    assert (nordic["BC environment"], nordic["BC company"]) == ("Production (Production)", "CRONUS AB")
    assert nordic["orders"].startswith("succeeded ") and nordic["stock"] == "-"
    assert nordic["failed records"] == "2"
    assert rows["Other shop"]["failed records"] == "0" and rows["Other shop"]["BC company"] == "-"

    out = io.StringIO()
    call_command("integration_status", "--status", "draft", stdout=out)
    assert [row["integration"] for row in table(out.getvalue())] == ["Other shop"]


def test_integration_status_rejects_an_unknown_status():
    with pytest.raises(CommandError, match="Unknown status"):
        call_command("integration_status", "--status", "sleeping", stdout=io.StringIO())
