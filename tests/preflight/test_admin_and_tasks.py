from django.contrib.auth.models import Permission
from django.urls import reverse

from syncs.models import PreflightRun
from syncs.preflight.services import preflight_enqueue, preflight_run
from tests.factories import IntegrationFactory, StaffUserFactory, SuperUserFactory


def test_enqueue_runs_the_task_after_commit(db, django_capture_on_commit_callbacks):
    integration = IntegrationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        preflight_enqueue(integration_id=integration.pk, trigger=PreflightRun.Trigger.SCHEDULE)
    run = PreflightRun.objects.get(integration=integration)
    assert run.trigger == PreflightRun.Trigger.SCHEDULE
    assert run.status == PreflightRun.Status.FAILED  # not connected to BC


def test_admin_shows_results_inline_with_help_links(db, client):
    run = preflight_run(integration_id=IntegrationFactory().pk, trigger=PreflightRun.Trigger.MANUAL)
    client.force_login(SuperUserFactory())
    response = client.get(reverse("admin:syncs_preflightrun_change", args=[run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "/help/errors/BC-010/" in body
    assert client.get(reverse("admin:syncs_preflightrun_changelist")).status_code == 200


def test_run_again_action_needs_the_permission(db, client, django_capture_on_commit_callbacks):
    integration = IntegrationFactory()
    run = preflight_run(integration_id=integration.pk, trigger=PreflightRun.Trigger.MANUAL)
    staff = StaffUserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_preflightrun"))
    client.force_login(staff)
    url = reverse("admin:syncs_preflightrun_changelist")
    data = {"action": "run_again", "_selected_action": [run.pk]}

    client.post(url, data)
    assert PreflightRun.objects.count() == 1  # action not offered without run_preflight

    staff.user_permissions.add(Permission.objects.get(codename="run_preflight"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    assert PreflightRun.objects.filter(integration=integration).count() == 2


def test_daily_task_runs_live_and_testing_integrations_only(db, django_capture_on_commit_callbacks):
    from integrations.models import Integration
    from syncs.tasks import preflight_all_task

    live = IntegrationFactory(status=Integration.Status.LIVE)
    IntegrationFactory(status=Integration.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        assert preflight_all_task() == 1
    assert list(PreflightRun.objects.values_list("integration_id", "trigger")) == [(live.pk, "schedule")]
