"""Admin actions: permission-gated, enqueue through services, return at once."""

import pytest
from django.core import mail
from django.urls import reverse
from django_q.models import Task

from integrations.models import Integration
from syncs.models import RecordLink, SyncLogEntry, SyncRun
from tests.factories import FACTORY_SECRETS, RecordLinkFactory

CHANGELIST = "admin:integrations_integration_changelist"


def post_action(client, url_name, action, pks, follow=True):
    return client.post(
        reverse(url_name), {"action": action, "_selected_action": [str(pk) for pk in pks]}, follow=follow
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_operator_sync_now_queues_a_run_and_the_task_fails_cleanly_without_a_handler(
    client, world, operator, no_flow_handlers, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(client, CHANGELIST, "sync_orders_now", [world.pk])
    assert response.status_code == 200
    assert "Queued orders sync for 1 integration(s)." in messages_of(response)
    run = SyncRun.objects.get(integration=world, trigger=SyncRun.Trigger.MANUAL)
    assert run.flow == "orders" and run.parameters == {"requested_by": operator.username}
    # Q_CLUSTER sync=True in tests: the enqueued task ran inline.
    task = Task.objects.get(func="syncs.tasks.flow_run_task")
    assert run.task_id == task.id and task.args == (run.pk,)
    assert run.status == SyncRun.Status.FAILED
    assert "No handler registered for flow 'orders'" in run.error_message


@pytest.mark.parametrize("action", ["sync_customers_now", "sync_products_now", "sync_stock_now", "sync_payouts_now"])
def test_each_sync_now_action_queues_its_flow(client, world, operator, action):
    Integration.objects.filter(pk=world.pk).update(**{f"{action.split('_')[1]}_enabled": True})
    client.force_login(operator)
    post_action(client, CHANGELIST, action, [world.pk])
    assert SyncRun.objects.get(integration=world, trigger=SyncRun.Trigger.MANUAL).flow == action.split("_")[1]


def test_read_only_support_cannot_run_actions(client, world, read_only_user):
    client.force_login(read_only_user)
    response = post_action(client, CHANGELIST, "sync_orders_now", [world.pk])
    assert response.status_code == 200
    assert not SyncRun.objects.filter(trigger=SyncRun.Trigger.MANUAL).exists()


def test_operator_sees_the_actions_but_cannot_delete(client, world, operator):
    client.force_login(operator)
    content = client.get(reverse(CHANGELIST)).content.decode()
    for action in ("sync_orders_now", "retry_failed_records", "pause", "resume", "send_reconnect_link"):
        assert f'value="{action}"' in content
    assert 'value="delete_selected"' not in content
    assert client.get(reverse("admin:integrations_integration_delete", args=[world.pk])).status_code == 403


def test_retry_failed_records_resets_them_and_queues_a_retry_run(client, world, operator):
    client.force_login(operator)
    response = post_action(client, CHANGELIST, "retry_failed_records", [world.pk])
    assert "Queued 1 retry run(s) for failed records." in messages_of(response)
    assert not RecordLink.objects.filter(integration=world, state=RecordLink.State.FAILED).exists()
    assert SyncRun.objects.filter(integration=world, trigger=SyncRun.Trigger.RETRY, flow="orders").exists()


def test_pause_and_resume(client, world, operator):
    client.force_login(operator)
    post_action(client, CHANGELIST, "pause", [world.pk])
    world.refresh_from_db()
    assert world.status == Integration.Status.PAUSED
    post_action(client, CHANGELIST, "resume", [world.pk])
    world.refresh_from_db()
    assert world.status == Integration.Status.TESTING


def test_send_reconnect_link_mails_the_merchant_without_secrets(client, world, operator):
    client.force_login(operator)
    response = post_action(client, CHANGELIST, "send_reconnect_link", [world.pk])
    (message,) = mail.outbox
    owner_email = world.tenant.memberships.get().user.email
    assert sorted(message.to) == sorted([world.tenant.contact_email, owner_email])
    assert "Reconnect Business Central" in message.subject
    assert not any(secret in message.body for secret in FACTORY_SECRETS)
    assert any("sent to" in m for m in messages_of(response))


def test_send_reconnect_link_explains_a_merchant_without_address(client, world, operator):
    world.tenant.memberships.all().delete()
    type(world.tenant).objects.filter(pk=world.tenant_id).update(contact_email="")
    client.force_login(operator)
    response = post_action(client, CHANGELIST, "send_reconnect_link", [world.pk])
    assert mail.outbox == []
    assert any("no contact e-mail" in m for m in messages_of(response))


def test_run_preflight_queues_a_preflight(client, world, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_action(client, CHANGELIST, "run_preflight", [world.pk])
    assert len(callbacks) == 1
    assert "Queued preflight checks for 1 integration(s)." in messages_of(response)


def test_record_link_retry_and_unlink(client, world, operator):
    client.force_login(operator)
    link = RecordLink.objects.get(integration=world)
    post_action(client, "admin:syncs_recordlink_changelist", "retry_records", [link.pk])
    run = SyncRun.objects.get(trigger=SyncRun.Trigger.RETRY)
    assert run.parameters["record_link_ids"] == [link.pk]
    link.refresh_from_db()
    assert link.state == RecordLink.State.PENDING

    question = post_action(client, "admin:syncs_recordlink_changelist", "unlink_records", [link.pk])
    link.refresh_from_db()
    assert "Unlink records from Business Central?" in question.content.decode() and link.target_number  # asks first
    client.post(
        reverse("admin:syncs_recordlink_changelist"),
        {"action": "unlink_records", "_selected_action": [str(link.pk)], "confirm": "yes"},
    )
    link.refresh_from_db()
    assert (link.target_number, link.state) == ("", RecordLink.State.PENDING)
    assert SyncLogEntry.objects.filter(integration=world, message__contains=operator.username).exists()


def test_rerun_a_failed_run(client, world, operator):
    client.force_login(operator)
    failed = SyncRun.objects.get(integration=world)
    post_action(client, "admin:syncs_failedsyncrun_changelist", "rerun", [failed.pk])
    assert SyncRun.objects.filter(integration=world, status=SyncRun.Status.QUEUED).exclude(pk=failed.pk).exists()


def test_read_only_support_cannot_retry_records(client, world, read_only_user):
    client.force_login(read_only_user)
    link = RecordLink.objects.get(integration=world)
    post_action(client, "admin:syncs_recordlink_changelist", "retry_records", [link.pk])
    link.refresh_from_db()
    assert link.state == RecordLink.State.FAILED


def test_integration_filter_and_exact_search(client, world, superuser):
    other = RecordLinkFactory(source_reference="#2002")
    client.force_login(superuser)
    url = reverse("admin:syncs_recordlink_changelist")

    def shown(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {obj.pk for obj in response.context["cl"].result_list}

    mine = RecordLink.objects.get(integration=world).pk
    assert shown({"integration": str(world.pk)}) == {mine}
    assert shown({"integration": "not-a-number"}) == set()
    assert shown({"q": "2002"}) == {other.pk}
    assert shown({"q": "#1001"}) == {mine}
    assert shown({"q": "SI-1001", "state": "failed"}) == {mine}
    assert shown({"last_error_code": "map-001"}) == set()


def test_log_filters_by_integration_level_and_error_code(client, world, superuser):
    client.force_login(superuser)
    url = reverse("admin:syncs_synclogentry_changelist")
    response = client.get(url, {"integration": world.pk, "level": "error", "error_code": "map-001"})
    assert [e.error_code for e in response.context["cl"].result_list] == ["MAP-001"]
    # Each input filter resubmits the other active filters as hidden fields.
    content = response.content.decode()
    forms = [chunk.split("</form>")[0] for chunk in content.split('class="input-filter"')[1:]]
    assert len(forms) == 2
    assert all('name="level" value="error"' in form for form in forms)
    assert f'name="integration" value="{world.pk}"' in forms[1]
    assert client.get(url, {"error_code": "BC-001"}).context["cl"].result_list.count() == 0
